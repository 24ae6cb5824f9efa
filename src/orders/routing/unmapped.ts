// The unmapped report: what a merchant needs before a product sells. Store
// variants (read from Shopify) that no mapping routes, and order lines owned
// by a fulfillment service's location (a supplier's own app may be shipping
// them: never ours, never skipped silently).
import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import type { ShopifyAdminClient, StoreVariant } from '../../shopify/index.ts'
import { loadMatcher } from './mappings.ts'

export interface UnmappedVariant {
  readonly variantId: string
  readonly sku: string | null
  readonly title: string
  readonly product: { readonly id: string, readonly title: string, readonly vendor: string }
}

export interface FulfillmentServiceLine {
  readonly fulfillmentService: string
  readonly variantId: string | null
  readonly sku: string | null
  readonly title: string | null
  readonly orders: number
  readonly lastOrder: string | null
  readonly lastSeenAt: string
}

export interface UnmappedReport {
  readonly variants: UnmappedVariant[]
  /** Pass back as `cursor` for the rest of the store; null when every variant was read. */
  readonly nextCursor: string | null
  readonly variantsScanned: number
  readonly fulfillmentServiceLines: FulfillmentServiceLine[]
}

// The reason order.sync writes on such lines.
const fulfillmentServicePrefix = 'owned by fulfillment service '

/**
 * Reads store pages until `limit` unmapped variants are found or `maxPages`
 * were read (each page is one Admin API call), so one request stays short on a
 * large store; the cursor continues where it stopped.
 */
export async function unmappedReport (db: Db, shopify: ShopifyAdminClient, options: { cursor?: string, limit: number, maxPages: number }): Promise<UnmappedReport> {
  const variants: UnmappedVariant[] = []
  let cursor: string | null = options.cursor ?? null
  let scanned = 0
  for (let page = 0; page < options.maxPages && variants.length < options.limit; page++) {
    const result: { items: StoreVariant[], nextCursor: string | null } = await shopify.productVariants(cursor)
    scanned += result.items.length
    const matcher = await loadMatcher(db, result.items.map((v) => ({ variantId: v.id, sku: v.sku, vendor: v.product.vendor })))
    for (const v of result.items) {
      if (!matcher({ variantId: v.id, sku: v.sku, vendor: v.product.vendor })) variants.push({ variantId: v.id, sku: v.sku, title: v.displayName || v.title, product: v.product })
    }
    cursor = result.nextCursor
    if (!cursor) break
  }
  return { variants, nextCursor: cursor, variantsScanned: scanned, fulfillmentServiceLines: options.cursor ? [] : await fulfillmentServiceLines(db) }
}

export async function fulfillmentServiceLines (db: Db, limit = 200): Promise<FulfillmentServiceLine[]> {
  const rows = await db.selectFrom('order_lines as l').innerJoin('orders as o', 'o.id', 'l.order_id')
    .select([
      sql<string>`substr(l.reason, ${sql.lit(fulfillmentServicePrefix.length + 1)})`.as('handle'),
      'l.variant_id', 'l.sku',
      sql<string | null>`max(l.title)`.as('title'),
      sql<string>`count(distinct l.order_id)`.as('orders'),
      sql<string | null>`(array_agg(o.name order by o.created_at desc))[1]`.as('last_order'),
      sql<Date>`max(o.created_at)`.as('last_seen_at')
    ])
    .where('l.state', '=', 'skipped').where('l.reason', 'like', `${fulfillmentServicePrefix}%`)
    .groupBy([sql`substr(l.reason, ${sql.lit(fulfillmentServicePrefix.length + 1)})`, 'l.variant_id', 'l.sku'])
    .orderBy('last_seen_at', 'desc').limit(limit).execute()
  return rows.map((r) => ({
    fulfillmentService: r.handle,
    variantId: r.variant_id,
    sku: r.sku,
    title: r.title,
    orders: Number(r.orders),
    lastOrder: r.last_order,
    lastSeenAt: new Date(r.last_seen_at).toISOString()
  }))
}
