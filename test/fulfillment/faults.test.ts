// shopify.fulfill when Shopify is slow, full, silent or changed under us:
// throttling, a lost answer, a moved fulfillment order, a hold, two runners.
import t from 'tap'
import { sql } from 'kysely'
import { fulfillShipment } from '../../src/orders/fulfillment/write-back.ts'
import type { CreateFulfillmentInput, ShopifyAdminClient } from '../../src/shopify/index.ts'
import { clientFor } from '../fixtures/shopify/sim-setup.ts'
import { fulfillmentWorld, seedRoutedOrder, seedShipment, timelineKinds, type FulfillmentWorld, type SeededOrder } from '../helpers/fulfillment-factories.ts'

/** The client, with `before` run ahead of each fulfillmentCreate: what the merchant or Shopify does meanwhile. */
function withBeforeCreate (client: ShopifyAdminClient, before: (input: CreateFulfillmentInput, call: number) => Promise<void>): ShopifyAdminClient {
  let calls = 0
  return { ...client, createFulfillment: async (input) => { await before(input, ++calls); return client.createFulfillment(input) } }
}

async function oneLine (world: FulfillmentWorld, quantity = 1): Promise<{ order: SeededOrder, shipment: string }> {
  const order = await seedRoutedOrder(world, [{ sku: 'TEE', quantity, supplier: 'printful' }])
  const shipment = await seedShipment(world.database.db, { supplierOrderId: order.supplierOrders.printful ?? '', items: [{ orderLineId: order.lines.TEE?.id ?? '', quantity: 1 }], trackingNumber: 'TRK-1' })
  return { order, shipment }
}

t.test('when Shopify answers THROTTLED once, then the client waits for the bucket and the fulfillment is written', async (t) => {
  const world = await fulfillmentWorld(t)
  const { order, shipment } = await oneLine(world)
  const reads = (): number => world.sim.store.requests().filter((r) => r.operationName === 'PodBridgeOrder').length
  const before = reads()
  world.sim.store.throttleNext(1)
  t.equal(await fulfillShipment(world.deps, shipment, 0), 'synced')
  t.equal(world.sim.store.fulfillments(order.shopifyOrderId).length, 1)
  t.equal(reads() - before, 2, 'the throttled read was sent again after the wait')
})

t.test('when Shopify\'s bucket needs longer than a worker should wait, then the job is rescheduled for when it refills, and that run writes it', async (t) => {
  const world = await fulfillmentWorld(t)
  const { order, shipment } = await oneLine(world)
  // 10 points short at 0.1 points/s: 100 s, far over the client's 20 s in-call wait.
  world.sim.store.throttleNext(1, { requestedQueryCost: 10, currentlyAvailable: 0, restoreRate: 0.1 })
  const before = Date.now()
  t.equal(await fulfillShipment(world.deps, shipment, 0), 'rescheduled')
  t.equal(world.sim.store.fulfillments(order.shopifyOrderId).length, 0)
  const jobs = await sql<{ start_after: Date, singleton_key: string | null }>`select start_after, singleton_key from pgboss.job where name = 'shopify.fulfill' and data->>'shipmentId' = ${shipment}`.execute(world.database.db)
  t.equal(jobs.rows.length, 1, 'the next attempt is queued')
  t.ok((jobs.rows[0]?.start_after.getTime() ?? 0) >= before + 90_000, 'for when the bucket has refilled')
  t.equal(jobs.rows[0]?.singleton_key, shipment)
  t.ok((await timelineKinds(world.database.db, order.orderId)).includes('fulfillment.rate_limited'))
  // The rescheduled run (a fresh worker whose client has not seen the empty bucket).
  t.equal(await fulfillShipment({ ...world.deps, shopify: clientFor(t, world.sim) }, shipment, 0), 'synced')
  t.equal(world.sim.store.fulfillments(order.shopifyOrderId).length, 1)
})

