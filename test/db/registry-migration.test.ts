// The migration that takes supplier names out of storage
// (migrations/2026-12-05T0100_supplier_registry.ts): a database filled the way
// the schema before it stored things (one JSON column per supplier, drafts
// keyed by the supplier's name, CHECKs listing the suppliers) reads back the
// same after it.
import { promises as fs, readdirSync } from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import { FileMigrationProvider, Migrator } from 'kysely/migration'
import t from 'tap'
import { buildApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { migrateToLatest, migrationFolder } from '../../src/db/migrator.ts'
import { createLogger } from '../../src/lib/logger.ts'
import { createReadiness } from '../../src/readiness.ts'
import { testDatabase } from '../helpers/database.ts'

const registryMigration = '2026-12-05T0100_supplier_registry'
// The migration just before the registry's: the schema that stored mappings the old way.
const before = readdirSync(migrationFolder).map((file) => file.replace(/\.ts$/, '')).sort().filter((name) => name < registryMigration).at(-1) ?? ''
const token = 'test-ops-token-0123456789'

t.test('when mappings and drafts stored the old way are migrated, then GET /v1/mappings and the drafts read the same, and a new supplier name is accepted', async (t) => {
  const database = await testDatabase(t, { empty: true })
  const db = database.db
  const migrator = new Migrator({ db, provider: new FileMigrationProvider({ fs, path, migrationFolder }), migrationTableName: 'pod_bridge_migrations', migrationLockTableName: 'pod_bridge_migrations_lock' })
  const up = await migrator.migrateTo(before)
  t.notOk(up.error, `migrated to ${before}`)

  // The old way: the item reference in the supplier's own column.
  await sql`
    insert into variant_mappings (match_kind, match_value, supplier, printful, printify, personalization, placement, managed_by, source) values
      ('variant_id', 'gid://shopify/ProductVariant/44800000000001', 'printful', '{"syncVariantId":"4001"}', null, null, null, null, 'ops'),
      ('sku', 'MUG-11', 'printify', null, '{"productId":"5b05842f3921c9547531758e","variantId":"33719"}', null, null, null, 'import:printify'),
      ('sku', 'CUSTOM-MUG', 'printify', null, '{"blueprintId":"68","printProviderId":"1","variantId":"33719","printAreas":{}}', 'customily', 'front', null, 'ops'),
      ('sku_prefix', 'POSTER-', 'printful', '{"variantId":"1","files":[{"type":"default","url":"https://files.example/p.png"}]}', null, null, null, null, 'ops'),
      ('vendor', 'Hand Made', 'none', null, null, null, null, null, 'ops')`.execute(db)
  const order = await sql<{ id: string }>`insert into orders (shop, shopify_order_id, name) values ('s.myshopify.com', 'gid://shopify/Order/1', '#1001') returning id`.execute(db)
  const orderId = order.rows[0]!.id
  const oldDraft = {
    externalId: 'pb-1-f1', label: '#1001', test: false, shipping: { printful: 'STANDARD' },
    recipient: { name: 'Jane Doe', address1: '1 Main St', city: 'Chatsworth', countryCode: 'US', stateCode: 'CA', zip: '91311' },
    items: [{ lineRef: 'line-1', quantity: 2, sku: 'TEE', printful: { syncVariantId: '4001' } }, { lineRef: 'line-2', quantity: 1, printful: { variantId: '1', files: [] }, personalization: { provider: 'customily', id: 'g', placement: 'front' } }]
  }
  await sql`insert into supplier_orders (order_id, supplier, external_id, draft) values (${orderId}, 'printful', 'pb-1-f1', ${JSON.stringify(oldDraft)})`.execute(db)
  await sql`insert into supplier_orders (order_id, supplier, sequence, external_id, draft) values (${orderId}, 'printify', 1, 'pb-1-y1', ${JSON.stringify({ ...oldDraft, externalId: 'pb-1-y1', shipping: {}, items: [{ lineRef: 'line-3', quantity: 1, printify: { sku: 'PFY-1' } }] })})`.execute(db)
  await t.rejects(sql`insert into supplier_orders (order_id, supplier, sequence, external_id) values (${orderId}, 'gelato', 2, 'pb-1-g1')`.execute(db), /check/, 'the old schema refuses a supplier it does not list')

  const config = loadConfig({ DATABASE_URL: database.url, OPS_API_TOKEN: token, LOG_LEVEL: 'silent' })
  const app = await buildApp({ config, db, boss: undefined, readiness: createReadiness({ db, workers: undefined, problems: () => [] }), logger: createLogger('silent') })
  t.teardown(() => app.close())
  const list = async () => (await app.inject({ method: 'GET', url: '/v1/mappings?limit=100', headers: { authorization: `Bearer ${token}` } })).json<{ mappings: Record<string, unknown>[] }>()

  const applied = (await migrateToLatest(db)).applied
  t.equal(applied[0], registryMigration, 'the registry migration runs first (later ones after it)')
  const volatile = new Set(['id', 'createdAt', 'updatedAt'])
  const after = (await list()).mappings.map((m) => Object.fromEntries(Object.entries(m).filter(([key]) => !volatile.has(key))))
  t.same(after, [
    { match: { sku: 'CUSTOM-MUG' }, supplier: 'printify', printify: { blueprintId: '68', printProviderId: '1', variantId: '33719', printAreas: {} }, personalization: 'customily', placement: 'front', source: 'ops' },
    { match: { sku: 'MUG-11' }, supplier: 'printify', printify: { productId: '5b05842f3921c9547531758e', variantId: '33719' }, source: 'import:printify' },
    { match: { skuPrefix: 'POSTER-' }, supplier: 'printful', printful: { variantId: '1', files: [{ type: 'default', url: 'https://files.example/p.png' }] }, source: 'ops' },
    { match: { variantId: 'gid://shopify/ProductVariant/44800000000001' }, supplier: 'printful', printful: { syncVariantId: '4001' }, source: 'ops' },
    { match: { vendor: 'Hand Made' }, supplier: 'none', source: 'ops' }
  ])
  t.same((await list()).mappings.filter((m) => m.supplier === 'printify').length, 2)

  const drafts = await db.selectFrom('supplier_orders').select(['external_id', 'draft']).orderBy('external_id').execute()
  t.match(drafts[0]?.draft, {
    shipping: 'STANDARD',
    items: [{ lineRef: 'line-1', quantity: 2, sku: 'TEE', ref: { syncVariantId: '4001' } }, { lineRef: 'line-2', ref: { variantId: '1', files: [] }, personalization: { provider: 'customily', id: 'g', placement: 'front' } }]
  })
  t.notOk(JSON.stringify(drafts[0]?.draft).includes('"printful"'), 'no key names the supplier')
  t.match(drafts[1]?.draft, { items: [{ lineRef: 'line-3', ref: { sku: 'PFY-1' } }] })
  t.notOk('shipping' in (drafts[1]?.draft as object), 'no method for the supplier: none stored')

  await sql`insert into supplier_orders (order_id, supplier, sequence, external_id) values (${orderId}, 'gelato', 2, 'pb-1-g1')`.execute(db)
  await sql`insert into webhook_events (source, shop, topic, dedupe_key, raw_body) values ('gelato', 'acct', 'order_status_updated', 'g-1', '\\x7b7d')`.execute(db)
  t.pass('a supplier the registry adds later is stored without a migration')
})
