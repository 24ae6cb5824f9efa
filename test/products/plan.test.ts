// The push's plan and prices (pure): what one productSet carries, and when there is none.
import t from 'tap'
import { ConfigError, loadConfig } from '../../src/config.ts'
import { applyMarkup, priceMarkup } from '../../src/lib/price-markup.ts'
import { planPush, matchVariants, type PlanSettings, type StoredProduct } from '../../src/products/plan.ts'
import { variantPrice } from '../../src/products/price.ts'
import { productFields } from '../../src/suppliers/common/product.ts'
import { supplierProduct, variant } from '../helpers/product-factories.ts'

function unpriced () {
  const { price: _price, ...rest } = variant('1', 'S', 'Black')
  return rest
}

const settings: PlanSettings = { status: 'draft', markup: undefined, storeCurrency: 'USD' }

function storedAfter (plan: ReturnType<typeof planPush>): StoredProduct {
  if (plan.kind === 'refused') throw new Error(plan.reason)
  return { shopifyProductId: 'gid://shopify/Product/1', digests: plan.digests, tags: plan.kind === 'write' ? plan.tags : [], variantIds: { 101: 'gid://shopify/ProductVariant/11', 102: 'gid://shopify/ProductVariant/12', 103: 'gid://shopify/ProductVariant/13' }, mediaIds: { 'https://images.example/black.png': 'gid://shopify/MediaImage/1' } }
}

t.test('PRICE_MARKUP', async (t) => {
  t.same(priceMarkup.parse('cost*2.2'), { factor: 2.2, rounding: 'x.99', text: 'cost*2.2' })
  t.same(priceMarkup.parse('cost * 1.5/cents'), { factor: 1.5, rounding: 'cents', text: 'cost * 1.5/cents' })
  for (const bad of ['2.2', 'cost*0.9', 'cost+5', 'cost*2.2/dollars', 'cost*101']) t.notOk(priceMarkup.safeParse(bad).success, `${bad} is refused`)
  t.equal(applyMarkup(1200, priceMarkup.parse('cost*2.2')), 2699, '12.00 × 2.2 = 26.40 → 26.99')
  t.equal(applyMarkup(1200, priceMarkup.parse('cost*2.2/cents')), 2640, 'to the cent: 26.40')
  t.equal(applyMarkup(1000, priceMarkup.parse('cost*1.1/cents')), 1100, 'no float dust: 10.00 × 1.1 is 11.00, not 11.01')
  t.equal(applyMarkup(1234, priceMarkup.parse('cost*1.5/cents')), 1851, 'rounded up, never down: 18.51')
  t.equal(applyMarkup(2601, priceMarkup.parse('cost*1')), 2699, 'x.99 rounds up past a whole unit')
})

t.test('when PRICE_MARKUP or PRODUCT_PUSH_STATUS is wrong, then startup stops naming the variable', async (t) => {
  t.same(loadConfig({}).products, { status: 'draft', markup: undefined }, 'draft by default, no markup')
  t.same(loadConfig({ PRODUCT_PUSH_STATUS: 'active', PRICE_MARKUP: 'cost*2' }).products, { status: 'active', markup: { factor: 2, rounding: 'x.99', text: 'cost*2' } })
  const problems = (env: Record<string, string>): readonly string[] => {
    try {
      loadConfig(env)
      return []
    } catch (err) {
      return err instanceof ConfigError ? err.problems : [String(err)]
    }
  }
  t.match(problems({ PRICE_MARKUP: 'price*2' }), [/^PRICE_MARKUP must be cost\*<factor>/])
  t.match(problems({ PRODUCT_PUSH_STATUS: 'live' }), [/^PRODUCT_PUSH_STATUS must be draft or active/])
})

t.test('variant prices: retail first, markup on cost, never below cost, never converted', async (t) => {
  const markup = priceMarkup.parse('cost*2')
  t.same(variantPrice(variant('1', 'S', 'Black'), 'USD', markup), { ok: true, price: '24.00' }, 'the supplier\'s retail price wins')
  t.same(variantPrice(unpriced(), 'USD', markup), { ok: true, price: '23.99' }, 'else cost × 2 rounded up to .99')
  const noRule = variantPrice(unpriced(), 'USD', undefined)
  t.match(noRule, { ok: false, reason: /PRICE_MARKUP is not set/ })
  const below = variantPrice(variant('1', 'S', 'Black', { price: { amount: 1000, currency: 'USD' } }), 'USD', markup)
  t.match(below, { ok: false, reason: /below its cost of 11\.50/ })
  const foreign = variantPrice(variant('1', 'S', 'Black', { price: { amount: 2400, currency: 'EUR' }, cost: { amount: 1150, currency: 'EUR' } }), 'USD', markup)
  t.match(foreign, { ok: false, reason: /EUR.*USD.*does not convert/ })
  t.same(variantPrice(variant('1', 'S', 'Black', { compareAtPrice: { amount: 3000, currency: 'USD' } }), 'USD', markup), { ok: true, price: '24.00', compareAtPrice: '30.00' })
  const yen = variantPrice(variant('1', 'S', 'Black', { price: { amount: 2400, currency: 'JPY' }, cost: { amount: 1150, currency: 'JPY' } }), 'JPY', markup)
  t.match(yen, { ok: false, reason: /JPY, which does not count in cents/ }, 'a currency without cents is refused, not sent as 24.00 yen')
  t.match(variantPrice(variant('1', 'S', 'Black', { price: { amount: 2400, currency: 'EUR' }, cost: { amount: 1150, currency: 'EUR' } }), 'EUR', markup), { ok: true, price: '24.00' }, 'EUR counts in cents')
})

