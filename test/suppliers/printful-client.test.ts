import t, { type Test } from 'tap'
import { parsePrintfulWebhook } from '../../src/suppliers/printful/webhook.ts'
import { AppError } from '../../src/lib/errors.ts'
import { startPrintfulSimulator, type PrintfulSimOptions } from '../../src/sim/printful/index.ts'
import { PrintfulSupplier } from '../../src/suppliers/printful/supplier.ts'
import { draft, printfulItem, webhookReceiver } from '../fixtures/suppliers/drafts.ts'

async function setup (t: Test, options: PrintfulSimOptions = {}, client: { storeId?: string, token?: string } = {}) {
  const sim = await startPrintfulSimulator(options)
  t.teardown(() => sim.close())
  const supplier = new PrintfulSupplier({ apiUrl: sim.url, token: client.token ?? 'pf-sim-token', timeoutMs: 2_000, ...(client.storeId ? { storeId: client.storeId } : {}) })
  return { sim, supplier }
}

void t.test('when an order is submitted with confirm, then Printful holds a pending order with our external id and line ids', async (t) => {
  const { sim, supplier } = await setup(t)
  const accepted = await supplier.submit(draft(), { confirm: true })
  t.match(accepted, { externalId: 'pb-1001-f1', status: 'pending' })
  t.match(accepted.supplierOrderId, /^\d+$/)
  const stored = sim.control.order(`@pb-1001-f1`)
  t.same(stored?.items.map((i) => i.external_id), ['line-1', 'line-2'])
  const [request] = sim.control.requests({ method: 'POST', path: '/orders' })
  t.equal(request?.headers.authorization, 'Bearer pf-sim-token')
  t.same(request?.query, { confirm: 'true', update_existing: 'false' })
})

void t.test('when a test order is submitted with confirm, then it stays a Printful draft', async (t) => {
  const { supplier } = await setup(t)
  t.equal((await supplier.submit(draft({ test: true }), { confirm: true })).status, 'draft')
})

void t.test('when the same order is submitted twice, then OR-13 is answered and the existing order is adopted', async (t) => {
  const { sim, supplier } = await setup(t)
  const first = await supplier.submit(draft(), { confirm: false })
  const second = await supplier.submit(draft(), { confirm: true })
  t.equal(second.supplierOrderId, first.supplierOrderId)
  t.equal(second.status, 'pending', 'the adopted draft is confirmed')
  t.equal(sim.control.orders().length, 1)
  t.equal(sim.control.requests({ method: 'POST', path: '/orders' })[1]?.status, 400)
})

void t.test('when the external id is in use by an order with other items, then the submission is rejected', async (t) => {
  const { supplier } = await setup(t)
  await supplier.submit(draft(), { confirm: false })
  await t.rejects(supplier.submit(draft({ items: [printfulItem('line-9', '4002')] }), { confirm: false }), { code: 'upstream_rejected', message: /other items/ })
})

void t.test('when Printful refuses the order, then the error is upstream_rejected with Printful\'s message', async (t) => {
  const { supplier } = await setup(t)
  const err = await supplier.submit(draft({ items: [printfulItem('line-1', '999999')] }), { confirm: true }).catch((e: unknown) => e)
  t.ok(err instanceof AppError)
  t.match(err, { code: 'upstream_rejected', retryable: false, message: /Sync variant not found/, detail: { status: 400, supplierReason: 'BadRequest' } })
})

void t.test('when an order is looked up by external id, then it is found, or undefined when unknown', async (t) => {
  const { supplier } = await setup(t)
  const accepted = await supplier.submit(draft(), { confirm: true })
  t.same(await supplier.find('pb-1001-f1'), accepted)
  t.equal(await supplier.find('pb-404-f1'), undefined)
})

void t.test('when an order ships in packages, then statuses show partial then full shipment with our line ids', async (t) => {
  const { sim, supplier } = await setup(t)
  const accepted = await supplier.submit(draft(), { confirm: true })
  const ref = { supplierOrderId: accepted.supplierOrderId, externalId: accepted.externalId }
  await sim.control.advance(accepted.supplierOrderId, { to: 'in_production' })
  t.equal((await supplier.statuses([ref]))[0]?.status, 'in_production')
  await sim.control.advance(accepted.supplierOrderId, { to: 'shipped', items: 1 })
  const partial = (await supplier.statuses([ref]))[0]
  t.equal(partial?.status, 'partially_shipped')
  t.match(partial?.shipments, [{ carrier: 'USPS', trackingNumber: /^9400\d+$/, trackingUrl: /^https:/, items: [{ lineRef: 'line-1', quantity: 1 }] }])
  await sim.control.advance(accepted.supplierOrderId, { to: 'shipped' })
  const full = (await supplier.statuses([ref, { supplierOrderId: '1', externalId: 'nope' }]))
  t.equal(full.length, 1, 'an order Printful does not know is left out')
  t.equal(full[0]?.status, 'shipped')
  t.equal(full[0]?.shipments.length, 2)
  t.match(full[0]?.observedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/)
})

