// Printify's brief `pending` after creation (8502, observed in live use) and the
// look-up that guards against a second order after a lost answer: the
// simulator against the observed fixture, the client against the simulator.
import { readFileSync } from 'node:fs'
import t, { type Test } from 'tap'
import { request } from 'undici'
import { startPrintifySimulator, type PrintifySimOptions } from '../../src/sim/printify/index.ts'
import { isNotYet } from '../../src/suppliers/common/http.ts'
import { PrintifySupplier } from '../../src/suppliers/printify/supplier.ts'
import type { SupplierOrderDraft } from '../../src/suppliers/common/supplier.ts'
import { draft } from '../fixtures/suppliers/drafts.ts'

const observed8502 = JSON.parse(readFileSync(new URL('../fixtures/suppliers/printify-8502-pending.json', import.meta.url), 'utf8')) as unknown

const bySku = (externalId: string, label = '#1001'): SupplierOrderDraft => draft({ externalId, label, items: [{ lineRef: 'line-1', quantity: 1, ref: { sku: 'PFY-MUG-11' } }] })
const byProduct = (externalId: string): SupplierOrderDraft => draft({ externalId, items: [{ lineRef: 'line-1', quantity: 1, ref: { productId: '5b05842f3921c9547531758d', variantId: '12100' } }] })

async function setup (t: Test, options: PrintifySimOptions = {}, findPages?: number) {
  const sim = await startPrintifySimulator(options)
  t.teardown(() => sim.close())
  const supplier = new PrintifySupplier({ apiUrl: sim.url, token: 'py-sim-token', shopId: '5432', timeoutMs: 2_000, ...(findPages === undefined ? {} : { findPages }) })
  return { sim, supplier }
}

void t.test('when an order is sent to production while still pending, then the simulator answers Printify\'s observed 8502 body, and sends it once the moment has passed', async (t) => {
  let clock = Date.parse('2026-03-01T10:00:00Z')
  const { sim, supplier } = await setup(t, { now: () => clock, pendingForMs: 5_000 })
  const id = await supplier.api.createOrder({ external_id: 'pb-1-y1', line_items: [{ sku: 'PFY-MUG-11', quantity: 1 }], shipping_method: 1, send_shipping_notification: false, address_to: { first_name: 'Jane', last_name: 'Doe', country: 'US', region: 'CA', address1: '1 Main St', city: 'Chatsworth', zip: '91311' } })
  t.equal(sim.control.order(id)?.status, 'pending')
  const raw = await request(`${sim.url}/v1/shops/5432/orders/${id}/send_to_production.json`, { method: 'POST', headers: { authorization: 'Bearer py-sim-token', 'user-agent': 'test' } })
  t.equal(raw.statusCode, 400)
  t.same(await raw.body.json(), observed8502, 'the observed body, field for field')

  const refused = await supplier.confirm({ supplierOrderId: id, externalId: 'pb-1-y1' }).catch((err: unknown) => err)
  t.ok(isNotYet(refused), 'the client reads it as "not yet", not as a refusal')
  t.match(refused, { code: 'upstream_transient', message: /not allowed to sent order to production with status pending/, detail: { supplierCode: 8502 } })

  clock += 5_000
  t.equal(sim.control.order(id)?.status, 'on-hold', 'on hold once the moment has passed')
  t.equal((await supplier.confirm({ supplierOrderId: id, externalId: 'pb-1-y1' })).status, 'pending')
  t.equal(sim.control.order(id)?.status, 'sending-to-production')
})

void t.test('when 8502 names another status, then it is a refusal, not "not yet"', async (t) => {
  const { sim, supplier } = await setup(t, { pendingForMs: 0 })
  const accepted = await supplier.submit(bySku('pb-2-y1'), { confirm: true })
  await sim.control.advance(accepted.supplierOrderId, { to: 'cancelled' })
  const refused = await supplier.confirm(accepted).catch((err: unknown) => err)
  t.notOk(isNotYet(refused))
  t.match(refused, { code: 'upstream_rejected' })
})

void t.test('when our order is created, then its label is the order name followed by our external id, and metadata does not echo the id', async (t) => {
  const { sim, supplier } = await setup(t, { pendingForMs: 0 })
  const accepted = await supplier.submit(bySku('pb-1001-y1'), { confirm: false })
  t.match(sim.control.requests({ method: 'POST', path: '/orders.json' })[0]?.body, { external_id: 'pb-1001-y1', label: '#1001 pb-1001-y1' })
  const metadata = sim.control.order(accepted.supplierOrderId)?.metadata
  t.equal(metadata?.shop_order_label, '#1001 pb-1001-y1')
  t.notOk('shop_order_id' in (metadata ?? {}), 'absent by default')
})

