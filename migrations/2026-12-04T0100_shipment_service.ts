// The supplier's service text for a parcel ("DHL Express Worldwide", "FedEx
// SmartPost"): a bare "DHL" carrier needs it to be named for Shopify
// (src/shopify/carriers.ts).
import type { Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('shipments').addColumn('service', 'text').execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('shipments').dropColumn('service').execute()
}
