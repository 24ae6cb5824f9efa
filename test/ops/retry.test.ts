import t from 'tap'
import { sql } from 'kysely'
import { bearer, testApp } from '../helpers/app.ts'
import { seedSupplierOrder } from '../helpers/submission.ts'

async function jobs (db: Parameters<typeof seedSupplierOrder>[0], name: string): Promise<number> {
  const rows = await sql<{ n: string }>`select count(*) as n from pgboss.job where name = ${name}`.execute(db)
  return Number(rows.rows[0]?.n)
}

t.test('when a refused submission is retried, then it is pending again, a submission is queued and the timeline says so', async (t) => {
  const { app, database } = await testApp(t, { boss: true })
  const { orderId, supplierOrderId } = await seedSupplierOrder(database.db, { supplier: 'printful', externalId: 'pb-42-f1', draft: {} })
  await database.db.updateTable('supplier_orders').set({ state: 'needs_attention', reason: 'Printful: invalid address', attempts: 1 }).where('id', '=', supplierOrderId).execute()
  const res = await app.inject({ method: 'POST', url: `/v1/orders/${orderId}/retry`, headers: bearer() })
  t.equal(res.statusCode, 200)
  t.same(res.json().retried, [{ job: 'supplier.submit', target: 'pb-42-f1' }])
  t.match(await database.db.selectFrom('supplier_orders').select(['state', 'reason']).executeTakeFirstOrThrow(), { state: 'pending', reason: null })
  t.equal(await jobs(database.db, 'supplier.submit'), 1)
  const timeline = await database.db.selectFrom('order_events').select(['kind', 'detail']).where('order_id', '=', orderId).execute()
  t.match(timeline, [{ kind: 'ops.retry', detail: /supplier\.submit \(pb-42-f1\)/ }])
})

t.test('when a sent order is on hold at the supplier, then retry reads it again; with nothing failed, the order is read from Shopify', async (t) => {
  const { app, database } = await testApp(t, { boss: true })
  const { orderId, supplierOrderId } = await seedSupplierOrder(database.db, { supplier: 'printify', externalId: 'pb-43-y1', draft: {} })
  await database.db.updateTable('supplier_orders').set({ state: 'needs_attention', supplier_order_id: 'abc', attempts: 1 }).where('id', '=', supplierOrderId).execute()
  t.same((await app.inject({ method: 'POST', url: `/v1/orders/${orderId}/retry`, headers: bearer() })).json().retried, [{ job: 'supplier.sync', target: 'pb-43-y1' }])
  await database.db.updateTable('supplier_orders').set({ state: 'submitted' }).where('id', '=', supplierOrderId).execute()
  const again = await app.inject({ method: 'POST', url: `/v1/orders/${orderId}/retry`, headers: bearer() })
  t.match(again.json().retried, [{ job: 'order.sync' }])
})

t.test('when the order is cancelled or unknown, then 409 or 404', async (t) => {
  const { app, database } = await testApp(t, { boss: true })
  const { orderId } = await seedSupplierOrder(database.db, { supplier: 'printful', externalId: 'pb-44-f1', draft: {} })
  await database.db.updateTable('orders').set({ state: 'cancelled' }).execute()
  const cancelled = await app.inject({ method: 'POST', url: `/v1/orders/${orderId}/retry`, headers: bearer() })
  t.equal(cancelled.statusCode, 409)
  t.equal((await app.inject({ method: 'POST', url: '/v1/orders/99999/retry', headers: bearer() })).statusCode, 404)
  t.equal((await app.inject({ method: 'POST', url: `/v1/orders/${orderId}/retry` })).statusCode, 401)
})
