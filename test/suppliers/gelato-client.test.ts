// The Gelato adapter against the Gelato simulator over loopback: what it sends
// (v4 create body, X-API-KEY), how it finds an order again by reference, how a
// split order reads as one observation and is cancelled as a whole, the 409
// once in production, refusals, and the catalog.
import t, { type Test } from 'tap'
import { defaultSearchLagMs, startGelatoSimulator, type GelatoSimOptions } from '../../src/sim/gelato/index.ts'
import { isNotYet } from '../../src/suppliers/common/http.ts'
import { GELATO_SEARCH_LAG_MS, GelatoSupplier } from '../../src/suppliers/gelato/supplier.ts'
import type { SupplierOrderDraft, SupplierOrderItem } from '../../src/suppliers/common/supplier.ts'
import { draft, webhookReceiver } from '../fixtures/suppliers/drafts.ts'

const tee = 'apparel_product_gca_t-shirt_gsc_crewneck_gcu_unisex_gqa_classic_gsi_s_gco_white_gpr_4-4'
const poster = 'flat_product_pf_a3_pt_200-gsm-poster-paper_cl_4-0_ver'
const art = 'https://files.example.com/art.png'

function item (lineRef: string, productUid: string, quantity = 1): SupplierOrderItem {
  return { lineRef, quantity, ref: { productUid, files: [{ type: 'default', url: art }] } }
}

function gtDraft (overrides: Partial<SupplierOrderDraft> = {}): SupplierOrderDraft {
  return draft({ externalId: 'pb-1001-g1', items: [item('line-1', tee), item('line-2', poster, 2)], shipping: 'express', ...overrides })
}

async function setup (t: Test, options: GelatoSimOptions = {}, apiKey = 'gelato-sim-api-key') {
  const sim = await startGelatoSimulator(options)
  t.teardown(() => sim.close())
  const supplier = new GelatoSupplier({ apiUrl: sim.url, productApiUrl: sim.url, apiKey, timeoutMs: 2_000, ...(options.now ? { now: options.now } : {}) })
  return { sim, supplier }
}

void t.test('when an order is submitted, then Gelato gets the v4 body with our ids, the key in X-API-KEY', async (t) => {
  const { sim, supplier } = await setup(t)
  const accepted = await supplier.submit(gtDraft(), { confirm: true })
  t.match(accepted, { externalId: 'pb-1001-g1', status: 'pending' })
  const [create] = sim.control.requests({ method: 'POST', path: '/v4/orders' })
  t.equal(create?.headers['x-api-key'], 'gelato-sim-api-key')
  t.match(create?.body, {
    orderType: 'order', orderReferenceId: 'pb-1001-g1', customerReferenceId: '#1001', currency: 'USD', shipmentMethodUid: 'express',
    shippingAddress: { firstName: 'Jane', lastName: 'Doe', addressLine1: '19749 Dearborn St', city: 'Chatsworth', state: 'CA', postCode: '91311', country: 'US', email: 'jane@example.com' },
    items: [{ itemReferenceId: 'line-1', productUid: tee, quantity: 1, files: [{ type: 'default', url: art }] }, { itemReferenceId: 'line-2', productUid: poster, quantity: 2 }]
  })
  t.equal(sim.control.order(accepted.supplierOrderId)?.fulfillmentStatus, 'created')
})

void t.test('when a test order is submitted (confirm false), then it is a Gelato draft, never produced', async (t) => {
  const { sim, supplier } = await setup(t)
  const accepted = await supplier.submit(gtDraft({ test: true }), { confirm: false })
  t.equal(accepted.status, 'draft')
  t.equal(sim.control.order(accepted.supplierOrderId)?.orderType, 'draft')
  await t.rejects(supplier.confirm(accepted), { code: 'upstream_rejected' }, 'a draft is submitted in the dashboard, not by us')
})

void t.test('when the key is wrong, then the client says unauthorized', async (t) => {
  const { supplier } = await setup(t, {}, 'wrong')
  await t.rejects(supplier.submit(gtDraft(), { confirm: true }), { code: 'unauthorized' })
})

void t.test('when Gelato refuses what was sent, then the error is permanent and carries its message', async (t) => {
  const { supplier } = await setup(t)
  const unknown = gtDraft({ items: [item('line-1', 'no_such_product')] })
  await t.rejects(supplier.submit(unknown, { confirm: true }), { code: 'upstream_rejected', message: /productUid is not a known product/ })
})

