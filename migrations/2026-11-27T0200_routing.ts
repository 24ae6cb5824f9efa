// Routing (issue 6): a local cancel that order.sync must not undo, and the
// progress of mapping imports (a large catalog takes minutes under Printful's
// 120 requests a minute, longer than an HTTP request may last).
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  // Set by POST /v1/orders/:ref/cancel; Shopify's own cancelled_at stays Shopify's.
  await db.schema.alterTable('orders')
    .addColumn('cancelled_locally_at', 'timestamptz')
    .addColumn('cancelled_locally_by', 'text')
    .execute()

  await db.schema.createTable('mapping_imports')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('supplier', 'text', (c) => c.notNull().check(sql`supplier in ('printful','printify')`))
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('running').check(sql`state in ('running','done','failed')`))
    .addColumn('store_variants', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('processed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('kept', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unmatched', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unmatched_sample', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    // Where a rate-limited import resumes, and how often it was stopped without getting further.
    .addColumn('products_done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('stalls', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  // The release sweep looks for due delay holds every minute.
  await sql`create index supplier_orders_hold_idx on supplier_orders (hold_until) where state = 'held' and hold_until is not null`.execute(db)
}

export async function down (db: Kysely<any>): Promise<void> {
  await sql`drop index if exists supplier_orders_hold_idx`.execute(db)
  await db.schema.dropTable('mapping_imports').ifExists().execute()
  await db.schema.alterTable('orders').dropColumn('cancelled_locally_by').dropColumn('cancelled_locally_at').execute()
}
