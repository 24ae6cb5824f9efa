// Rows for submission tests: an order with a supplier order ready to send, as
// the router leaves it (state pending, external id, draft).
import { randomInt } from 'node:crypto'
import type { Db } from '../../src/db/database.ts'
import type { SupplierName } from '../../src/db/schema.ts'

export interface SeedOptions {
  readonly supplier: SupplierName
  readonly externalId: string
  readonly draft: unknown
  readonly orderId?: string
}

export async function seedSupplierOrder (db: Db, options: SeedOptions): Promise<{ orderId: string, supplierOrderId: string }> {
  const orderId = options.orderId ?? (await db.insertInto('orders').values({
    shop: 'pod-bridge-test.myshopify.com',
    shopify_order_id: `gid://shopify/Order/${randomInt(1, 2 ** 40)}`,
    name: '#1001',
    state: 'received'
  }).returning('id').executeTakeFirstOrThrow()).id
  const row = await db.insertInto('supplier_orders').values({
    order_id: orderId,
    supplier: options.supplier,
    external_id: options.externalId,
    state: 'pending',
    draft: JSON.stringify(options.draft)
  }).returning('id').executeTakeFirstOrThrow()
  return { orderId, supplierOrderId: row.id }
}