void t.test('when Printful sends a tracking number as a JSON number, or none at all, then the shipment has a string or no tracking number', async (t) => {
  const { sim, supplier } = await setup(t)
  const accepted = await supplier.submit(draft(), { confirm: true })
  sim.control.setNumericTracking(true)
  await sim.control.advance(accepted.supplierOrderId, { to: 'shipped', items: 1 })
  await sim.control.advance(accepted.supplierOrderId, { to: 'shipped', tracking: false })
  t.equal(typeof sim.control.order(accepted.supplierOrderId)?.shipments[0]?.tracking_number, 'number')
  const [observation] = await supplier.statuses([accepted])
  t.equal(typeof observation?.shipments[0]?.trackingNumber, 'string')
  t.equal(observation?.shipments[1]?.trackingNumber, undefined)
})

void t.test('when costs are calculated asynchronously, then a confirmed order goes on hold, back to draft, and confirms again', async (t) => {
  const { sim, supplier } = await setup(t)
  sim.control.setAsyncCostCalculation(true)
  const accepted = await supplier.submit(draft(), { confirm: true })
  t.equal(accepted.status, 'on_hold')
  await sim.control.advance(accepted.supplierOrderId, { to: 'draft' })
  t.equal((await supplier.statuses([accepted]))[0]?.status, 'draft')
  sim.control.setAsyncCostCalculation(false)
  t.equal((await supplier.confirm(accepted)).status, 'pending')
})

void t.test('when the supplier fails, holds or cancels an order, then the status carries the reason', async (t) => {
  const { sim, supplier } = await setup(t)
  const accepted = await supplier.submit(draft(), { confirm: true })
  await sim.control.advance(accepted.supplierOrderId, { to: 'failed', reason: 'Invalid address' })
  t.match((await supplier.statuses([accepted]))[0], { status: 'failed', statusReason: 'Invalid address' })
  await sim.control.advance(accepted.supplierOrderId, { to: 'on_hold' })
  t.match((await supplier.statuses([accepted]))[0], { status: 'on_hold' })
  await sim.control.advance(accepted.supplierOrderId, { to: 'cancelled' })
  t.match((await supplier.statuses([accepted]))[0], { status: 'cancelled' })
})

void t.test('when a draft or pending order is cancelled, then it is cancelled; once in production, it is too late', async (t) => {
  const { sim, supplier } = await setup(t)
  const pending = await supplier.submit(draft(), { confirm: true })
  t.equal(await supplier.cancel(pending), 'cancelled')
  t.equal(await supplier.cancel(pending), 'cancelled', 'cancelling twice still reads as cancelled')
  const busy = await supplier.submit(draft({ externalId: 'pb-1002-f1' }), { confirm: true })
  await sim.control.advance(busy.supplierOrderId, { to: 'in_production' })
  t.equal(await supplier.cancel(busy), 'too_late')
})

void t.test('when a confirmed order is edited, then Printful answers OR-1 (only draft or failed orders are editable)', async (t) => {
  const { supplier } = await setup(t)
  const accepted = await supplier.submit(draft(), { confirm: true })
  await t.rejects(supplier.api.updateOrder(accepted.supplierOrderId, { shipping: 'EXPRESS' }, { confirm: false }), { code: 'upstream_rejected', message: /OR-1/ })
})

void t.test('when orders are listed by status, then Printful pages them, at most 100 a page', async (t) => {
  const { sim, supplier } = await setup(t)
  for (let i = 0; i < 3; i++) await supplier.submit(draft({ externalId: `pb-${String(i)}-f1` }), { confirm: i > 0 })
  const pending = await supplier.api.listOrders({ status: 'pending', limit: 500 })
  t.equal(pending.total, 2)
  t.equal(pending.orders.length, 2)
  t.equal((await supplier.api.listOrders({ limit: 500 })).orders.length, 3)
  t.equal(sim.control.requests({ path: '/orders' }).at(-1)?.query.limit, '100', 'the limit is capped at 100 (§1.5)')
})

