// Product push (issue 18): one row per supplier product the push has seen
// (where it is in the store, what we last wrote, how the last push went) and
// the product's own timeline. A product is not an order, so its events get a
// table of their own instead of a nullable order_events.order_id: every order
// query keeps its NOT NULL join, and a product's story reads in one place.
//
// Mappings already say who made them (variant_mappings.source: 'ops' by hand,
// 'import' from a catalog); the push writes 'push'. No new column is needed,
// only an index for "the push's mappings of these variants".
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.createTable('products')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('supplier', 'text', (c) => c.notNull())
    .addColumn('supplier_product_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    // Where it is in the store: gid://shopify/Product/…, null before the first push or after it left the store.
    .addColumn('shopify_product_id', 'text')
    .addColumn('handle', 'text')
    .addColumn('store_status', 'text')
    // Per owned field (title, description, images, variants, tags): a digest of what we last wrote.
    .addColumn('digests', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    // Supplier variant id → Shopify variant gid; image source URL → Shopify media gid.
    .addColumn('variant_ids', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('media_ids', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    // The tags the push last wrote: an update adds and removes only the difference, keeping the merchant's own.
    .addColumn('pushed_tags', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('last_push_at', 'timestamptz')
    .addColumn('outcome', 'text')
    .addColumn('reason', 'text')
    // Set when the supplier was told the current outcome (Printful external_id written); null while it still must be.
    .addColumn('acknowledged_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('products_supplier_product_key', ['supplier', 'supplier_product_id'])
    .execute()
  await db.schema.createIndex('products_shopify_product_idx').on('products').column('shopify_product_id').execute()
  await db.schema.createIndex('products_last_push_idx').on('products').columns(['last_push_at', 'id']).execute()

  await db.schema.createTable('product_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('product_id', 'uuid', (c) => c.notNull().references('products.id').onDelete('cascade'))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('detail', 'text')
    .addColumn('data', 'jsonb')
    .addColumn('error', 'text')
    .execute()
  await db.schema.createIndex('product_events_product_idx').on('product_events').columns(['product_id', 'id']).execute()

  await db.schema.createIndex('variant_mappings_source_idx').on('variant_mappings').columns(['source', 'match_kind', 'match_value']).execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('variant_mappings_source_idx').ifExists().execute()
  await db.schema.dropTable('product_events').ifExists().execute()
  await db.schema.dropTable('products').ifExists().execute()
}
