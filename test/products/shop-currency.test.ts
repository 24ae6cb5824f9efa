// The shop's currency, which the push compares supplier prices with: the
// document against the real 2026-10 schema, read once, a failure not kept.
import { parse, validate } from 'graphql'
import t from 'tap'
import { shopCurrencyQuery, shopCurrencyReader } from '../../src/products/shop-currency.ts'
import { adminSchema } from '../../src/sim/shopify/index.ts'
import { estimateCost } from '../fixtures/shopify/query-cost.ts'

t.test('when the shop currency query is checked against the 2026-10 schema, then it is valid and costs almost nothing', async (t) => {
  t.same(validate(adminSchema(), parse(shopCurrencyQuery)).map((e) => e.message), [])
  t.ok(estimateCost(shopCurrencyQuery, {}) <= 2, 'about one point')
})

t.test('when the currency is read, then once per process; a failed read is asked again', async (t) => {
  const answers: (() => unknown)[] = [() => { throw new Error('throttled') }, () => ({ shop: { currencyCode: 'EUR' } })]
  let calls = 0
  const read = shopCurrencyReader({
    execute: async (_document, _variables, schema) => schema.parse(answers[calls++]!())
  })
  await t.rejects(read(), /throttled/)
  t.equal(await read(), 'EUR')
  t.equal(await read(), 'EUR')
  t.equal(calls, 2)
})
