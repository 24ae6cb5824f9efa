// The products table and the product timeline (product_events): what ops read
// in GET /v1/products and `pod-bridge products`. A product is not an order, so
// its timeline is a table of its own (migrations/2026-12-06T0100_product_push.ts).
import { sql } from 'kysely'
import type { Db, Trx } from '../db/database.ts'
import type { StoredProduct } from './plan.ts'

export type PushOutcomeKind = 'created' | 'updated' | 'unchanged' | 'failed' | 'archived' | 'withdrawn'

export interface ProductRow {
  readonly id: string
  readonly supplier: string
  readonly supplier_product_id: string
  readonly shopify_product_id: string | null
  readonly handle: string | null
  readonly digests: Record<string, string>
  readonly variant_ids: Record<string, string>
  readonly media_ids: Record<string, string>
  readonly pushed_tags: string[]
  readonly outcome: string | null
  readonly acknowledged_at: Date | null
}

/** The product's row, created on first sight and locked for this transaction: pushes of one product never interleave. */
export async function lockProduct (trx: Trx, supplier: string, supplierProductId: string): Promise<ProductRow> {
  await trx.insertInto('products').values({ supplier, supplier_product_id: supplierProductId })
    .onConflict((oc) => oc.constraint('products_supplier_product_key').doNothing()).execute()
  return trx.selectFrom('products')
    .select(['id', 'supplier', 'supplier_product_id', 'shopify_product_id', 'handle', 'digests', 'variant_ids', 'media_ids', 'pushed_tags', 'outcome', 'acknowledged_at'])
    .where('supplier', '=', supplier).where('supplier_product_id', '=', supplierProductId)
    .forUpdate().executeTakeFirstOrThrow()
}

export function storedOf (row: Pick<ProductRow, 'shopify_product_id' | 'digests' | 'variant_ids' | 'media_ids' | 'pushed_tags'>): StoredProduct | undefined {
  if (!row.shopify_product_id) return undefined
  return { shopifyProductId: row.shopify_product_id, digests: row.digests, variantIds: row.variant_ids, mediaIds: row.media_ids, tags: row.pushed_tags }
}

export interface ProductUpdate {
  readonly title?: string
  readonly shopifyProductId?: string | null
  readonly handle?: string | null
  readonly storeStatus?: string | null
  readonly digests?: Record<string, string>
  readonly variantIds?: Record<string, string>
  readonly mediaIds?: Record<string, string>
  readonly tags?: readonly string[]
  readonly outcome: PushOutcomeKind
  readonly reason?: string | null
  readonly acknowledged: boolean
}

export async function saveProduct (db: Db | Trx, id: string, update: ProductUpdate): Promise<void> {
  await db.updateTable('products').set({
    ...(update.title === undefined ? {} : { title: update.title }),
    ...(update.shopifyProductId === undefined ? {} : { shopify_product_id: update.shopifyProductId }),
    ...(update.handle === undefined ? {} : { handle: update.handle }),
    ...(update.storeStatus === undefined ? {} : { store_status: update.storeStatus }),
    ...(update.digests === undefined ? {} : { digests: JSON.stringify(update.digests) }),
    ...(update.variantIds === undefined ? {} : { variant_ids: JSON.stringify(update.variantIds) }),
    ...(update.mediaIds === undefined ? {} : { media_ids: JSON.stringify(update.mediaIds) }),
    ...(update.tags === undefined ? {} : { pushed_tags: JSON.stringify(update.tags) }),
    outcome: update.outcome,
    reason: update.reason ?? null,
    acknowledged_at: update.acknowledged ? sql<Date>`now()` : null,
    last_push_at: sql<Date>`now()`,
    updated_at: sql<Date>`now()`
  }).where('id', '=', id).execute()
}

export interface ProductTimelineEntry {
  readonly productId: string
  readonly kind: string
  readonly actor: string
  readonly outcome?: PushOutcomeKind
  readonly detail: string
  readonly data?: Record<string, unknown>
  readonly error?: string
}

export async function appendProductEvent (db: Db | Trx, event: ProductTimelineEntry): Promise<void> {
  await db.insertInto('product_events').values({
    at: sql<Date>`clock_timestamp()`,
    product_id: event.productId,
    kind: event.kind,
    actor: event.actor,
    outcome: event.outcome ?? null,
    detail: event.detail,
    data: event.data ? JSON.stringify(event.data) : null,
    error: event.error ?? null
  }).execute()
}

export interface ProductListItem {
  readonly id: string
  readonly supplier: string
  readonly supplierProductId: string
  readonly title: string | null
  readonly shopifyProductId: string | null
  readonly handle: string | null
  readonly storeStatus: string | null
  readonly variants: number
  readonly lastPushAt: string | null
  readonly outcome: string | null
  readonly reason: string | null
  /** When the supplier was told the last outcome; null while it still must be. */
  readonly acknowledgedAt: string | null
}

/** Most recently pushed first; the cursor is the last row's (last_push_at, id). */
export async function listProducts (db: Db, options: { supplier?: string, outcome?: string, id?: string, limit: number, cursor?: { at: string, id: string } }): Promise<{ products: ProductListItem[], nextCursor: { at: string, id: string } | null }> {
  let query = db.selectFrom('products')
    .select(['id', 'supplier', 'supplier_product_id', 'title', 'shopify_product_id', 'handle', 'store_status', 'last_push_at', 'outcome', 'reason', 'acknowledged_at'])
    .select(sql<number>`(select count(*) from jsonb_object_keys(variant_ids))::int`.as('variants'))
    .select(sql<string>`coalesce(last_push_at, created_at)`.as('sort_at'))
    .orderBy(sql`coalesce(last_push_at, created_at)`, 'desc').orderBy('id', 'desc').limit(options.limit + 1)
  if (options.supplier) query = query.where('supplier', '=', options.supplier)
  if (options.outcome) query = query.where('outcome', '=', options.outcome)
  if (options.id) query = query.where('id', '=', options.id)
  if (options.cursor) query = query.where(sql<boolean>`(coalesce(last_push_at, created_at), id) < (${options.cursor.at}::timestamptz, ${options.cursor.id}::uuid)`)
  const rows = await query.execute()
  const page = rows.slice(0, options.limit)
  const last = page.at(-1)
  return {
    products: page.map((r) => ({
      id: r.id,
      supplier: r.supplier,
      supplierProductId: r.supplier_product_id,
      title: r.title,
      shopifyProductId: r.shopify_product_id,
      handle: r.handle,
      storeStatus: r.store_status,
      variants: r.variants,
      lastPushAt: r.last_push_at ? new Date(r.last_push_at).toISOString() : null,
      outcome: r.outcome,
      reason: r.reason,
      acknowledgedAt: r.acknowledged_at ? new Date(r.acknowledged_at).toISOString() : null
    })),
    nextCursor: rows.length > options.limit && last ? { at: new Date(last.sort_at).toISOString(), id: last.id } : null
  }
}

export async function productTimeline (db: Db, productId: string): Promise<{ at: string, kind: string, outcome: string | null, detail: string | null, error: string | null }[]> {
  const rows = await db.selectFrom('product_events').select(['at', 'kind', 'outcome', 'detail', 'error']).where('product_id', '=', productId).orderBy('id').execute()
  return rows.map((r) => ({ at: new Date(r.at).toISOString(), kind: r.kind, outcome: r.outcome, detail: r.detail, error: r.error }))
}
