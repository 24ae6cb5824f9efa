// Stuck = no progress for longer than the expected time of the order's state
// (STUCK_AFTER). The pure rule and its SQL form live side by side so they
// cannot drift: both say "stuck when age > threshold", strictly, so an order
// exactly at its threshold is not yet stuck.
import { sql, type ExpressionBuilder, type Expression, type SqlBool } from 'kysely'
import type { Db } from '../../db/database.ts'
import { orderStates, type Database, type OrderState } from '../../db/schema.ts'

/** Milliseconds each order state may last before it counts as stuck; states not listed never get stuck. */
export type StuckThresholds = ReadonlyMap<OrderState, number>

/**
 * The order states of STUCK_AFTER. `submitting` is a supplier order's state,
 * not an order's, so it has no order-level meaning here.
 */
export function stuckThresholds (stuckAfter: Readonly<Record<string, number>>): StuckThresholds {
  const map = new Map<OrderState, number>()
  for (const state of orderStates) {
    const ms = stuckAfter[state]
    if (ms !== undefined) map.set(state, ms)
  }
  return map
}

/** How long past its threshold the order is (ms), or undefined when it is not stuck. */
export function stuckFor (thresholds: StuckThresholds, state: OrderState, stateChangedAt: Date, now: Date): number | undefined {
  const threshold = thresholds.get(state)
  if (threshold === undefined) return undefined
  const age = now.getTime() - stateChangedAt.getTime()
  return age > threshold ? age - threshold : undefined
}

export function isStuck (thresholds: StuckThresholds, state: OrderState, stateChangedAt: Date, now: Date): boolean {
  return stuckFor(thresholds, state, stateChangedAt, now) !== undefined
}

/** The same rule as a condition on `orders` (aliased `o`), using the index on (state, state_changed_at). */
export function stuckCondition (thresholds: StuckThresholds, now: Date) {
  return (eb: ExpressionBuilder<Database & { o: Database['orders'] }, 'o'>): Expression<SqlBool> => {
    const parts = [...thresholds].map(([state, ms]) => eb.and([
      eb('o.state', '=', state),
      eb('o.state_changed_at', '<', new Date(now.getTime() - ms))
    ]))
    return parts.length === 0 ? sql<SqlBool>`false` : eb.or(parts)
  }
}

/**
 * The same rule as the ids of the stuck orders, one index range per state, for
 * `o.id in (...)`: a list sorted by another column would otherwise be read in
 * that column's order and filtered, through most of the table when few are stuck.
 */
export function stuckOrderIds (thresholds: StuckThresholds, now: Date) {
  const parts = [...thresholds].map(([state, ms]) => sql`select id from orders where state = ${state} and state_changed_at < ${new Date(now.getTime() - ms)}`)
  return parts.length === 0 ? sql`select null::uuid where false` : sql.join(parts, sql` union all `)
}

export interface StuckSummary {
  readonly state: OrderState
  readonly count: number
  /** Age in the state of the oldest stuck order, in seconds. */
  readonly oldestAgeSeconds: number
}

/** Stuck orders per state, with the oldest one's age: for /v1/stats and /metrics. */
export async function stuckByState (db: Db, thresholds: StuckThresholds, now: Date): Promise<StuckSummary[]> {
  const rows = await db.selectFrom('orders as o')
    .select(['o.state', sql<string>`count(*)`.as('count'), sql<Date>`min(o.state_changed_at)`.as('oldest')])
    .where(stuckCondition(thresholds, now))
    .groupBy('o.state')
    .execute()
  return rows.map((row) => ({
    state: row.state,
    count: Number(row.count),
    oldestAgeSeconds: Math.floor((now.getTime() - new Date(row.oldest).getTime()) / 1000)
  }))
}
