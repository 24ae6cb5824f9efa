// Supplier status sync over the simulators: webhooks first, the sweeper as
// the guarantee, every shipment recorded once.
import { builtInRegistry } from '../../src/suppliers/registry.ts'
import t from 'tap'
import { sql } from 'kysely'
import type { Db } from '../../src/db/database.ts'
import { applyObservation } from '../../src/orders/status/observe.ts'
import { eventually } from '../helpers/bridge.ts'
import { startSupplierBridge, submitOrder, type SupplierBridge } from '../helpers/supplier-bridge.ts'

const tee = { sku: 'TEE-WHT-S', quantity: 1, ref: { syncVariantId: '4001' } }
const mug = { sku: 'MUG-11', quantity: 2, ref: { syncVariantId: '4003' } }

async function shipments (db: Db, supplierOrderId: string) {
  return db.selectFrom('shipments').select(['id', 'carrier', 'tracking_number', 'items', 'dedupe_key']).where('supplier_order_id', '=', supplierOrderId).orderBy('created_at').execute()
}

async function orderState (db: Db, orderId: string): Promise<string> {
  return (await db.selectFrom('orders').select('state').where('id', '=', orderId).executeTakeFirstOrThrow()).state
}

async function fulfillJobs (db: Db): Promise<number> {
  const rows = await sql<{ n: string }>`select count(*) as n from pgboss.job where name = 'shopify.fulfill'`.execute(db)
  return Number(rows.rows[0]?.n)
}

async function shipInTwo (bridge: SupplierBridge) {
  const order = await submitOrder(bridge, 'printful', [tee, mug])
  await bridge.sims.printful.control.advance(order.supplierOrderRef, { to: 'in_production' })
  await bridge.sims.printful.control.advance(order.supplierOrderRef, { to: 'shipped', packages: 2 })
  return order
}

t.test('when Printful ships in two packages and says so by webhook, then two shipments with tracking and lines, and the order is shipped', async (t) => {
  const bridge = await startSupplierBridge(t)
  const order = await shipInTwo(bridge)
  const rows = await eventually(async () => {
    const found = await shipments(bridge.database.db, order.supplierOrderId)
    return found.length === 2 ? found : undefined
  }, 15_000, 'two shipments')
  for (const row of rows) t.ok(row.tracking_number, 'tracked')
  const covered = rows.flatMap((r) => r.items as { orderLineId: string, quantity: number }[])
  t.same(covered.map((i) => i.orderLineId).sort(), [...order.lineIds].sort(), 'every line is in a parcel')
  await eventually(async () => await orderState(bridge.database.db, order.orderId) === 'shipped', 15_000, 'order shipped')
  t.equal(await fulfillJobs(bridge.database.db), 2, 'one Shopify write-back queued per parcel')
})

t.test('when the webhook is lost, then the sweeper reads the order and finds the same shipments', async (t) => {
  const bridge = await startSupplierBridge(t)
  bridge.sims.printful.control.setWebhookUrl(undefined)
  const order = await shipInTwo(bridge)
  t.equal((await shipments(bridge.database.db, order.supplierOrderId)).length, 0, 'nothing known without the webhook')
  // Make it due now rather than waiting out SUPPLIER_POLL_INTERVAL.
  await bridge.database.db.updateTable('supplier_orders').set({ next_poll_at: sql`now()` }).where('id', '=', order.supplierOrderId).execute()
  const rows = await eventually(async () => {
    const found = await shipments(bridge.database.db, order.supplierOrderId)
    return found.length === 2 ? found : undefined
  }, 15_000, 'the sweeper to find two shipments')
  t.equal(rows.length, 2)
  const next = await bridge.database.db.selectFrom('supplier_orders').select('next_poll_at').where('id', '=', order.supplierOrderId).executeTakeFirstOrThrow()
  t.equal(next.next_poll_at, null, 'a shipped order is no longer polled')
})

