// GDPR compliance topics (shopify.md §2.1): customers/redact and shop/redact
// ask us to erase a customer's (or the whole shop's) personal data within 30
// days. Orders still in flight keep what they need to reach the customer;
// their redaction waits and is tried again daily. customers/data_request is
// recorded by intake and needs nothing more here: the stored rows are the answer.
import { sql } from 'kysely'
import type { PgBoss } from 'pg-boss'
import { z } from 'zod'
import type { Db, Trx } from '../../db/database.ts'
import { sendJob } from '../../queue/boss.ts'
import { parseJsonKeepingBigInts } from '../../lib/json.ts'
import { orderGid } from '../../shopify/webhook-topics.ts'
import { appendTimeline } from '../timeline.ts'
import { eraseChangeDetails } from '../submission/changes-after-submission.ts'

const RETRY_IN_FLIGHT_MS = 86_400_000
const REDACTED = Buffer.from('{"redacted":true}')
/** Orders whose supplier and Shopify work is over: their personal data is no longer needed. */
const doneStates = ['fulfilled', 'cancelled'] as const

const id = z.union([z.string(), z.number()]).transform(String)
const customerRedact = z.object({
  customer: z.object({ id: id.optional(), email: z.string().nullish() }).optional(),
  orders_to_redact: z.array(id).default([])
})

export interface RedactResult { readonly redacted: number, readonly waiting: number }

export async function redactForEvent (db: Db, boss: PgBoss, webhookEventId: string): Promise<RedactResult> {
  const event = await db.selectFrom('webhook_events').select(['id', 'shop', 'topic', 'raw_body', 'status']).where('id', '=', webhookEventId).executeTakeFirst()
  if (!event || event.status === 'redacted') return { redacted: 0, waiting: 0 }
  const orders = await targetOrders(db, event.shop, event.topic, event.raw_body)
  const waiting = orders.filter((o) => !(doneStates as readonly string[]).includes(o.state))
  const ready = orders.filter((o) => (doneStates as readonly string[]).includes(o.state))
  await db.transaction().execute(async (trx) => {
    for (const order of ready) await scrubOrder(trx, order.id, event.topic)
    if (event.topic === 'shop/redact') {
      await trx.updateTable('webhook_events').set({ raw_body: REDACTED, status: 'redacted' }).where('shop', '=', event.shop).where('order_id', 'is', null).where('id', '!=', event.id).execute()
    }
    if (waiting.length === 0) {
      // The request itself names the customer: keep that it was done, not who.
      await trx.updateTable('webhook_events').set({ raw_body: REDACTED, status: 'redacted', error: null }).where('id', '=', event.id).execute()
    } else {
      await trx.updateTable('webhook_events').set({ error: `${waiting.length} order(s) still in flight; redaction retried daily until they are done` }).where('id', '=', event.id).execute()
      await sendJob(boss, 'privacy.redact', { webhookEventId }, { trx, startAfter: new Date(Date.now() + RETRY_IN_FLIGHT_MS) })
    }
  })
  return { redacted: ready.length, waiting: waiting.length }
}

async function targetOrders (db: Db, shop: string, topic: string, raw: Buffer): Promise<{ id: string, state: string }[]> {
  // Orders already scrubbed are left alone: running the job again changes nothing.
  const base = db.selectFrom('orders').select(['id', 'state']).where('shop', '=', shop)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('order_events').select('order_events.id')
      .whereRef('order_events.order_id', '=', 'orders.id').where('order_events.kind', '=', 'privacy.redacted'))))
  if (topic === 'shop/redact') return base.execute()
  const parsed = customerRedact.safeParse(parseJsonKeepingBigInts(raw.toString('utf8')))
  if (!parsed.success) return []
  const gids = parsed.data.orders_to_redact.map((n) => n.startsWith('gid://') ? n : orderGid(n))
  const email = parsed.data.customer?.email
  return base.where((eb) => eb.or([
    ...(gids.length ? [eb('shopify_order_id', 'in', gids)] : []),
    ...(email ? [eb(sql`lower(email)`, '=', email.toLowerCase())] : []),
    eb.val(false)
  ])).execute()
}

/** Removes every personal field we hold for one order: snapshot, raw webhook bodies, supplier drafts, quoted address changes. */
async function scrubOrder (trx: Trx, orderId: string, topic: string): Promise<void> {
  await trx.updateTable('orders').set({
    email: null,
    snapshot: sql`case when snapshot is null then null else jsonb_set(jsonb_set(jsonb_set(snapshot, '{email}', 'null'), '{shippingAddress}', 'null'), '{localizedFields}', '[]') end`
  }).where('id', '=', orderId).execute()
  await trx.updateTable('webhook_events').set({ raw_body: REDACTED, status: 'redacted' }).where('order_id', '=', orderId).execute()
  await trx.updateTable('supplier_orders').set({ draft: sql`draft - 'recipient'` }).where('order_id', '=', orderId).where('draft', 'is not', null).execute()
  await eraseChangeDetails(trx, orderId)
  await appendTimeline(trx, { orderId, kind: 'privacy.redacted', actor: 'shopify', detail: `personal data erased at the shop's request (${topic})` })
}
