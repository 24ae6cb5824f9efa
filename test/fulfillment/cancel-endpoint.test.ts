// POST /v1/orders/:ref/cancel through the real app.
import t from 'tap'
import { sql } from 'kysely'
import { bearer, testApp } from '../helpers/app.ts'
import { seedSupplierOrder } from '../helpers/submission.ts'

const draft = { externalId: 'x', items: [] }

t.test('when the order is unknown, then 404; when nothing was routed yet, then 409 saying to cancel in Shopify', async (t) => {
  const { app, database } = await testApp(t, { boss: true })
  const unknown = await app.inject({ method: 'POST', url: '/v1/orders/%239999/cancel', headers: bearer() })
  t.equal(unknown.statusCode, 404)
  t.equal(unknown.json().error.code, 'not_found')
  const order = await database.db.insertInto('orders').values({ shop: 's', shopify_order_id: 'gid://shopify/Order/77', name: '#1077' }).returning('id').executeTakeFirstOrThrow()
  const bare = await app.inject({ method: 'POST', url: '/v1/orders/1077/cancel', headers: bearer() })
  t.equal(bare.statusCode, 409)
  t.match(bare.json().error.message, /cancel the order in Shopify/)
  const state = await database.db.selectFrom('orders').select('state').where('id', '=', order.id).executeTakeFirstOrThrow()
  t.equal(state.state, 'received', 'nothing changed')
})

t.test('when only held supplier orders exist, then they are cancelled in the request and the answer is 200', async (t) => {
  const { app, database } = await testApp(t, { boss: true })
  const seeded = await seedSupplierOrder(database.db, { supplier: 'printify', externalId: 'pb-1001-y1', draft })
  await database.db.updateTable('supplier_orders').set({ state: 'held' }).execute()
  const res = await app.inject({ method: 'POST', url: `/v1/orders/${seeded.orderId}/cancel`, headers: bearer() })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { order: { id: seeded.orderId, state: 'cancelled' }, supplierOrders: [{ id: seeded.supplierOrderId, supplier: 'printify', externalId: 'pb-1001-y1', outcome: 'cancelled', reason: 'cancelled by ops; never sent to printify' }] })
  const jobs = await sql<{ n: number }>`select count(*)::int as n from pgboss.job where name = 'order.cancel'`.execute(database.db)
  t.equal(jobs.rows[0]?.n, 0, 'no supplier to ask, no job')
})

t.test('when a supplier order was submitted, then it is marked cancel_requested with an order.cancel job in the same commit, and the answer is 202', async (t) => {
  const { app, database } = await testApp(t, { boss: true })
  const sent = await seedSupplierOrder(database.db, { supplier: 'printful', externalId: 'pb-1002-f1', draft })
  await database.db.updateTable('supplier_orders').set({ state: 'submitted', supplier_order_id: '555' }).where('id', '=', sent.supplierOrderId).execute()
  const held = await seedSupplierOrder(database.db, { supplier: 'printify', externalId: 'pb-1002-y1', draft, orderId: sent.orderId })
  await database.db.updateTable('supplier_orders').set({ state: 'held' }).where('id', '=', held.supplierOrderId).execute()
  const res = await app.inject({ method: 'POST', url: `/v1/orders/${sent.orderId}/cancel`, headers: bearer() })
  t.equal(res.statusCode, 202)
  t.match(res.json().supplierOrders, [{ id: sent.supplierOrderId, outcome: 'cancel_requested' }, { id: held.supplierOrderId, outcome: 'cancelled' }])
  const row = await database.db.selectFrom('supplier_orders').select('state').where('id', '=', sent.supplierOrderId).executeTakeFirstOrThrow()
  t.equal(row.state, 'cancel_requested')
  const jobs = await sql<{ data: unknown }>`select data from pgboss.job where name = 'order.cancel'`.execute(database.db)
  t.same(jobs.rows.map((j) => j.data), [{ orderId: sent.orderId, actor: 'ops' }])
  const again = await app.inject({ method: 'POST', url: `/v1/orders/${sent.orderId}/cancel`, headers: bearer() })
  t.equal(again.statusCode, 202, 'asking again is harmless')
  const count = await sql<{ n: number }>`select count(*)::int as n from pgboss.job where name = 'order.cancel'`.execute(database.db)
  t.equal(count.rows[0]?.n, 1, 'one job per order')
})
