// The Printify simulator's own refusals, reached past the client's check (suppliers.md §2.2, §2.4).
import t from 'tap'
import { startPrintifySimulator } from '../../src/sim/printify/index.ts'
import { PrintifyApi } from '../../src/suppliers/printify/client.ts'
import type { PyOrderBody } from '../../src/suppliers/printify/wire.ts'

const address = { first_name: 'Jane', last_name: 'Doe', country: 'US', region: 'CA', address1: '1 Main St', city: 'Chatsworth', zip: '91311' }
const body = (overrides: Partial<PyOrderBody>): PyOrderBody => ({
  external_id: 'pb-1-y1', line_items: [{ sku: 'PFY-MUG-11', quantity: 1 }], shipping_method: 1, send_shipping_notification: false, address_to: address, ...overrides
})

void t.test('when an order breaks a documented rule, then the simulator answers 8103 naming the field', async (t) => {
  const sim = await startPrintifySimulator()
  t.teardown(() => sim.close())
  const api = new PrintifyApi({ apiUrl: sim.url, token: 'py-sim-token', shopId: '5432' })
  const blueprint = { blueprint_id: 6, print_provider_id: 99, variant_id: 12100, print_areas: { front: 'https://x/a.png' }, quantity: 1 }
  const cases: [string, PyOrderBody, RegExp][] = [
    ['Printify Express without email and phone', body({ shipping_method: 3 }), /email: The email field is required for Printify Express.; phone:/],
    ['economy for a product made from the order', body({ shipping_method: 4, line_items: [blueprint] }), /shipping_method: Economy shipping is not available/],
    ['an unknown SKU', body({ line_items: [{ sku: 'NOPE', quantity: 1 }] }), /line_items.0: No variant with SKU NOPE./],
    ['an unknown product variant', body({ line_items: [{ product_id: '5b05842f3921c9547531758d', variant_id: 1, quantity: 1 }] }), /line_items.0: The selected product or variant is invalid./],
    ['an unknown shipping method', body({ shipping_method: 9 }), /shipping_method: The selected shipping method is invalid./]
  ]
  for (const [what, order, message] of cases) {
    await t.rejects(api.createOrder(order), { code: 'upstream_rejected', message, detail: { status: 400, supplierCode: 8103 } }, what)
  }
  t.equal(sim.control.orders().length, 0)
  t.match(await api.createOrder(body({ line_items: [blueprint] })), /^[0-9a-f]{24}$/, 'a product made from the order, on standard shipping')
})

void t.test('when an order is sent to production twice or the shop is unknown, then Printify refuses', async (t) => {
  const sim = await startPrintifySimulator({ pendingForMs: 0 })
  t.teardown(() => sim.close())
  const api = new PrintifyApi({ apiUrl: sim.url, token: 'py-sim-token', shopId: '5432' })
  const id = await api.createOrder(body({}))
  t.equal((await api.sendToProduction(id)).status, 'sending-to-production')
  await t.rejects(api.sendToProduction(id), { code: 'upstream_rejected', message: /cannot be sent to production/ })
  t.equal(await api.getOrder('ffffffffffffffffffffffff'), undefined)
  const elsewhere = new PrintifyApi({ apiUrl: sim.url, token: 'py-sim-token', shopId: '1' })
  await t.rejects(elsewhere.listOrders({ page: 1 }), { code: 'not_found', message: /Shop not found/ })
})

void t.test('when the shop settings are changed over the control routes, then validation answers 422 and on-hold orders wait', async (t) => {
  const sim = await startPrintifySimulator()
  t.teardown(() => sim.close())
  const api = new PrintifyApi({ apiUrl: sim.url, token: 'py-sim-token', shopId: '5432' })
  const response = await fetch(`${sim.url}/_control/shop`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ validationStatus: 422, autoSendAfterMs: null }) })
  t.equal(response.status, 204)
  await t.rejects(api.createOrder(body({ address_to: { ...address, zip: '' } })), { detail: { status: 422, supplierCode: 8103 }, message: /zip: The zip field is required./ })
  const id = await api.createOrder(body({}))
  const advanced = await fetch(`${sim.url}/_control/orders/${id}/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to: 'shipped', packages: 1 }) })
  t.match(await advanced.json(), { status: 'fulfilled', shipments: [{ carrier: 'usps', delivered_at: null }] })
  const refused = await fetch(`${sim.url}/_control/orders/${id}/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to: 'draft' }) })
  t.equal(refused.status, 400, 'Printify has no draft state')
})