void t.test('when the catalog is read, then every sync variant comes with its mapping payload', async (t) => {
  const { supplier } = await setup(t)
  const variants = []
  for await (const variant of supplier.catalog()) variants.push(variant)
  t.equal(variants.length, 3)
  t.match(variants[0], { supplier: 'printful', productId: '301', variantId: '4001', externalId: 'sv-tee-white-s', sku: 'TEE-WHT-S', ref: { syncVariantId: '4001' } })
})

void t.test('when the store is a Manual/API store, then it does not import orders itself; a Shopify store does', async (t) => {
  const { supplier } = await setup(t)
  t.match(await supplier.storeInfo(), { kind: 'native', importsOrdersItself: false, id: '10' })
  const linked = await setup(t, { store: { type: 'shopify' } })
  t.match(await linked.supplier.storeInfo(), { kind: 'shopify', importsOrdersItself: true })
})

void t.test('when an account-level token is used, then store-scoped calls need X-PF-Store-Id', async (t) => {
  const without = await setup(t, { accountLevelToken: true })
  await t.rejects(without.supplier.find('x'), { code: 'upstream_rejected', message: /X-PF-Store-Id/ })
  const withStore = await setup(t, { accountLevelToken: true }, { storeId: '10' })
  t.equal(await withStore.supplier.find('x'), undefined)
  t.equal(withStore.sim.control.requests()[0]?.headers['x-pf-store-id'], '10')
})

void t.test('when the token is wrong, then the error is unauthorized', async (t) => {
  const { supplier } = await setup(t, {}, { token: 'wrong' })
  await t.rejects(supplier.find('x'), { code: 'unauthorized', retryable: false })
})

void t.test('when an order ships, then a v1 package_shipped webhook arrives and parses to a shipment of that order', async (t) => {
  const receiver = await webhookReceiver()
  t.teardown(receiver.close)
  const { sim, supplier } = await setup(t, { webhookUrl: receiver.url })
  const accepted = await supplier.submit(draft(), { confirm: true })
  await sim.control.advance(accepted.supplierOrderId, { to: 'shipped', packages: 2 })
  const shipped = receiver.received.filter((r) => r.body.includes('"package_shipped"'))
  t.equal(shipped.length, 2, 'one event per package')
  const event = parsePrintfulWebhook(shipped[1]?.body ?? '')
  t.match(event, { supplier: 'printful', type: 'package_shipped', supplierOrderId: accepted.supplierOrderId, externalId: 'pb-1001-f1', status: 'shipped', shipment: { items: [{ lineRef: 'line-2' }] } })
  t.notOk(shipped[0]?.headers['x-pf-webhook-signature'], 'v1 events are unsigned')
  t.same(receiver.received.map((r) => (JSON.parse(r.body) as { type: string }).type), ['order_created', 'order_updated', 'package_shipped', 'package_shipped'])
})

void t.test('when a webhook body is not a v1 event, then parsing refuses it', async (t) => {
  t.throws(() => parsePrintfulWebhook('{"nope":1}'), { code: 'bad_request' })
  t.throws(() => parsePrintfulWebhook('{'), { code: 'bad_request' })
})

void t.test('when a package comes back, then the package_returned webhook reads as a returned order', async (t) => {
  const receiver = await webhookReceiver()
  t.teardown(receiver.close)
  const { sim, supplier } = await setup(t, { webhookUrl: receiver.url })
  const accepted = await supplier.submit(draft(), { confirm: true })
  await sim.control.advance(accepted.supplierOrderId, { to: 'shipped' })
  await sim.control.advance(accepted.supplierOrderId, { to: 'returned', reason: 'Unknown address' })
  const returned = receiver.received.find((r) => r.body.includes('"package_returned"'))
  t.match(parsePrintfulWebhook(returned?.body ?? ''), { type: 'package_returned', status: 'returned', reason: 'Unknown address', shipment: { supplierShipmentId: /^\d+$/ } })
})

void t.test('when the receiver fails once, then Printful retries the event after its delay', async (t) => {
  const receiver = await webhookReceiver(503)
  t.teardown(receiver.close)
  const { sim, supplier } = await setup(t, { webhookUrl: receiver.url, webhookRetry: { delaysMs: [5] } })
  await supplier.submit(draft(), { confirm: false })
  await sim.control.drainWebhooks()
  t.same(sim.control.webhookDeliveries().map((d) => [d.topic, d.attempt, d.status]), [['order_created', 1, 503], ['order_created', 2, 503]])
})
