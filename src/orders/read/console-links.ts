// Where an ops person goes next from an order's page: the order in the Shopify
// admin, and each supplier order in its supplier's dashboard.
// - Shopify: https://{shop}/admin/orders/{numeric id} (the admin redirects it to
//   admin.shopify.com/store/{handle}/orders/{id}).
// - A supplier order: its descriptor's dashboardUrl (src/suppliers/<name>/descriptor.ts).
import type { Db } from '../../db/database.ts'
import type { Registry } from '../../suppliers/registry.ts'

export interface OrderLinks {
  readonly shopifyAdmin: string | null
  readonly suppliers: ReadonlyArray<{ readonly supplier: string, readonly externalId: string, readonly supplierOrderId: string | null, readonly url: string | null }>
}

function supplierUrl (registry: Registry, supplier: string, supplierOrderId: string | null): string | null {
  if (!supplierOrderId) return null
  return registry.supplier(supplier)?.dashboardUrl?.(supplierOrderId) ?? null
}

export async function orderLinks (db: Db, registry: Registry, orderId: string): Promise<OrderLinks> {
  const order = await db.selectFrom('orders').select(['shop', 'shopify_order_id']).where('id', '=', orderId).executeTakeFirstOrThrow()
  const numeric = /^gid:\/\/shopify\/Order\/(\d+)$/.exec(order.shopify_order_id)?.[1]
  const supplierOrders = await db.selectFrom('supplier_orders').select(['supplier', 'external_id', 'supplier_order_id'])
    .where('order_id', '=', orderId).orderBy('supplier').orderBy('sequence').execute()
  return {
    shopifyAdmin: numeric && /^[a-z0-9-]+\.myshopify\.com$/.test(order.shop) ? `https://${order.shop}/admin/orders/${numeric}` : null,
    suppliers: supplierOrders.map((so) => ({ supplier: so.supplier, externalId: so.external_id, supplierOrderId: so.supplier_order_id, url: supplierUrl(registry, so.supplier, so.supplier_order_id) }))
  }
}
