import t from 'tap'
import { releaseDueHolds } from '../../src/orders/routing/approval.ts'
import { upsertMappings } from '../../src/orders/routing/mappings.ts'
import { bearer, testApp } from '../helpers/app.ts'
import { jobs, printfulTee, printifyMug, route, routeDepsFor, seedOrder } from '../helpers/routing-factories.ts'

async function heldOrder (t: Parameters<typeof testApp>[0], approval: { kind: 'manual' } | { kind: 'delay', minutes: number } | { kind: 'auto' }) {
  const ctx = await testApp(t, { boss: true })
  const db = ctx.database.db
  await upsertMappings(db, [printfulTee, printifyMug])
  const seeded = await seedOrder(db, [{ sku: 'TEE-WHT-S' }, { sku: 'MUG-11' }])
  const outcome = await route(db, routeDepsFor(ctx.boss!, { approval }), seeded.orderId)
  const post = (action: string, ref = '1001', body?: object) => ctx.app.inject({ method: 'POST', url: `/v1/orders/${encodeURIComponent(ref)}/${action}`, headers: bearer(), ...(body ? { payload: body } : {}) })
  const supplierOrders = () => db.selectFrom('supplier_orders').select(['supplier', 'state', 'reason', 'hold_until']).orderBy('supplier').execute()
  const order = () => db.selectFrom('orders').select(['state', 'state_reason', 'approved_at', 'approved_by', 'hold_until', 'cancelled_locally_at']).executeTakeFirstOrThrow()
  return { ...ctx, db, seeded, outcome, post, supplierOrders, order }
}

t.test('when APPROVAL_MODE is auto, then supplier orders are pending with their submit jobs at once', async (t) => {
  const { outcome, supplierOrders, db } = await heldOrder(t, { kind: 'auto' })
  t.match(outcome, { state: 'received' })
  t.match(await supplierOrders(), [{ state: 'pending' }, { state: 'pending' }])
  t.equal((await jobs(db, 'supplier.submit')).length, 2)
})