void t.test('when the address breaks Gelato\'s rules, then check names the fields before any request', async (t) => {
  const { sim, supplier } = await setup(t)
  const { email: _email, stateCode: _state, ...recipient } = gtDraft().recipient
  const problems = supplier.check(gtDraft({ recipient, items: [{ lineRef: 'line-1', quantity: 1, ref: { productUid: tee, files: [] } }] }))
  t.same(problems.map((p) => p.field).sort(), ['items.0.ref.files', 'recipient.email', 'recipient.stateCode'])
  await t.rejects(supplier.submit(gtDraft({ recipient }), { confirm: true }), { code: 'bad_request' })
  t.equal(sim.control.requests({ method: 'POST' }).length, 0, 'nothing sent')
})

void t.test('when the create answer is lost, then find locates the order by its reference once Gelato\'s search shows it, and not a cancelled older one', async (t) => {
  let clock = Date.parse('2026-12-04T10:00:00Z')
  const { sim, supplier } = await setup(t, { now: () => clock })
  t.equal(await supplier.find('pb-1001-g1'), undefined, 'nothing before creation')
  sim.control.injectFault({ kind: 'answer_lost', method: 'POST', path: '/v4/orders' })
  await t.rejects(supplier.submit(gtDraft(), { confirm: true }), { code: 'upstream_transient' })
  const [created] = sim.control.orders()
  clock += defaultSearchLagMs
  const found = await supplier.find('pb-1001-g1')
  t.match(found, { supplierOrderId: created?.id, externalId: 'pb-1001-g1', status: 'pending' })
  t.match(sim.control.requests({ path: '/v4/orders:search' })[0]?.body, { orderReferenceIds: ['pb-1001-g1'] })
  await supplier.cancel({ supplierOrderId: created?.id ?? '', externalId: 'pb-1001-g1' })
  const again = await supplier.submit(gtDraft(), { confirm: true })
  clock += defaultSearchLagMs
  t.equal((await supplier.find('pb-1001-g1'))?.supplierOrderId, again.supplierOrderId, 'the live order, not the cancelled one')
})

void t.test('when a new order is still in Gelato\'s queue, then the simulator\'s search does not show it, and GET does only when told to lag too', async (t) => {
  let clock = Date.parse('2026-12-04T10:00:00Z')
  const { sim, supplier } = await setup(t, { now: () => clock })
  const accepted = await supplier.submit(gtDraft(), { confirm: true })
  t.same(await supplier.api.searchByReference(['pb-1001-g1']), [], 'not searchable right after the create')
  t.equal((await supplier.api.getOrder(accepted.supplierOrderId))?.id, accepted.supplierOrderId, 'GET by the answered id works')
  clock += defaultSearchLagMs
  t.equal((await supplier.api.searchByReference(['pb-1001-g1'])).length, 1, 'searchable once the queueing delay has passed')
  sim.control.setSearchLag(10_000, 10_000)
  const other = await supplier.submit(gtDraft({ externalId: 'pb-1002-g1' }), { confirm: true })
  t.equal(await supplier.api.getOrder(other.supplierOrderId), undefined, 'GET lags too when told to')
})

void t.test('when find runs before Gelato\'s search can show an order this process just sent, then it says "not yet" instead of "not there", until the lag has passed', async (t) => {
  let clock = Date.parse('2026-12-04T10:00:00Z')
  const { sim, supplier } = await setup(t, { now: () => clock })
  sim.control.injectFault({ kind: 'answer_lost', method: 'POST', path: '/v4/orders' })
  await t.rejects(supplier.submit(gtDraft(), { confirm: true }), { code: 'upstream_transient' })
  clock += 1_000
  const early = await supplier.find('pb-1001-g1').catch((err: unknown) => err)
  t.ok(isNotYet(early), 'read as "not yet" by the submission, which asks again later instead of creating a second order')
  t.match(early, { code: 'upstream_transient', message: /not in the order search 1 s after its create was sent/ })
  clock += defaultSearchLagMs
  t.equal((await supplier.find('pb-1001-g1'))?.supplierOrderId, sim.control.orders()[0]?.id, 'found once the search shows it')

  // A create that never reached Gelato: after the lag, "not there" is the answer, so it is sent again.
  sim.control.injectFault({ kind: 'error_500', method: 'POST', path: '/v4/orders' })
  await t.rejects(supplier.submit(gtDraft({ externalId: 'pb-1002-g1' }), { confirm: true }), { code: 'upstream_transient' })
  t.ok(isNotYet(await supplier.find('pb-1002-g1').catch((err: unknown) => err)), 'not concluded within the lag')
  clock += GELATO_SEARCH_LAG_MS
  t.equal(await supplier.find('pb-1002-g1'), undefined, 'not there once the lag has passed')
  t.equal(await supplier.find('pb-9999-g1'), undefined, 'a reference this process never sent: the search is the answer')
})

