// Keeps order_lines in step with the snapshot. Lines the router has not
// decided yet (pending, removed, skipped by the policy) follow the policy;
// routed and unroutable lines keep the router's decision and only take the new
// quantities (what a change after submission means is the status-sync
// issue's to act on; here it is recorded).
import { sql } from 'kysely'
import type { Trx } from '../../db/database.ts'
import type { LineDecision } from './policy.ts'

export interface LinesResult {
  /** Lines waiting for the router. */
  readonly pending: number
  /** Whether anything about the lines changed. */
  readonly changed: boolean
}

/** Decided by the routing policy, not by the router: a router's skip names a supplier ('none') or a mapping. */
function policyOwned (row: { state: string, supplier: string | null, mapping_id: string | null }): boolean {
  if (row.state === 'pending' || row.state === 'removed') return true
  return row.state === 'skipped' && row.supplier === null && row.mapping_id === null
}

export async function syncLines (trx: Trx, orderId: string, decisions: readonly LineDecision[]): Promise<LinesResult> {
  const existing = await trx.selectFrom('order_lines').selectAll().where('order_id', '=', orderId).execute()
  const byId = new Map(existing.map((row) => [row.shopify_line_item_id, row]))
  let changed = false
  let pending = 0
  for (const decision of decisions) {
    const { line } = decision
    const row = byId.get(line.id)
    byId.delete(line.id)
    const values = {
      variant_id: line.variantId,
      product_id: line.productId,
      sku: line.sku,
      vendor: line.vendor,
      title: line.name,
      quantity: line.currentQuantity,
      routable_quantity: decision.routableQuantity
    }
    if (!row) {
      await trx.insertInto('order_lines').values({ order_id: orderId, shopify_line_item_id: line.id, ...values, state: decision.state, reason: decision.reason }).execute()
      changed = true
      if (decision.state === 'pending') pending++
      continue
    }
    const decided = policyOwned(row) ? { state: decision.state, reason: decision.reason } : { state: row.state, reason: row.reason }
    if (decided.state === 'pending') pending++
    const same = row.quantity === values.quantity && row.routable_quantity === values.routable_quantity && row.state === decided.state && row.reason === decided.reason && row.sku === values.sku && row.variant_id === values.variant_id
    if (same) continue
    await trx.updateTable('order_lines').set({ ...values, ...decided, updated_at: sql`now()` }).where('id', '=', row.id).execute()
    changed = true
  }
  // Lines gone from the order (an edit removed them): kept, marked, never deleted.
  const gone = 'no longer on the order in Shopify'
  for (const row of byId.values()) {
    if (row.state === 'removed' || row.reason?.includes(gone)) continue
    const decided = policyOwned(row) ? { state: 'removed' as const, reason: gone } : { state: row.state, reason: `${row.reason ?? ''} (${gone})`.trim() }
    await trx.updateTable('order_lines').set({ ...decided, routable_quantity: 0, updated_at: sql`now()` }).where('id', '=', row.id).execute()
    changed = true
  }
  return { pending, changed }
}
