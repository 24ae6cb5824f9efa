// The timeline: one order_events row per transition (DESIGN.md rule 4). It is
// the product's answer to "where is my order?", so every step writes here in
// the same transaction as the change it describes.
import { sql } from 'kysely'
import type { Db, Trx } from '../db/database.ts'

/** Who made a change: ours, the store, or a supplier or file provider by its registry name. */
export type Actor = 'shopify' | 'worker' | 'ops' | 'system' | (string & Record<never, never>)

export interface TimelineEntry {
  readonly orderId: string
  readonly kind: string
  readonly actor: Actor
  readonly detail: string
  readonly supplierOrderId?: string
  readonly data?: Record<string, unknown>
  readonly error?: string
}

export async function appendTimeline (db: Db | Trx, entry: TimelineEntry): Promise<void> {
  await db.insertInto('order_events').values({
    // The moment it happened, not the start of its transaction: a submission
    // holds one open across the supplier's answer, and the timeline's order
    // must be the order things happened in.
    at: sql<Date>`clock_timestamp()`,
    order_id: entry.orderId,
    supplier_order_id: entry.supplierOrderId ?? null,
    kind: entry.kind,
    actor: entry.actor,
    detail: entry.detail,
    data: entry.data ? JSON.stringify(entry.data) : null,
    error: entry.error ?? null
  }).execute()
}