t.test('when the same shipment event arrives three times and a stale status follows, then nothing changes', async (t) => {
  const bridge = await startSupplierBridge(t)
  const order = await submitOrder(bridge, 'printful', [tee])
  await bridge.sims.printful.control.advance(order.supplierOrderRef, { to: 'shipped' })
  await eventually(async () => (await shipments(bridge.database.db, order.supplierOrderId)).length === 1 || undefined, 15_000, 'one shipment')
  const delivery = bridge.sims.printful.control.webhookDeliveries().find((d) => d.body.includes('package_shipped'))!
  for (let i = 0; i < 3; i++) {
    const res = await fetch(delivery.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: delivery.body })
    t.equal(res.status, 200)
  }
  await bridge.service.boss.getQueue('supplier.sync')
  t.equal((await shipments(bridge.database.db, order.supplierOrderId)).length, 1)
  const events = await bridge.database.db.selectFrom('webhook_events').select('id').where('topic', '=', 'package_shipped').execute()
  t.equal(events.length, 1, 'the repeats are duplicates of one stored event')
  const row = await bridge.database.db.selectFrom('supplier_orders').select(['id', 'order_id', 'supplier', 'state', 'supplier_status', 'supplier_updated_at', 'reason']).where('id', '=', order.supplierOrderId).executeTakeFirstOrThrow()
  const stale = await bridge.database.db.transaction().execute((trx) => applyObservation(trx, row, { supplierOrderId: order.supplierOrderRef, externalId: '', status: 'in_production', observedAt: new Date(row.supplier_updated_at!.getTime() - 60_000).toISOString(), shipments: [] }, builtInRegistry.supplier(row.supplier)))
  t.equal(stale.stale, true)
  const after = await bridge.database.db.selectFrom('supplier_orders').select('supplier_status').where('id', '=', order.supplierOrderId).executeTakeFirstOrThrow()
  t.equal(after.supplier_status, 'shipped', 'an older observation never replaces a newer one')
})

t.test('when a parcel is returned and reshipped, then both are followed and shown', async (t) => {
  const bridge = await startSupplierBridge(t)
  const order = await submitOrder(bridge, 'printful', [tee])
  const control = bridge.sims.printful.control
  await control.advance(order.supplierOrderRef, { to: 'shipped' })
  await eventually(async () => (await shipments(bridge.database.db, order.supplierOrderId)).length === 1 || undefined, 15_000, 'first parcel')
  await control.advance(order.supplierOrderRef, { to: 'returned' })
  await eventually(async () => {
    const row = await bridge.database.db.selectFrom('supplier_orders').select('supplier_status').where('id', '=', order.supplierOrderId).executeTakeFirstOrThrow()
    return row.supplier_status === 'returned' || undefined
  }, 15_000, 'the return')
  const timeline = await bridge.database.db.selectFrom('order_events').select(['kind', 'detail']).where('order_id', '=', order.orderId).execute()
  t.ok(timeline.some((e) => e.kind === 'supplier.returned'), 'the return is on the timeline')
  // The reshipment comes as a new parcel with its own tracking: recorded beside the first.
  await bridge.database.db.updateTable('supplier_orders').set({ next_poll_at: sql`now()` }).where('id', '=', order.supplierOrderId).execute()
  const reship = await bridge.database.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('supplier_orders').select(['id', 'order_id', 'supplier', 'state', 'supplier_status', 'supplier_updated_at', 'reason']).where('id', '=', order.supplierOrderId).executeTakeFirstOrThrow()
    return applyObservation(trx, row, { supplierOrderId: order.supplierOrderRef, externalId: '', status: 'shipped', observedAt: new Date().toISOString(), shipments: [{ supplierShipmentId: 'reship-1', carrier: 'USPS', trackingNumber: '9400RESHIP', shippedAt: new Date().toISOString(), reshipment: true, items: [{ lineRef: order.lineIds[0]!, quantity: 1 }] }] }, builtInRegistry.supplier(row.supplier))
  })
  t.equal(reship.shipmentIds.length, 1, 'the reshipped parcel is new work for Shopify')
  t.equal((await shipments(bridge.database.db, order.supplierOrderId)).length, 2)
  const after = await bridge.database.db.selectFrom('order_events').select('detail').where('order_id', '=', order.orderId).where('kind', '=', 'shipment.recorded').execute()
  t.match(after.map((e) => e.detail), [/^shipped/, /^reshipped: USPS 9400RESHIP/])
})

t.test('when Printful sends a confirmed order back to draft after a cost calculation, then it is confirmed again', async (t) => {
  const bridge = await startSupplierBridge(t)
  const order = await submitOrder(bridge, 'printful', [tee])
  await bridge.sims.printful.control.advance(order.supplierOrderRef, { to: 'in_production' })
  await eventually(async () => (await bridge.database.db.selectFrom('supplier_orders').select('supplier_status').where('id', '=', order.supplierOrderId).executeTakeFirstOrThrow()).supplier_status === 'in_production' || undefined, 15_000, 'in production')
  await bridge.sims.printful.control.advance(order.supplierOrderRef, { to: 'draft' })
  await eventually(async () => {
    const events = await bridge.database.db.selectFrom('order_events').select('kind').where('order_id', '=', order.orderId).execute()
    return events.some((e) => e.kind === 'supplier.confirmed_again') || undefined
  }, 15_000, 'the order confirmed again')
  t.not(bridge.sims.printful.control.order(order.supplierOrderRef)?.status, 'draft')
})

