// Reconciliation, the backstop for webhooks that never come (Shopify deletes
// an API-made subscription after 8 failed deliveries, and delivery is never
// guaranteed: shopify.md §1.5, §1.8). It lists orders and fulfillment orders
// updated since a stored watermark, with an overlap, and sends each one whose
// stored version is older through order.sync, the same path as a webhook.
// The watermark advances only after everything found is queued.
import { sql } from 'kysely'
import type { PgBoss } from 'pg-boss'
import type { Db } from '../../db/database.ts'
import { sendJob } from '../../queue/boss.ts'
import type { ShopifyAdminClient } from '../../shopify/index.ts'

export const WATERMARK = 'shopify.reconcile'
/** Re-read this much before the watermark: Shopify's search index lags writes by moments. */
export const OVERLAP_MS = 5 * 60_000

export interface ReconcileDeps {
  readonly db: Db
  readonly boss: PgBoss
  readonly shopify: ShopifyAdminClient
  readonly shop: string
}

export interface ReconcileProgress { readonly pages: number, readonly seen: number, readonly queued: number }

export type ReconcileResult = ReconcileProgress & { readonly from: string | null, readonly to: string }

/** The periodic run: from the watermark (on the first run, it starts the watermark at now and reads nothing). */
export async function reconcileSinceWatermark (deps: ReconcileDeps, now = new Date()): Promise<ReconcileResult> {
  const mark = await deps.db.selectFrom('watermarks').select('at').where('name', '=', WATERMARK).executeTakeFirst()
  if (!mark) {
    await setWatermark(deps.db, now)
    return { from: null, to: now.toISOString(), pages: 0, seen: 0, queued: 0 }
  }
  const from = new Date(mark.at.getTime() - OVERLAP_MS)
  const progress = await reconcileSince(deps, from)
  await setWatermark(deps.db, now)
  return { from: from.toISOString(), to: now.toISOString(), ...progress }
}

/** Every order and fulfillment order updated since `from` whose stored version is older goes through order.sync. */
export async function reconcileSince (deps: ReconcileDeps, from: Date, onProgress: (progress: ReconcileProgress) => void = () => {}): Promise<ReconcileProgress> {
  let pages = 0
  let seen = 0
  let queued = 0
  // An order found by both listings is synced once: its sync reads the fulfillment orders too. (The
  // stored version cannot tell: the first job may be running, and a stately queue takes a second.)
  const handed = new Set<string>()
  const queue = async (gid: string, stored: string | null | undefined, updatedAt: string, reason: string): Promise<void> => {
    seen++
    if (handed.has(gid) || (stored && Date.parse(stored) >= Date.parse(updatedAt))) return
    handed.add(gid)
    if (await sendJob(deps.boss, 'order.sync', { shop: deps.shop, shopifyOrderId: gid, reason })) queued++
  }
  const storedOrder = async (gid: string): Promise<string | null | undefined> => {
    const row = await deps.db.selectFrom('orders').select(sql<string | null>`snapshot->>'updatedAt'`.as('at'))
      .where('shop', '=', deps.shop).where('shopify_order_id', '=', gid).executeTakeFirst()
    return row?.at
  }
  // The version of one fulfillment order inside the stored snapshot of its order.
  const storedFulfillmentOrder = async (gid: string, foId: string): Promise<string | null | undefined> => {
    const row = await sql<{ at: string | null }>`
      select fo->>'updatedAt' as at from orders, jsonb_array_elements(snapshot->'fulfillmentOrders') fo
      where shop = ${deps.shop} and shopify_order_id = ${gid} and fo->>'id' = ${foId}`.execute(deps.db)
    return row.rows[0]?.at
  }
  for (let cursor: string | null | undefined; cursor !== null;) {
    const page = await deps.shopify.ordersUpdatedSince(from.toISOString(), cursor)
    for (const order of page.items) await queue(order.id, await storedOrder(order.id), order.updatedAt, 'reconciliation')
    cursor = page.nextCursor
    onProgress({ pages: ++pages, seen, queued })
  }
  // A hold or its release changes the fulfillment order, not the order.
  for (let cursor: string | null | undefined; cursor !== null;) {
    const page = await deps.shopify.fulfillmentOrdersUpdatedSince(from.toISOString(), cursor)
    for (const fo of page.items) await queue(fo.orderId, await storedFulfillmentOrder(fo.orderId, fo.id), fo.updatedAt, 'reconciliation (fulfillment order)')
    cursor = page.nextCursor
    onProgress({ pages: ++pages, seen, queued })
  }
  return { pages, seen, queued }
}

/** On the first start, reconciliation begins from now: going live does not re-read the store's history. */
export async function startWatermark (db: Db, at = new Date()): Promise<void> {
  await db.insertInto('watermarks').values({ name: WATERMARK, at }).onConflict((oc) => oc.column('name').doNothing()).execute()
}

async function setWatermark (db: Db, at: Date): Promise<void> {
  await db.insertInto('watermarks').values({ name: WATERMARK, at })
    .onConflict((oc) => oc.column('name').doUpdateSet({ at, updated_at: sql`now()` }))
    .execute()
}