void t.test('when another process sent the create (a worker killed after sending), then find knows it from the last attempt\'s start and says "not yet" within the lag', async (t) => {
  let clock = Date.parse('2026-12-04T10:00:00Z')
  const { sim, supplier } = await setup(t, { now: () => clock })
  sim.control.injectFault({ kind: 'answer_lost', method: 'POST', path: '/v4/orders' })
  const attemptAt = new Date(clock).toISOString()
  await t.rejects(supplier.submit(gtDraft(), { confirm: true }), { code: 'upstream_transient' })
  // A new worker: its own client never sent anything for this reference.
  const other = new GelatoSupplier({ apiUrl: sim.url, productApiUrl: sim.url, apiKey: 'gelato-sim-api-key', timeoutMs: 2_000, now: () => clock })
  clock += 1_000
  t.ok(isNotYet(await other.find('pb-1001-g1', undefined, { lastAttemptAt: attemptAt }).catch((err: unknown) => err)), 'not concluded within the lag of the other process\'s attempt')
  t.equal(await other.find('pb-1001-g1'), undefined, 'without the attempt\'s time the lagging search would be taken as "not there"')
  clock += GELATO_SEARCH_LAG_MS
  t.equal((await other.find('pb-1001-g1', undefined, { lastAttemptAt: attemptAt }))?.supplierOrderId, sim.control.orders()[0]?.id, 'found once the search shows it: one order at Gelato')
})

void t.test('when Gelato split the order, then statuses merge the connected orders into one observation: least advanced status, every parcel', async (t) => {
  const { sim, supplier } = await setup(t)
  sim.control.splitNextOrder()
  const accepted = await supplier.submit(gtDraft(), { confirm: true })
  const parts = sim.control.orders()
  t.equal(parts.length, 2)
  const [first, second] = parts
  if (!first || !second) throw new Error('no split')
  t.equal(accepted.supplierOrderId, first.id, 'the create answers the first part')
  t.same(first.connectedOrderIds, [second.id])
  await sim.control.advance(first.id, { to: 'shipped' })
  const ref = { supplierOrderId: accepted.supplierOrderId, externalId: 'pb-1001-g1' }
  const [half] = await supplier.statuses([ref])
  t.match(half, { supplierOrderId: first.id, externalId: 'pb-1001-g1', status: 'partially_shipped' })
  t.equal(half?.shipments.length, 1)
  t.match(half?.shipments[0], { supplierShipmentId: first.shipment?.packages[0]?.id, carrier: 'DHL', service: 'DHL Express Worldwide', trackingNumber: first.shipment?.packages[0]?.trackingCode, items: [{ lineRef: 'line-1', quantity: 1 }] })
  await sim.control.advance(second.id, { to: 'failed', reason: 'Out of stock' })
  t.match((await supplier.statuses([ref]))[0], { status: 'failed', statusReason: `${second.id}: failed` }, 'a refused part puts the whole in front of a person')
})

void t.test('when a split order is cancelled before production, then every part is cancelled; once a part is in production, none is', async (t) => {
  const { sim, supplier } = await setup(t)
  sim.control.splitNextOrder()
  const a = await supplier.submit(gtDraft(), { confirm: true })
  t.equal(await supplier.cancel({ supplierOrderId: a.supplierOrderId, externalId: 'pb-1001-g1' }), 'cancelled')
  t.same(sim.control.orders().map((o) => o.fulfillmentStatus), ['canceled', 'canceled'])
  t.equal(sim.control.requests({ method: 'POST' }).filter((r) => r.path.endsWith(':cancel')).length, 2)

  sim.control.splitNextOrder()
  const b = await supplier.submit(gtDraft({ externalId: 'pb-1002-g1' }), { confirm: true })
  const [, second] = sim.control.orders().filter((o) => o.orderReferenceId === 'pb-1002-g1')
  if (!second) throw new Error('no split')
  await sim.control.advance(second.id, { to: 'in_production' })
  t.equal(await supplier.cancel({ supplierOrderId: b.supplierOrderId, externalId: 'pb-1002-g1' }), 'too_late')
  t.same(sim.control.orders().filter((o) => o.orderReferenceId === 'pb-1002-g1').map((o) => o.fulfillmentStatus), ['created', 'in_production'], 'no half-cancelled order')
})

void t.test('when Gelato answers a cancel with 409, then it is too late', async (t) => {
  const { sim, supplier } = await setup(t)
  const a = await supplier.submit(gtDraft(), { confirm: true })
  await sim.control.advance(a.supplierOrderId, { to: 'in_production' })
  t.equal(await supplier.api.cancelOrder(a.supplierOrderId), 'too_late')
})