t.test('when Shopify creates the fulfillment but the answer never comes, then the retry finds it and does not fulfil twice', async (t) => {
  const world = await fulfillmentWorld(t, { client: { timeouts: { connectMs: 1000, requestMs: 1000 } } })
  const { order, shipment } = await oneLine(world, 2)
  const shopify = withBeforeCreate(world.client, async () => { world.sim.store.failNext(1, 'answer_lost') })
  const deps = { ...world.deps, shopify }
  await t.rejects(fulfillShipment(deps, shipment, 0), { code: 'upstream_transient' }, 'the first attempt times out and is retried by pg-boss')
  t.equal(world.sim.store.fulfillments(order.shopifyOrderId).length, 1, 'Shopify did create it')
  const pending = await world.database.db.selectFrom('shipments').select('shopify_sync_state').where('id', '=', shipment).executeTakeFirstOrThrow()
  t.equal(pending.shopify_sync_state, 'pending')
  t.equal(await fulfillShipment(world.deps, shipment, 1), 'synced')
  const fulfillments = world.sim.store.fulfillments(order.shopifyOrderId)
  t.equal(fulfillments.length, 1, 'still one fulfillment')
  const recorded = await world.database.db.selectFrom('shipment_fulfillments').select('shopify_fulfillment_id').where('shipment_id', '=', shipment).execute()
  t.same(recorded.map((r) => r.shopify_fulfillment_id), [fulfillments[0]?.id], 'the found one is recorded')
  t.match(await timelineKinds(world.database.db, order.orderId), ['fulfillment.retry', 'fulfillment.adopted'])
  t.match(world.sim.store.fulfillmentOrders(order.shopifyOrderId)[0]?.lineItems, [{ remainingQuantity: 1 }], 'the second unit is still open')
})

t.test('when the fulfillment order is moved between our read and our write, then the order is read again and the parcel goes on the moved one', async (t) => {
  const world = await fulfillmentWorld(t)
  const { db } = world.database
  const order = await seedRoutedOrder(world, [{ sku: 'TEE', quantity: 2, supplier: 'printful' }])
  const first = await seedShipment(db, { supplierOrderId: order.supplierOrders.printful ?? '', items: [{ orderLineId: order.lines.TEE?.id ?? '', quantity: 1 }], trackingNumber: 'PKG-1' })
  const second = await seedShipment(db, { supplierOrderId: order.supplierOrders.printful ?? '', items: [{ orderLineId: order.lines.TEE?.id ?? '', quantity: 1 }], trackingNumber: 'PKG-2' })
  t.equal(await fulfillShipment(world.deps, first, 0), 'synced')
  const [original] = world.sim.store.fulfillmentOrders(order.shopifyOrderId)
  // A fulfillment order with fulfilled items stays behind, closed; a new one at the destination takes the rest.
  const shopify = withBeforeCreate(world.client, async (_input, call) => {
    if (call === 1) await world.sim.store.moveFulfillmentOrder(original?.id ?? '', 'Overflow warehouse')
  })
  t.equal(await fulfillShipment({ ...world.deps, shopify }, second, 0), 'synced')
  const fos = world.sim.store.fulfillmentOrders(order.shopifyOrderId)
  t.match(fos, [{ id: original?.id, status: 'CLOSED' }, { status: 'CLOSED', location: 'Overflow warehouse' }])
  t.equal(world.sim.store.fulfillments(order.shopifyOrderId).length, 2)
  const recorded = await db.selectFrom('shipment_fulfillments').select('fulfillment_order_id').where('shipment_id', '=', second).execute()
  t.same(recorded.map((r) => r.fulfillment_order_id), [fos[1]?.id])
  t.ok((await timelineKinds(db, order.orderId)).includes('fulfillment.reread'))
  t.equal((await db.selectFrom('orders').select('state').where('id', '=', order.orderId).executeTakeFirstOrThrow()).state, 'fulfilled')
})

