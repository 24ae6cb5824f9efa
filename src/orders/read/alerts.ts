// Alerts: an order entering needs_attention or becoming stuck reaches a
// person once per episode (an episode is one stay in one state, identified by
// the order's state_changed_at), through ALERT_WEBHOOK_URL. Raising commits
// the alert row, a timeline row and the alerts.send job together, so an alert
// is never lost nor raised twice; sending is the job's (send-alert.ts).
import type { PgBoss } from 'pg-boss'
import type { Db, Trx } from '../../db/database.ts'
import type { OrderState } from '../../db/schema.ts'
import { sendJob } from '../../queue/boss.ts'
import { formatDuration } from '../../lib/duration.ts'
import { stuckCondition, type StuckThresholds } from './stuck.ts'
import { appendTimeline } from '../timeline.ts'

export type AlertKind = 'needs_attention' | 'stuck'

export interface AlertInput {
  readonly orderId: string
  readonly kind: AlertKind
  readonly state: OrderState
  /** The order's state_changed_at: when the episode began. */
  readonly episodeAt: Date
  readonly reason: string
}

// A first start over a backlog (or an outage of the store) can make hundreds
// of orders stuck at once; a scan raises at most this many, the rest follow on
// the next ticks, so the receiving channel is not flooded in one burst.
export const MAX_ALERTS_PER_SCAN = 50

/**
 * Records the alert for this episode and enqueues its delivery, in the
 * caller's transaction. Returns the new alert's id, or undefined when this
 * episode was already alerted. Code that moves an order to needs_attention
 * can call this in the same transaction; the periodic scan is the backstop.
 */
export async function raiseAlert (trx: Trx, boss: PgBoss, alert: AlertInput): Promise<string | undefined> {
  const row = await trx.insertInto('alerts')
    .values({ order_id: alert.orderId, kind: alert.kind, state: alert.state, episode_at: alert.episodeAt, reason: alert.reason })
    .onConflict((oc) => oc.constraint('alerts_episode_key').doNothing())
    .returning('id').executeTakeFirst()
  if (!row) return undefined
  await appendTimeline(trx, { orderId: alert.orderId, kind: 'alert.raised', actor: 'system', detail: `alert raised: ${alert.kind === 'stuck' ? 'stuck' : 'needs attention'}: ${alert.reason}`, data: { alertId: row.id } })
  await sendJob(boss, 'alerts.send', { alertId: row.id }, { trx })
  return row.id
}

/** Raises the alerts due now: orders in needs_attention, and stuck orders, not yet alerted for their current episode. */
export async function scanForAlerts (db: Db, boss: PgBoss, thresholds: StuckThresholds, now: Date): Promise<string[]> {
  const due = await db.selectFrom('orders as o')
    .select(['o.id', 'o.state', 'o.state_reason', 'o.state_changed_at'])
    .where((eb) => eb.or([eb('o.state', '=', 'needs_attention'), stuckCondition(thresholds, now)(eb)]))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('alerts as a').select('a.id')
      .whereRef('a.order_id', '=', 'o.id').whereRef('a.state', '=', 'o.state').whereRef('a.episode_at', '=', 'o.state_changed_at'))))
    .orderBy('o.state_changed_at').limit(MAX_ALERTS_PER_SCAN).execute()
  if (due.length === 0) return []
  return db.transaction().execute(async (trx) => {
    const raised: string[] = []
    for (const order of due) {
      const kind: AlertKind = order.state === 'needs_attention' ? 'needs_attention' : 'stuck'
      const id = await raiseAlert(trx, boss, { orderId: order.id, kind, state: order.state, episodeAt: order.state_changed_at, reason: alertReason(kind, order, thresholds, now) })
      if (id) raised.push(id)
    }
    return raised
  })
}

function alertReason (kind: AlertKind, order: { state: OrderState, state_reason: string | null, state_changed_at: Date }, thresholds: StuckThresholds, now: Date): string {
  if (kind === 'needs_attention') return order.state_reason ?? 'no reason recorded'
  const expected = thresholds.get(order.state) ?? 0
  return `no progress in ${order.state} for ${formatDuration(now.getTime() - order.state_changed_at.getTime())} (expected within ${formatDuration(expected)})`
}

/** Slack-style text naming the order, the state and the reason. */
export function alertText (alert: { kind: string, state: string, reason: string | null }, order: { name: string | null, shopifyOrderId: string }): string {
  const label = order.name ?? order.shopifyOrderId
  return alert.kind === 'stuck'
    ? `:hourglass: Order ${label} is stuck in ${alert.state}: ${alert.reason ?? ''}`.trimEnd()
    : `:rotating_light: Order ${label} needs attention: ${alert.reason ?? 'no reason recorded'}`
}
