// The supplier simulators on shipping methods, carrier spellings and postal
// codes (issue 13), against the providers' own documents: Printful v1 OpenAPI
// (POST /shipping/rates, the Order examples, the "API Errors" table, the
// Shipment example in test/fixtures/suppliers/printful-shipment.assembled-from-schema.json),
// Printify's order and webhook examples, and the country table
// src/suppliers/common/countries.ts takes from Shopify's address data.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { startPrintfulSimulator } from '../../src/sim/printful/index.ts'
import { printifySimDefaults, startPrintifySimulator } from '../../src/sim/printify/index.ts'
import { defaultPrintifyProducts } from '../../src/sim/printify/wire.ts'
import { PrintfulApi } from '../../src/suppliers/printful/client.ts'
import type { PfOrderBody } from '../../src/suppliers/printful/wire.ts'
import { postalCodeRequired } from '../../src/suppliers/common/countries.ts'

const usRecipient = { name: 'Jane Doe', address1: '19749 Dearborn St', city: 'Chatsworth', state_code: 'CA', country_code: 'US', zip: '91311' }
const hongKong = { name: 'Jane Doe', address1: '1 Salisbury Rd', city: 'Tsim Sha Tsui', country_code: 'HK' }
const order = (overrides: Partial<PfOrderBody>): PfOrderBody => ({ external_id: 'pb-1-f1', recipient: usRecipient, items: [{ sync_variant_id: 4001, quantity: 1 }], ...overrides })

async function printful (t: { teardown: (fn: () => unknown) => void }) {
  const sim = await startPrintfulSimulator()
  t.teardown(() => sim.close())
  return { sim, api: new PrintfulApi({ apiUrl: sim.url, token: 'pf-sim-token' }) }
}

t.test('when rates are asked for, then the documented ids come back per destination, and a bad request is refused', async (t) => {
  const { api } = await printful(t)
  const items = [{ variant_id: '4011', quantity: 1 }]
  t.same((await api.shippingRates({ recipient: usRecipient, items })).map((r) => r.id), ['STANDARD', 'PRINTFUL_FAST'])
  t.same((await api.shippingRates({ recipient: { address1: 'Unter den Linden 1', city: 'Berlin', country_code: 'DE', zip: '10117' }, items })).map((r) => r.id), ['STANDARD'])
  t.match((await api.shippingRates({ recipient: usRecipient, items }))[0], { id: 'STANDARD', name: /^Flat Rate/, rate: /^\d+\.\d\d$/, currency: 'USD' })
  const { state_code: _state, ...stateless } = usRecipient
  await t.rejects(api.shippingRates({ recipient: stateless, items }), { code: 'upstream_rejected', message: /State code is missing for US/ })
  await t.rejects(api.shippingRates({ recipient: usRecipient, items: [{ external_variant_id: 'nope', quantity: 1 }] }), { code: 'upstream_rejected', message: /Sync variant not found/ })
})

t.test('when an order names a method the rates do not offer its destination, then it is refused with OR-4; one they offer is taken', async (t) => {
  const { sim, api } = await printful(t)
  await t.rejects(api.createOrder(order({ shipping: 'EXPRESS' }), { confirm: false, updateExisting: false }), { code: 'upstream_rejected', message: /OR-4 INVALID_SHIPPING_METHOD/, detail: { status: 400 } })
  await t.rejects(api.createOrder(order({ shipping: 'PRINTFUL_FAST', recipient: { ...usRecipient, country_code: 'DE', state_code: '' } }), { confirm: false, updateExisting: false }), { message: /OR-4.*PRINTFUL_FAST to DE/ })
  t.equal(sim.control.orders().length, 0)
  t.match(await api.createOrder(order({ shipping: 'PRINTFUL_FAST' }), { confirm: false, updateExisting: false }), { shipping: 'PRINTFUL_FAST' })
  t.match(await api.createOrder(order({ external_id: 'pb-2-f1' }), { confirm: false, updateExisting: false }), { shipping: 'STANDARD' }, 'no method: STANDARD, the documented default')
})

t.test('when Printful ships by FedEx, then the parcel reads as the v1 Shipment example does', async (t) => {
  const { sim, api } = await printful(t)
  const example = JSON.parse(readFileSync(new URL('../fixtures/suppliers/printful-shipment.assembled-from-schema.json', import.meta.url), 'utf8')) as { data: { shipment: { carrier: string, service: string, tracking_url: string } } }
  const created = await api.createOrder(order({}), { confirm: true, updateExisting: false })
  const shipped = await sim.control.advance(String(created.id), { to: 'shipped', carrier: 'FEDEX' })
  const parcel = shipped.shipments[0]!
  t.equal(parcel.carrier, example.data.shipment.carrier)
  t.equal(parcel.service, example.data.shipment.service)
  t.equal(parcel.tracking_url.replace(/=\d+$/, '='), example.data.shipment.tracking_url.replace(/=\d+$/, '='))
})

t.test('when an address has no postal code, then both simulators take it for Hong Kong and refuse it for the US', async (t) => {
  t.notOk(postalCodeRequired('HK'))
  t.notOk(postalCodeRequired('AE'))
  t.ok(postalCodeRequired('US'))
  t.ok(postalCodeRequired('ZZ'), 'an unknown code needs one: the stricter reading')
  const { sim, api } = await printful(t)
  const taken = await api.createOrder(order({ recipient: hongKong }), { confirm: false, updateExisting: false })
  t.match(sim.control.order(taken.id), { recipient: { country_code: 'HK', zip: null } })
  await t.rejects(api.createOrder(order({ external_id: 'pb-3-f1', recipient: { ...usRecipient, zip: '' } }), { confirm: false, updateExisting: false }), { message: /ZIP code is required/ })

  const printify = await startPrintifySimulator()
  t.teardown(() => printify.close())
  const product = defaultPrintifyProducts[0]!
  const submit = (external: string, address: Record<string, string>) => fetch(`${printify.url}/v1/shops/${String(printifySimDefaults.shopId)}/orders.json`, {
    method: 'POST',
    headers: { authorization: `Bearer ${printifySimDefaults.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ external_id: external, shipping_method: 1, line_items: [{ product_id: product.id, variant_id: product.variants[0]!.id, quantity: 1 }], address_to: { first_name: 'Jane', last_name: 'Doe', address1: '1 Salisbury Rd', city: 'Tsim Sha Tsui', ...address } })
  })
  t.equal((await submit('hk-1', { country: 'HK' })).status, 200, 'Hong Kong without a zip is taken')
  const refused = await submit('us-1', { country: 'US', region: 'CA' })
  t.equal(refused.status, 400)
  t.match(await refused.json(), { code: 8103, errors: { reason: /"zip":\["The zip field is required\."\]/ } })
})