for (const mode of ['absent', 'other'] as const) {
  void t.test(`when metadata.shop_order_id is ${mode}, then find still finds our order by its label, narrowed to the SKU we ordered by`, async (t) => {
    const { sim, supplier } = await setup(t, { pendingForMs: 0, shopOrderId: mode })
    const ours = await supplier.submit(bySku('pb-1001-y1'), { confirm: false })
    // Other orders around it, some with a name that contains ours.
    for (let i = 0; i < 12; i++) await supplier.submit(bySku(`pb-20${String(i)}-y1`, `#1001${String(i)}`), { confirm: false })
    sim.control.clearRequests()
    t.same(await supplier.find('pb-1001-y1', bySku('pb-1001-y1')), { supplierOrderId: ours.supplierOrderId, externalId: 'pb-1001-y1', status: 'on_hold' })
    const reads = sim.control.requests({ method: 'GET', path: '/orders.json' })
    t.ok(reads.length >= 1 && reads.every((r) => r.query?.sku === 'PFY-MUG-11'), 'every page read with the sku filter')
    t.equal(await supplier.find('pb-1001-y2', bySku('pb-1001-y2')), undefined, 'another generation is another order')
  })
}

void t.test('when the order is not in the list, then find reads every page to the end before saying so', async (t) => {
  const { sim, supplier } = await setup(t, { pendingForMs: 0 })
  for (let i = 0; i < 25; i++) await supplier.submit(byProduct(`pb-30${String(i)}-y1`), { confirm: false })
  sim.control.clearRequests()
  t.equal(await supplier.find('pb-999-y1', byProduct('pb-999-y1')), undefined)
  t.same(sim.control.requests({ method: 'GET', path: '/orders.json' }).map((r) => r.query?.page), ['1', '2', '3'])
})

void t.test('when the order is on the last page of a list read oldest first, then find still finds it', async (t) => {
  const { sim, supplier } = await setup(t, { pendingForMs: 0 })
  const ours = await supplier.submit(byProduct('pb-4000-y1'), { confirm: false })
  for (let i = 0; i < 25; i++) await supplier.submit(byProduct(`pb-40${String(i)}-y1`), { confirm: false })
  // The simulator lists newest first, so ours, the oldest, is on the last page.
  t.same((await supplier.find('pb-4000-y1', byProduct('pb-4000-y1')))?.supplierOrderId, ours.supplierOrderId)
  t.equal(sim.control.requests({ method: 'GET', path: '/orders.json' }).length, 3)
})

void t.test('when the page bound is reached without the order, then find says so instead of answering "not there"', async (t) => {
  const { sim, supplier } = await setup(t, { pendingForMs: 0 }, 2)
  for (let i = 0; i < 25; i++) await supplier.submit(byProduct(`pb-50${String(i)}-y1`), { confirm: false })
  sim.control.clearRequests()
  await t.rejects(supplier.find('pb-999-y1', byProduct('pb-999-y1')), { code: 'upstream_rejected', retryable: false, message: /pb-999-y1 was not found in 20 orders of the shop, but the list goes on: it may have been created all the same, so it is not created again/ })
  t.equal(sim.control.requests({ method: 'GET', path: '/orders.json' }).length, 2)
})

void t.test('when the order found is still pending, then find reports it on hold, to be confirmed', async (t) => {
  const { supplier } = await setup(t, { pendingForMs: 60_000 })
  await supplier.submit(bySku('pb-6000-y1'), { confirm: false })
  t.match(await supplier.find('pb-6000-y1', bySku('pb-6000-y1')), { status: 'on_hold' })
})

void t.test('when the pending moment and shop_order_id are set over the control route, then new orders follow them', async (t) => {
  const { sim, supplier } = await setup(t)
  const response = await fetch(`${sim.url}/_control/shop`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pendingForMs: 0, shopOrderId: 'echo' }) })
  t.equal(response.status, 204)
  const accepted = await supplier.submit(bySku('pb-7000-y1'), { confirm: true })
  t.match(sim.control.order(accepted.supplierOrderId), { status: 'sending-to-production', metadata: { shop_order_id: 'pb-7000-y1' } })
})