t.test('when Printify puts an order on hold, then it needs attention with the reason; released, it is back on track', async (t) => {
  const bridge = await startSupplierBridge(t)
  const order = await submitOrder(bridge, 'printify', [{ sku: 'PFY-TEE-WHT-S', quantity: 1, ref: { productId: '5b05842f3921c9547531758d', variantId: '12100' } }])
  await bridge.sims.printify.control.advance(order.supplierOrderRef, { to: 'on_hold', reason: 'Artwork needs review' })
  const held = await eventually(async () => {
    const row = await bridge.database.db.selectFrom('orders').select(['state', 'state_reason']).where('id', '=', order.orderId).executeTakeFirstOrThrow()
    return row.state === 'needs_attention' ? row : undefined
  }, 15_000, 'needs attention')
  t.match(held.state_reason, /Printify put the order on hold/)
})

t.test('when a Printify webhook is forged, then 401 and nothing is stored', async (t) => {
  const bridge = await startSupplierBridge(t)
  const body = JSON.stringify({ id: 'evt-1', type: 'order:updated', created_at: '2026-11-27 10:00:00+00:00', resource: { id: 'abc', type: 'order', data: { status: 'fulfilled' } } })
  const res = await fetch(`${bridge.service.url}/webhooks/printify`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-pfy-signature': 'sha256=' + '0'.repeat(64) }, body })
  t.equal(res.status, 401)
  t.match(await res.json(), { error: { code: 'unauthorized' } })
  const wrongToken = await fetch(`${bridge.service.url}/webhooks/printful?token=nope`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"package_shipped"}' })
  t.equal(wrongToken.status, 401)
  t.equal((await bridge.database.db.selectFrom('webhook_events').select('id').execute()).length, 0)
})

t.test('when Printful ships and calls before our submission has committed, then the read waits for the commit instead of being dropped', async (t) => {
  // Polled in an hour: only the webhook's read can find the shipment within the test.
  const bridge = await startSupplierBridge(t, { SUPPLIER_POLL_INTERVAL: '3600' })
  const db = bridge.database.db
  const order = await submitOrder(bridge, 'printful', [tee])
  // As the order stands while supplier.submit is still writing: created at Printful, `submitting` here, its id not stored.
  await db.updateTable('supplier_orders').set({ state: 'submitting', supplier_order_id: null, next_poll_at: null }).where('id', '=', order.supplierOrderId).execute()
  await bridge.sims.printful.control.advance(order.supplierOrderRef, { to: 'in_production' })
  await bridge.sims.printful.control.advance(order.supplierOrderRef, { to: 'shipped' })
  await eventually(async () => {
    const events = await db.selectFrom('webhook_events').select('id').where('source', '=', 'printful').where('order_id', '=', order.orderId).where('topic', '=', 'package_shipped').execute()
    return events.length > 0 || undefined
  }, 15_000, 'the shipment webhook stored')
  // The submission commits (as markSubmitted leaves it), once the webhook's read has run.
  await eventually(async () => {
    // Every read the webhooks queued has run: none running or due, at least one done.
    const jobs = await sql<{ done: string, due: string }>`
      select count(*) filter (where state = 'completed') as done, count(*) filter (where state = 'active' or (state in ('created', 'retry') and start_after <= now())) as due
      from pgboss.job where name = 'supplier.sync' and singleton_key = ${order.supplierOrderId}`.execute(db)
    return (Number(jobs.rows[0]?.done) > 0 && Number(jobs.rows[0]?.due) === 0) || undefined
  }, 15_000, 'the webhooks\' reads to have run')
  await db.updateTable('supplier_orders').set({ state: 'submitted', supplier_order_id: order.supplierOrderRef, next_poll_at: sql`now() + interval '1 hour'` }).where('id', '=', order.supplierOrderId).execute()
  const rows = await eventually(async () => {
    const found = await shipments(db, order.supplierOrderId)
    return found.length === 1 ? found : undefined
  }, 15_000, 'the shipment read once the submission committed')
  t.ok(rows[0]?.tracking_number, 'tracked')
})
