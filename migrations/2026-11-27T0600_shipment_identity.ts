// Shipments that name lines by the supplier's own identity, and parcels that
// carry lines again. A Printify shipment webhook names its items by Printify's
// SKU (suppliers.md §2.5), which equals the store's SKU only when the product
// was published from Printify: each supplier order line keeps the supplier's
// SKU as its order reads give it (line_items[].metadata.sku, §2.4). A
// reshipment (Printful `reshipment: true`, v1 Shipment schema; or a later
// Printify parcel over lines already shipped) adds no quantity: its tracking
// goes on the fulfillments Shopify already has for those lines.
import type { Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('supplier_order_lines').addColumn('supplier_sku', 'text').execute()
  await db.schema.alterTable('shipments').addColumn('reshipment', 'boolean', (col) => col.notNull().defaultTo(false)).execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('shipments').dropColumn('reshipment').execute()
  await db.schema.alterTable('supplier_order_lines').dropColumn('supplier_sku').execute()
}