void t.test('when Gelato throttles, then the client says rate limited with the wait', async (t) => {
  const { sim, supplier } = await setup(t)
  sim.control.injectFault({ kind: 'rate_limited', retryAfterSeconds: 7 })
  await t.rejects(supplier.find('pb-1'), { code: 'upstream_rate_limited', retryAfterMs: 7_000 })
})

void t.test('when the catalog is imported, then each productUid is one variant whose reference orders it', async (t) => {
  const { supplier } = await setup(t)
  const variants = []
  for await (const v of supplier.catalog()) variants.push(v)
  t.equal(variants.length, 3)
  t.match(variants[0], { supplier: 'gelato', productId: 't-shirts', variantId: tee, sku: tee, ref: { productUid: tee, files: [] }, productIndex: 0 })
  const resumed = []
  for await (const v of supplier.catalog({ skipProducts: 2 })) resumed.push(v.variantId)
  t.same(resumed, [poster])
})

void t.test('when an order moves, then the simulator posts unsigned events shaped as the webhooks page\'s examples, with the fixed header', async (t) => {
  const receiver = await webhookReceiver()
  t.teardown(() => receiver.close())
  const { sim, supplier } = await setup(t, { webhookUrl: receiver.url })
  const a = await supplier.submit(gtDraft(), { confirm: true })
  await sim.control.advance(a.supplierOrderId, { to: 'shipped' })
  await sim.control.drainWebhooks()
  const events = receiver.received.map((r) => JSON.parse(r.body) as Record<string, unknown>)
  t.same(events.map((e) => e.event), [
    'order_item_status_updated', 'order_item_tracking_code_updated', 'order_item_status_updated', 'order_item_tracking_code_updated', 'order_status_updated'
  ])
  t.ok(events.every((e) => e.orderReferenceId === 'pb-1001-g1' && e.orderId === a.supplierOrderId))
  t.ok(receiver.received.every((r) => r.headers['x-webhook-secret'] === 'gelato-sim-webhook-secret'))
  const [itemStatus, tracking] = events
  // The keys of the examples on https://dashboard.gelato.com/docs/webhooks/, in their order.
  t.same(Object.keys(itemStatus ?? {}), ['id', 'event', 'itemReferenceId', 'orderReferenceId', 'orderId', 'storeId', 'fulfillmentCountry', 'fulfillmentStateProvince', 'fulfillmentFacilityId', 'status', 'comment', 'created'])
  t.match(itemStatus, { id: /^is_/, itemReferenceId: 'line-1', status: 'shipped' })
  t.same(Object.keys(tracking ?? {}), ['id', 'event', 'orderId', 'storeId', 'itemReferenceId', 'orderReferenceId', 'trackingCode', 'trackingUrl', 'shipmentMethodName', 'shipmentMethodUid', 'productionCountry', 'productionStateProvince', 'productionFacilityId', 'created'])
  const order = sim.control.order(a.supplierOrderId)
  t.match(tracking, { id: /^tc_/, itemReferenceId: 'line-1', trackingCode: order?.shipment?.packages[0]?.trackingCode, shipmentMethodUid: 'express', productionCountry: 'US' })
  t.match(events[4], { id: /^os_/, fulfillmentStatus: 'shipped', items: [{ itemReferenceId: 'line-1', fulfillmentStatus: 'shipped', fulfillments: [{ trackingCode: /^GLT/, fulfillmentCountry: 'US' }] }, { itemReferenceId: 'line-2' }] })
})

void t.test('when an order is read, then its shipment has the v4 get sample\'s shape: packages naming their order items, none before shipping', async (t) => {
  const { sim, supplier } = await setup(t)
  const a = await supplier.submit(gtDraft(), { confirm: true })
  const before = await supplier.api.getOrder(a.supplierOrderId)
  t.match(before?.shipment, { shipmentMethodUid: 'express', packages: [] })
  await sim.control.advance(a.supplierOrderId, { to: 'shipped', packages: 2 })
  const after = await supplier.api.getOrder(a.supplierOrderId)
  const items = after?.items.map((i) => i.id) ?? []
  t.equal(after?.shipment?.packages?.length, 2)
  t.same(after?.shipment?.packages?.flatMap((p) => p.orderItemIds ?? []).sort(), [...items].sort(), 'every item in one package, by items[].id')
  t.ok(after?.shipment?.packages?.every((p) => p.id && p.trackingCode && p.trackingUrl))
})
