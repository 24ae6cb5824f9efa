import t from 'tap'
import { sql } from 'kysely'
import { loadConfig } from '../../src/config.ts'
import { migrateToLatest, pendingMigrations } from '../../src/db/migrator.ts'
import { createLogger } from '../../src/lib/logger.ts'
import { migrateAll } from '../../src/service.ts'
import { migrationGap } from '../../src/readiness.ts'
import { queueNames } from '../../src/queue/queues.ts'
import { testDatabase } from '../helpers/database.ts'

t.test('when migrating an empty database, then every table and queue exists, and a re-run changes nothing', async (t) => {
  const database = await testDatabase(t, { empty: true })
  t.match(await migrationGap(database.db), /migrations not applied/)
  const config = loadConfig({ DATABASE_URL: database.url })
  await migrateAll(database.url, config, createLogger('silent'))
  t.equal(await migrationGap(database.db), undefined)
  t.same(await pendingMigrations(database.db), [])

  const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public' order by 1`.execute(database.db)
  for (const table of ['orders', 'webhook_events', 'order_lines', 'fulfillment_order_refs', 'supplier_orders', 'supplier_order_lines', 'shipments', 'shipment_fulfillments', 'order_events', 'variant_mappings', 'watermarks', 'settings']) {
    t.ok(tables.rows.some((r) => r.table_name === table), `table ${table}`)
  }
  const queues = await sql<{ name: string, notify: boolean }>`select name, notify from pgboss.queue`.execute(database.db)
  for (const name of queueNames) t.ok(queues.rows.some((q) => q.name === name && !q.notify), `queue ${name}, without pg-boss's in-transaction notify`)

  t.same((await migrateToLatest(database.db)).applied, [], 'second run applies nothing')
  await migrateAll(database.url, config, createLogger('silent'))
  t.equal(await migrationGap(database.db), undefined)
})

t.test('when the same delivery is stored twice, then the unique key refuses the second', async (t) => {
  const { db } = await testDatabase(t)
  const row = { source: 'shopify' as const, shop: 's.myshopify.com', topic: 'orders/create', dedupe_key: 'evt-1', raw_body: Buffer.from('{}') }
  await db.insertInto('webhook_events').values(row).execute()
  await t.rejects(db.insertInto('webhook_events').values(row).execute(), /webhook_events_dedupe_key/)
  await db.insertInto('webhook_events').values({ ...row, topic: 'orders/paid' }).execute()
})

t.test('when two supplier orders claim one external id or one supplier id, then the database refuses', async (t) => {
  const { db } = await testDatabase(t)
  const order = await db.insertInto('orders').values({ shop: 's', shopify_order_id: 'gid://shopify/Order/1', name: '#1001' }).returning('id').executeTakeFirstOrThrow()
  await t.rejects(db.insertInto('orders').values({ shop: 's', shopify_order_id: 'gid://shopify/Order/1', name: '#1001' }).execute(), /orders_shop_order_key/)
  await db.insertInto('supplier_orders').values({ order_id: order.id, supplier: 'printful', external_id: 'pb-1-f1', supplier_order_id: '77' }).execute()
  await t.rejects(db.insertInto('supplier_orders').values({ order_id: order.id, supplier: 'printful', sequence: 1, external_id: 'pb-1-f1' }).execute(), /external_id/)
  await t.rejects(db.insertInto('supplier_orders').values({ order_id: order.id, supplier: 'printful', sequence: 1, external_id: 'pb-1-f2', supplier_order_id: '77' }).execute(), /supplier_orders_supplier_id_key/)
})
