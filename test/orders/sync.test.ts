// order.sync end to end: the store simulator sends signed webhooks to the
// running service, whose worker reads the order over the Admin API.
import { builtInRegistry } from '../../src/suppliers/registry.ts'
import t from 'tap'
import { sql } from 'kysely'
import type { Db } from '../../src/db/database.ts'
import { eventually, startBridge } from '../helpers/bridge.ts'

async function orderRow (db: Db, gid: string) {
  return db.selectFrom('orders').selectAll().where('shopify_order_id', '=', gid).executeTakeFirst()
}

async function lines (db: Db, orderId: string) {
  return db.selectFrom('order_lines').select(['sku', 'quantity', 'routable_quantity', 'state', 'reason']).where('order_id', '=', orderId).orderBy('sku').execute()
}

async function routeJobs (db: Db, orderId: string): Promise<number> {
  const rows = await sql<{ n: string }>`select count(*) as n from pgboss.job where name = 'order.route' and data->>'orderId' = ${orderId}`.execute(db)
  return Number(rows.rows[0]?.n)
}

/** The order once a sync has stored a version of it that satisfies `ready`. */
async function synced (db: Db, gid: string, ready: (row: NonNullable<Awaited<ReturnType<typeof orderRow>>>) => Promise<boolean> | boolean = () => true) {
  return eventually(async () => {
    const row = await orderRow(db, gid)
    return row?.snapshot && await ready(row) ? row : undefined
  }, 15_000, `order ${gid} to be synced`)
}

t.test('when a paid order is created in the store, then its webhook leads to a synced order, routable lines, and one order.route', async (t) => {
  const { store, database } = await startBridge(t)
  const ref = await store.store.createOrder({ lines: [{ sku: 'PF-TEE', quantity: 2 }, { sku: 'PY-MUG' }] })
  const order = await synced(database.db, ref.id)
  t.match(order, { name: ref.name, financial_status: 'PAID', test: false })
  // Routable lines; the router, with no mapping for them yet, then marks them unroutable.
  t.same((await lines(database.db, order.id)).map((l) => [l.sku, l.quantity, l.routable_quantity]), [['PF-TEE', 2, 2], ['PY-MUG', 1, 1]])
  // A second webhook of the same burst may queue one more route while the first runs (stately: one queued, one active).
  await eventually(async () => await routeJobs(database.db, order.id) >= 1, 5000, 'order.route')
  const timeline = await database.db.selectFrom('order_events').select(['kind', 'detail']).where('order_id', '=', order.id).orderBy('id').execute()
  const kinds = timeline.map((e) => e.kind)
  t.ok(kinds.indexOf('webhook.received') < kinds.indexOf('order.synced'), 'the webhook, then the sync')
  t.equal(kinds.filter((k) => k === 'order.synced').length, 1, 'one sync recorded for one version of the order')
  t.ok(kinds.includes('order.received'), 'handed to the router')
})

t.test('when create, paid and updated arrive shuffled, then one order in the store\'s current state and one route', async (t) => {
  const { service, store, database } = await startBridge(t)
  store.store.setWebhookUrl(undefined) // record the webhooks; deliver them by hand, out of order
  const ref = await store.store.createOrder({ financialStatus: 'PENDING', lines: [{ sku: 'A' }] })
  await store.store.pay(ref.id)
  await store.store.edit(ref.id, { add: [{ sku: 'B' }] })
  const deliveries = store.store.webhooks().filter((d) => d.topic.startsWith('orders/'))
  t.ok(deliveries.length >= 3, `${deliveries.length} order webhooks`)
  for (const delivery of [...deliveries].reverse()) {
    const res = await fetch(`${service.url}/webhooks/shopify`, { method: 'POST', headers: delivery.headers, body: delivery.body })
    t.equal(res.status, 200, delivery.topic)
  }
  const orders = await database.db.selectFrom('orders').select('id').execute()
  t.equal(orders.length, 1)
  const order = await synced(database.db, ref.id, async (row) => row.financial_status === 'PAID' && (await lines(database.db, row.id)).length === 2)
  t.equal(order.financial_status, 'PAID')
  t.same((await lines(database.db, order.id)).map((l) => [l.sku, l.routable_quantity]), [['A', 1], ['B', 1]])
  await eventually(async () => await routeJobs(database.db, order.id) >= 1, 5000, 'order.route')
  // Stately: one routing job queued and one running at most, however many deliveries came.
  t.ok(await routeJobs(database.db, order.id) <= 2, 'the burst collapses into at most one queued and one running route')
})

t.test('when the same sync runs again, then nothing changes and no timeline row is added', async (t) => {
  const { store, database, service } = await startBridge(t)
  const ref = await store.store.createOrder({ lines: [{ sku: 'A' }] })
  // Let the router finish with it first (it marks the unmapped line), then count.
  const order = await synced(database.db, ref.id, (row) => row.state === 'needs_attention')
  const before = await database.db.selectFrom('order_events').select(sql<string>`count(*)`.as('n')).where('order_id', '=', order.id).executeTakeFirstOrThrow()
  const { syncOrder } = await import('../../src/orders/intake/order-sync.ts')
  const { createShopifyAdminClient } = await import('../../src/shopify/index.ts')
  const shopify = createShopifyAdminClient({ apiUrl: store.url, apiVersion: '2026-10', auth: { kind: 'client_credentials', clientId: 'bridge-client', clientSecret: 'bridge-secret' } })
  t.teardown(() => shopify.close())
  const { loadConfig } = await import('../../src/config.ts')
  const { createLogger } = await import('../../src/lib/logger.ts')
  const outcome = await syncOrder({ db: database.db, boss: service.boss, shopify, config: loadConfig({ ROUTE_ORDERS_CREATED_AFTER: '2020-01-01T00:00:00Z' }), log: createLogger('silent'), registry: builtInRegistry }, { shop: 'pod-bridge-test.myshopify.com', shopifyOrderId: ref.id, reason: 'test' })
  t.equal(outcome, 'unchanged')
  const after = await database.db.selectFrom('order_events').select(sql<string>`count(*)`.as('n')).where('order_id', '=', order.id).executeTakeFirstOrThrow()
  t.equal(after.n, before.n)
})