t.test('when Shopify refuses the fulfillment and a fresh read shows the fulfillment order on hold, then the shipment and the order need attention, and a run after the release writes it', async (t) => {
  const world = await fulfillmentWorld(t)
  const { db } = world.database
  const { order, shipment } = await oneLine(world)
  const [fo] = world.sim.store.fulfillmentOrders(order.shopifyOrderId)
  const shopify = withBeforeCreate(world.client, async (_input, call) => {
    if (call === 1) await world.sim.store.holdFulfillmentOrder(fo?.id ?? '', { reason: 'INCORRECT_ADDRESS' })
  })
  t.equal(await fulfillShipment({ ...world.deps, shopify }, shipment, 0), 'needs_attention')
  const row = await db.selectFrom('shipments').select(['shopify_sync_state', 'shopify_sync_error']).where('id', '=', shipment).executeTakeFirstOrThrow()
  t.equal(row.shopify_sync_state, 'failed')
  t.match(row.shopify_sync_error, /on hold in Shopify \(incorrect_address\)/)
  const saved = await db.selectFrom('orders').select(['state', 'state_reason']).where('id', '=', order.orderId).executeTakeFirstOrThrow()
  t.equal(saved.state, 'needs_attention')
  t.match(saved.state_reason, /Shopify write-back failed: .*on hold/)
  const events = await db.selectFrom('order_events').select(['kind', 'error']).where('order_id', '=', order.orderId).orderBy('id').execute()
  t.match(events.map((e) => e.kind), ['fulfillment.reread', 'fulfillment.failed', 'order.state'])
  t.match(events[0]?.error, /is on hold/, 'Shopify\'s userErrors are in the timeline')
  t.equal(world.sim.store.fulfillments(order.shopifyOrderId).length, 0)

  await world.sim.store.releaseHold(fo?.id ?? '')
  t.equal(await fulfillShipment(world.deps, shipment, 0), 'synced')
  const after = await db.selectFrom('orders').select('state').where('id', '=', order.orderId).executeTakeFirstOrThrow()
  t.equal(after.state, 'fulfilled')
})

t.test('when a parcel names more than Shopify has open, then nothing is written and the reason names the line', async (t) => {
  const world = await fulfillmentWorld(t)
  const order = await seedRoutedOrder(world, [{ sku: 'TEE', quantity: 1, supplier: 'printful' }])
  const shipment = await seedShipment(world.database.db, { supplierOrderId: order.supplierOrders.printful ?? '', items: [{ orderLineId: order.lines.TEE?.id ?? '', quantity: 3 }] })
  t.equal(await fulfillShipment(world.deps, shipment, 0), 'needs_attention')
  const row = await world.database.db.selectFrom('shipments').select('shopify_sync_error').where('id', '=', shipment).executeTakeFirstOrThrow()
  t.match(row.shopify_sync_error, /TEE: 3 shipped, 1 open in Shopify/)
  t.equal(world.sim.store.fulfillments(order.shopifyOrderId).length, 0)
})

t.test('when the same job runs twice at once, then one fulfillment is written', async (t) => {
  const world = await fulfillmentWorld(t)
  const { order, shipment } = await oneLine(world)
  const outcomes = await Promise.all([fulfillShipment(world.deps, shipment, 0), fulfillShipment(world.deps, shipment, 0)])
  t.same(outcomes.sort(), ['synced', 'unchanged'])
  t.equal(world.sim.store.fulfillments(order.shopifyOrderId).length, 1)
})

t.test('when no Shopify store is configured, then the job leaves the shipment pending', async (t) => {
  const world = await fulfillmentWorld(t)
  const { shipment } = await oneLine(world)
  t.equal(await fulfillShipment({ ...world.deps, shopify: undefined }, shipment, 0), 'not_configured')
  t.equal(await fulfillShipment(world.deps, '00000000-0000-4000-8000-000000000000', 0), 'nothing_to_do')
})
