// Job alerts.send: POST one alert to ALERT_WEBHOOK_URL, once. The alert row is
// claimed for a lease longer than the request's timeout before posting, so two
// workers (a duplicate job, a retry after an expiry) never post it together; a
// failure releases the claim and throws, and pg-boss retries with backoff.
import { sql } from 'kysely'
import type { Db } from '../db/database.ts'
import { errorMessage } from '../lib/errors.ts'
import { alertText } from '../orders/read/alerts.ts'
import { appendTimeline } from '../orders/timeline.ts'

const REQUEST_TIMEOUT_MS = 10_000
const CLAIM_SECONDS = 60

export interface SendAlertDeps {
  readonly db: Db
  readonly alertWebhookUrl: string | undefined
}

export type SendAlertResult = 'sent' | 'skipped' | 'nothing_to_do'

export async function sendAlert (deps: SendAlertDeps, alertId: string): Promise<SendAlertResult> {
  const { db } = deps
  const claimed = await db.updateTable('alerts')
    .set({ claimed_until: sql<Date>`now() + make_interval(secs => ${CLAIM_SECONDS})`, attempts: sql<number>`attempts + 1` })
    .where('id', '=', alertId).where('status', '=', 'pending')
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', sql<Date>`now()`)]))
    .returningAll().executeTakeFirst()
  if (!claimed) return 'nothing_to_do'
  const order = await db.selectFrom('orders').select(['id', 'name', 'shopify_order_id']).where('id', '=', claimed.order_id).executeTakeFirstOrThrow()

  if (!deps.alertWebhookUrl) {
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('alerts').set({ status: 'skipped', claimed_until: null }).where('id', '=', alertId).execute()
      await appendTimeline(trx, { orderId: order.id, kind: 'alert.skipped', actor: 'system', detail: 'alert not sent: ALERT_WEBHOOK_URL is not set', data: { alertId } })
    })
    return 'skipped'
  }

  const text = alertText(claimed, { name: order.name, shopifyOrderId: order.shopify_order_id })
  const body = {
    text,
    kind: claimed.kind,
    order: { id: order.id, name: order.name, shopifyOrderId: order.shopify_order_id, state: claimed.state, reason: claimed.reason },
    since: claimed.episode_at.toISOString()
  }
  try {
    const response = await fetch(deps.alertWebhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS)
    })
    await response.body?.cancel()
    if (!response.ok) throw new Error(`the alert receiver answered HTTP ${response.status}`)
  } catch (err) {
    const message = errorMessage(err)
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('alerts').set({ claimed_until: null, last_error: message }).where('id', '=', alertId).execute()
      // The first failure is shown; later retries only update the alert row.
      if (claimed.attempts === 1) await appendTimeline(trx, { orderId: order.id, kind: 'alert.failed', actor: 'system', detail: 'alert could not be delivered; retrying', data: { alertId }, error: message })
    })
    throw err
  }
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('alerts').set({ status: 'sent', sent_at: sql<Date>`now()`, claimed_until: null, last_error: null }).where('id', '=', alertId).execute()
    await appendTimeline(trx, { orderId: order.id, kind: 'alert.sent', actor: 'system', detail: `alert sent: ${text}`, data: { alertId, attempts: claimed.attempts } })
  })
  return 'sent'
}
