// Fulfillment write-back. One fulfillmentCreate call covers every fulfillment
// order of a shipment at one location (Shopify's rule), so one Shopify
// fulfillment can touch two fulfillment orders (an order edit puts added lines
// on a new fulfillment order at the same location): a row is now one
// (fulfillment, fulfillment order) pair. Why a write-back failed is kept on the
// shipment, so the order's derived state can say it.
import type { Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('shipment_fulfillments').dropConstraint('shipment_fulfillments_pkey').execute()
  await db.schema.alterTable('shipment_fulfillments').dropConstraint('shipment_fulfillments_shopify_fulfillment_id_key').execute()
  await db.schema.alterTable('shipment_fulfillments')
    .addPrimaryKeyConstraint('shipment_fulfillments_pkey', ['shopify_fulfillment_id', 'fulfillment_order_id'])
    .execute()
  await db.schema.createIndex('shipment_fulfillments_shipment_idx').on('shipment_fulfillments').column('shipment_id').execute()
  await db.schema.alterTable('shipments').addColumn('shopify_sync_error', 'text').execute()
  await db.schema.alterTable('shipments').addColumn('shopify_synced_at', 'timestamptz').execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('shipments').dropColumn('shopify_synced_at').execute()
  await db.schema.alterTable('shipments').dropColumn('shopify_sync_error').execute()
  await db.schema.dropIndex('shipment_fulfillments_shipment_idx').execute()
  await db.schema.alterTable('shipment_fulfillments').dropConstraint('shipment_fulfillments_pkey').execute()
  await db.schema.alterTable('shipment_fulfillments').addPrimaryKeyConstraint('shipment_fulfillments_pkey', ['shipment_id', 'fulfillment_order_id']).execute()
  await db.schema.alterTable('shipment_fulfillments').addUniqueConstraint('shipment_fulfillments_shopify_fulfillment_id_key', ['shopify_fulfillment_id']).execute()
}
