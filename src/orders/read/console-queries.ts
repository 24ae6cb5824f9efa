// Read queries of the ops console beyond /v1/orders and /v1/stats: the stuck
// list (oldest first, each with the threshold it passed) and the last
// reconciliation. Both walk indexes: (state, state_changed_at) per stuck state,
// and the watermarks primary key.
import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import type { OrderState } from '../../db/schema.ts'
import { WATERMARK } from '../intake/reconcile.ts'
import { stuckOrderIds, type StuckThresholds } from './stuck.ts'

export interface StuckOrder {
  readonly id: string
  readonly name: string | null
  readonly state: OrderState
  readonly reason: string | null
  readonly stateChangedAt: Date
  /** Time in its state, in seconds. */
  readonly ageSeconds: number
  /** The state's STUCK_AFTER, in seconds. */
  readonly thresholdSeconds: number
}

export async function stuckOrders (db: Db, thresholds: StuckThresholds, now: Date, limit: number): Promise<StuckOrder[]> {
  const rows = await db.selectFrom('orders as o')
    .select(['o.id', 'o.name', 'o.state', 'o.state_reason', 'o.state_changed_at'])
    .where(sql<boolean>`o.id in (${stuckOrderIds(thresholds, now)})`)
    .orderBy('o.state_changed_at', 'asc').orderBy('o.id')
    .limit(limit)
    .execute()
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    state: row.state,
    reason: row.state_reason,
    stateChangedAt: row.state_changed_at,
    ageSeconds: Math.floor((now.getTime() - row.state_changed_at.getTime()) / 1000),
    thresholdSeconds: Math.floor((thresholds.get(row.state) ?? 0) / 1000)
  }))
}

export interface Reconciliation {
  /** Shopify was read up to this time. */
  readonly through: Date
  /** When the watermark last moved, i.e. the last run that finished. */
  readonly ranAt: Date
}

export async function lastReconciliation (db: Db): Promise<Reconciliation | null> {
  const row = await db.selectFrom('watermarks').select(['at', 'updated_at']).where('name', '=', WATERMARK).executeTakeFirst()
  return row ? { through: row.at, ranAt: row.updated_at } : null
}

/** Orders in needs_attention matching a bulk-retry filter: how many, and the first `limit` ids, oldest first. */
export async function needsAttentionOrders (db: Db, filter: { supplier?: string | undefined, reason?: string | undefined }, limit: number): Promise<{ count: number, ids: string[] }> {
  let query = db.selectFrom('orders as o').where('o.state', '=', 'needs_attention')
  const { supplier, reason } = filter
  if (supplier) query = query.where((eb) => eb.exists(eb.selectFrom('supplier_orders as s').select(sql`1`.as('one')).whereRef('s.order_id', '=', 'o.id').where('s.supplier', '=', supplier).where('s.state', '=', 'needs_attention')))
  if (reason) query = query.where('o.state_reason', 'ilike', `%${reason.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
  const [count, rows] = await Promise.all([
    query.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    query.select('o.id').orderBy('o.state_changed_at').orderBy('o.id').limit(limit).execute()
  ])
  return { count: Number(count.n), ids: rows.map((r) => r.id) }
}