t.test('when APPROVAL_MODE is manual, then the order is held until approved, and approving twice answers 409', async (t) => {
  const { outcome, supplierOrders, post, db, order } = await heldOrder(t, { kind: 'manual' })
  t.match(outcome, { state: 'held' })
  t.match(await supplierOrders(), [{ state: 'held', reason: 'waiting for approval (APPROVAL_MODE=manual)' }, { state: 'held' }])
  t.equal((await jobs(db, 'supplier.submit')).length, 0, 'nothing is created at a supplier while held')
  t.match(await order(), { state: 'held', state_reason: 'waiting for approval (APPROVAL_MODE=manual)' })

  const approved = await post('approve', '#1001', { by: 'sam' })
  t.equal(approved.statusCode, 200)
  t.match(approved.json(), { state: 'received', result: 'released', supplierOrders: [{ supplier: /print/ }, { supplier: /print/ }] })
  t.match(await supplierOrders(), [{ state: 'pending', reason: null }, { state: 'pending' }])
  t.equal((await jobs(db, 'supplier.submit')).length, 2)
  t.match(await order(), { state: 'received', approved_by: 'sam', approved_at: Date })

  const again = await post('approve')
  t.equal(again.statusCode, 409)
  t.match(again.json(), { error: { code: 'conflict', message: /^order #1001 is received, not held: there is nothing to approve/ } })
})

t.test('when APPROVAL_MODE is delay, then the order is held until hold_until, and the sweep sends it after', async (t) => {
  const { supplierOrders, db, boss, order } = await heldOrder(t, { kind: 'delay', minutes: 30 })
  const held = await supplierOrders()
  t.match(held, [{ state: 'held', reason: /^held until .* \(APPROVAL_MODE=delay:30\)$/ }, { state: 'held' }])
  const until = held[0]?.hold_until
  t.ok(until && until.getTime() > Date.now() + 29 * 60_000)
  t.same((await order()).hold_until, until)
  t.equal(await releaseDueHolds(db, boss!), 0, 'not due yet')
  t.equal(await releaseDueHolds(db, boss!, new Date(Date.now() + 31 * 60_000)), 2)
  t.match(await supplierOrders(), [{ state: 'pending', hold_until: null }, { state: 'pending' }])
  t.match(await order(), { state: 'received', hold_until: null })
  t.equal((await jobs(db, 'supplier.submit')).length, 2)
  t.equal(await releaseDueHolds(db, boss!, new Date(Date.now() + 31 * 60_000)), 0, 'a second sweep finds nothing')
})

t.test('when an order is cancelled while held, then nothing is sent, the sweep leaves it, and approving it answers 409', async (t) => {
  const { post, supplierOrders, db, boss, order } = await heldOrder(t, { kind: 'delay', minutes: 5 })
  const cancelled = await post('cancel', '1001')
  t.equal(cancelled.statusCode, 200, 'nothing was sent: the whole cancel happens here')
  t.match(cancelled.json(), { order: { state: 'cancelled' }, supplierOrders: [{ outcome: 'cancelled' }, { outcome: 'cancelled' }] })
  t.match(await supplierOrders(), [{ state: 'cancelled' }, { state: 'cancelled' }])
  t.match(await order(), { state: 'cancelled', state_reason: 'cancelled by ops', cancelled_locally_at: Date })
  t.equal(await releaseDueHolds(db, boss!, new Date(Date.now() + 10 * 60_000)), 0)
  t.equal((await jobs(db, 'supplier.submit')).length, 0)

  const approve = await post('approve')
  t.equal(approve.statusCode, 409)
  t.match(approve.json(), { error: { code: 'conflict', message: 'order #1001 is cancelled: there is nothing to approve' } })
  t.match((await post('cancel')).json(), { supplierOrders: [{ outcome: 'already_cancelled' }, { outcome: 'already_cancelled' }] }, 'cancelling again is harmless')
  const timeline = (await db.selectFrom('order_events').select('kind').execute()).map((e) => e.kind)
  t.ok(timeline.includes('cancel.local'))
})

t.test('when a supplier order was already sent, then cancel answers 202 and asks the supplier through order.cancel', async (t) => {
  const { post, db, supplierOrders } = await heldOrder(t, { kind: 'auto' })
  await db.updateTable('supplier_orders').set({ state: 'submitted', supplier_order_id: '100000001', attempts: 1 }).where('supplier', '=', 'printful').execute()
  const res = await post('cancel')
  t.equal(res.statusCode, 202)
  t.match(await supplierOrders(), [{ state: 'cancel_requested' }, { state: 'cancelled' }])
  t.equal((await jobs(db, 'order.cancel')).length, 1)
})

t.test('when an order held before the cut-over is approved, then approved_at is set and order.sync reads it again', async (t) => {
  const { database: { db }, app } = await testApp(t, { boss: true })
  const seeded = await seedOrder(db, [{ sku: 'TEE-WHT-S' }])
  await db.updateTable('orders').set({ state: 'held', state_reason: 'created before the cut-over (ROUTE_ORDERS_CREATED_AFTER)' }).execute()
  const res = await app.inject({ method: 'POST', url: `/v1/orders/${seeded.orderId}/approve`, headers: bearer() })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { result: 'sync_requested', supplierOrders: [] })
  t.match(await db.selectFrom('orders').select(['approved_at', 'approved_by']).executeTakeFirst(), { approved_at: Date, approved_by: 'ops' })
  t.match(await jobs(db, 'order.sync'), [{ data: { shop: 'pod-bridge-test.myshopify.com', shopifyOrderId: seeded.snapshot.id, reason: 'approved' } }])
})

t.test('when the order does not exist or the body is wrong, then 404 and 400', async (t) => {
  const { app } = await testApp(t, { boss: true })
  const missing = await app.inject({ method: 'POST', url: '/v1/orders/9999/approve', headers: bearer() })
  t.equal(missing.statusCode, 404)
  const bad = await app.inject({ method: 'POST', url: '/v1/orders/9999/approve', headers: bearer(), payload: { by: 5 } })
  t.equal(bad.statusCode, 400)
  t.match(bad.json().error.message, /^body\.by: /)
})