t.test('when a product is new, then the plan creates it whole: enabled variants only, default image first, status from PRODUCT_PUSH_STATUS', async (t) => {
  const plan = planPush(supplierProduct(), ['title'], undefined, settings)
  if (plan.kind !== 'write') throw new Error(plan.kind)
  t.equal(plan.create, true)
  const input = plan.input
  if (!input) throw new Error('a new product is written whole')
  t.equal(input.customId, 'printify:p-1')
  t.equal(input.status, 'DRAFT')
  t.equal(input.title, 'Mountain tee')
  t.equal(input.vendor, 'Printify')
  t.same(input.tags, ['tee', 'mountain'])
  t.same(input.variants?.map((v) => v.sku), ['TEE-S-BLACK', 'TEE-S-WHITE', 'TEE-M-BLACK'], 'the disabled M / White is not for sale')
  t.same(input.options, [{ name: 'Size', values: ['S', 'M'] }, { name: 'Color', values: ['Black', 'White'] }])
  t.same(input.images?.map((i) => i.url), ['https://images.example/black.png', 'https://images.example/white.png'])
  t.ok(input.variants?.every((v) => v.id === undefined), 'no ids before the store has them')
  const active = planPush(supplierProduct(), productFields, undefined, { ...settings, status: 'active' })
  t.equal(active.kind === 'write' && active.input?.status, 'ACTIVE')
})

t.test('when nothing changed, then there is no productSet; when a price changed, then only the variants are sent, with their ids', async (t) => {
  const first = planPush(supplierProduct(), productFields, undefined, settings)
  const stored = storedAfter(first)
  t.equal(planPush(supplierProduct(), productFields, stored, settings).kind, 'unchanged')

  const repriced = supplierProduct({ variants: supplierProduct().variants.map((v) => v.id === '101' ? { ...v, price: { amount: 2600, currency: 'USD' } } : v) })
  const plan = planPush(repriced, productFields, stored, settings)
  if (plan.kind !== 'write') throw new Error(plan.kind)
  t.equal(plan.create, false)
  t.same(plan.changed, ['variants'])
  t.same(Object.keys(plan.input ?? {}).sort(), ['customId', 'options', 'variants'], 'title, description, tags, images and status are left as the store has them')
  t.same(plan.input?.variants?.map((v) => [v.id, v.price]), [['gid://shopify/ProductVariant/11', '26.00'], ['gid://shopify/ProductVariant/12', '24.00'], ['gid://shopify/ProductVariant/13', '24.00']])
})

t.test('when a publish request names only some fields, then only those are compared and written', async (t) => {
  const stored = storedAfter(planPush(supplierProduct(), productFields, undefined, settings))
  const edited = supplierProduct({ title: 'Mountain tee II', tags: ['new'] })
  const plan = planPush(edited, ['title'], stored, settings)
  if (plan.kind !== 'write') throw new Error(plan.kind)
  t.same(plan.changed, ['title'])
  t.equal(plan.input?.tags, undefined, 'tags were not asked for: the merchant\'s tags stay')
  t.equal(plan.retag, undefined)
  t.equal(planPush(edited, ['description'], stored, settings).kind, 'unchanged', 'the description did not change')
})

t.test('when the supplier\'s tags change on an update, then no productSet carries them: only the difference is added and removed, and the merchant\'s own tags stay', async (t) => {
  const stored = storedAfter(planPush(supplierProduct(), productFields, undefined, settings))
  t.same(stored.tags, ['tee', 'mountain'], 'what the push wrote on create')
  const retagged = planPush(supplierProduct({ tags: ['tee', 'summer'] }), productFields, stored, settings)
  if (retagged.kind !== 'write') throw new Error(retagged.kind)
  t.same(retagged.changed, ['tags'])
  t.equal(retagged.input, undefined, 'only the tags moved: no productSet at all')
  t.same(retagged.retag, { add: ['summer'], remove: ['mountain'] })
  t.same(retagged.tags, ['tee', 'summer'], 'remembered for the next push')
  const both = planPush(supplierProduct({ title: 'Mountain tee II', tags: ['tee'] }), productFields, stored, settings)
  if (both.kind !== 'write') throw new Error(both.kind)
  t.equal(both.input?.title, 'Mountain tee II')
  t.equal(both.input?.tags, undefined, 'productSet\'s tags would replace the merchant\'s')
  t.same(both.retag, { add: [], remove: ['mountain'] })
})

t.test('refusals name the reason', async (t) => {
  t.match(planPush(supplierProduct({ variants: supplierProduct().variants.map((v) => ({ ...v, enabled: false })) }), productFields, undefined, settings), { kind: 'refused', reason: /no variant is enabled/ })
  t.match(planPush(supplierProduct({ variants: [variant('1', 'S', 'Black'), variant('2', 'S', 'Black')] }), productFields, undefined, settings), { kind: 'refused', reason: /both S \/ Black/ })
  t.match(planPush(supplierProduct({ variants: [variant('1', 'S', 'Black', { price: { amount: 500, currency: 'USD' } })] }), productFields, undefined, settings), { kind: 'refused', reason: /below its cost/ })
})

t.test('store variants are matched to supplier variants by option values, else SKU', async (t) => {
  const map = matchVariants(supplierProduct(), [
    { id: 'gid://shopify/ProductVariant/13', sku: null, optionValues: [{ optionName: 'Color', name: 'Black' }, { optionName: 'Size', name: 'M' }] },
    { id: 'gid://shopify/ProductVariant/11', sku: 'TEE-S-BLACK', optionValues: [] }
  ])
  t.same([...map], [['101', 'gid://shopify/ProductVariant/11'], ['103', 'gid://shopify/ProductVariant/13']])
})
