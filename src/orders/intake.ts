// Webhook intake: in ONE transaction, store the delivery (exact raw bytes),
// record the order's identity and a timeline row, and enqueue order.sync. The
// caller answers 2xx only after this commits (DESIGN.md rule 1), and the
// unique key on (source, shop, topic, dedupe key) makes a repeat a no-op
// (rule 2).
import { sql } from 'kysely'
import type { PgBoss } from 'pg-boss'
import type { Db, Trx } from '../db/database.ts'
import { sendJob } from '../jobs/boss.ts'
import { fulfillmentOrderIds, orderIdentity, topicKind, type OrderIdentity } from '../shopify/webhook-topics.ts'
import { appendTimeline } from './timeline.ts'

export interface ShopifyDelivery {
  readonly shop: string
  readonly topic: string
  readonly eventId: string | undefined
  readonly webhookId: string | undefined
  readonly apiVersion: string | undefined
  readonly triggeredAt: Date | undefined
  readonly rawBody: Buffer
  readonly body: unknown
  /** Set when an ops person replays a stored delivery. */
  readonly replayOf?: string
}

export type IntakeOutcome =
  | { readonly status: 'accepted', readonly eventId: string, readonly orderId?: string }
  | { readonly status: 'duplicate' }
  | { readonly status: 'ignored' | 'failed', readonly eventId: string, readonly reason: string }

export async function recordShopifyDelivery (db: Db, boss: PgBoss, delivery: ShopifyDelivery): Promise<IntakeOutcome> {
  return db.transaction().execute(async (trx) => {
    const dedupeKey = delivery.replayOf ? `replay:${delivery.replayOf}:${Date.now()}` : delivery.eventId ?? delivery.webhookId
    if (!dedupeKey) throw new Error('a delivery needs an event id or a webhook id')
    const inserted = await trx.insertInto('webhook_events').values({
      source: 'shopify',
      shop: delivery.shop,
      topic: delivery.topic,
      dedupe_key: dedupeKey,
      event_id: delivery.eventId ?? null,
      webhook_id: delivery.webhookId ?? null,
      api_version: delivery.apiVersion ?? null,
      triggered_at: delivery.triggeredAt ?? null,
      raw_body: delivery.rawBody,
      replay_of: delivery.replayOf ?? null
    }).onConflict((oc) => oc.constraint('webhook_events_dedupe_key').doNothing()).returning('id').executeTakeFirst()
    if (!inserted) return { status: 'duplicate' }
    return route(trx, boss, delivery, inserted.id)
  })
}

async function route (trx: Trx, boss: PgBoss, delivery: ShopifyDelivery, eventId: string): Promise<IntakeOutcome> {
  const kind = topicKind(delivery.topic)
  const replay = delivery.replayOf ? ' (replay)' : ''
  switch (kind) {
    case 'order':
    case 'order_edit': {
      const identity = orderIdentity(kind, delivery.body)
      if ('error' in identity) return finish(trx, eventId, 'failed', identity.error)
      const orderId = await upsertIdentity(trx, delivery.shop, identity)
      await trx.updateTable('webhook_events').set({ order_id: orderId }).where('id', '=', eventId).execute()
      await appendTimeline(trx, { orderId, kind: 'webhook.received', actor: 'shopify', detail: `${delivery.topic} received${replay}`, data: { webhookEventId: eventId } })
      await sendJob(boss, 'order.sync', { shop: delivery.shop, shopifyOrderId: identity.gid, reason: delivery.topic }, { trx, singletonKey: identity.gid })
      return { status: 'accepted', eventId, orderId }
    }
    case 'fulfillment_order': {
      const ids = fulfillmentOrderIds(delivery.rawBody.toString('utf8'))
      if (ids.length === 0) return finish(trx, eventId, 'failed', 'the body names no fulfillment order')
      const known = await trx.selectFrom('fulfillment_order_refs as r').innerJoin('orders as o', 'o.id', 'r.order_id')
        .select(['o.id', 'o.shopify_order_id']).where('r.fulfillment_order_id', 'in', ids).executeTakeFirst()
      if (!known) {
        await sendJob(boss, 'order.sync', { shop: delivery.shop, fulfillmentOrderId: ids[0]!, reason: delivery.topic }, { trx, singletonKey: ids[0]! })
        return { status: 'accepted', eventId }
      }
      await trx.updateTable('webhook_events').set({ order_id: known.id }).where('id', '=', eventId).execute()
      await appendTimeline(trx, { orderId: known.id, kind: 'webhook.received', actor: 'shopify', detail: `${delivery.topic} received${replay}`, data: { webhookEventId: eventId, fulfillmentOrderIds: ids } })
      await sendJob(boss, 'order.sync', { shop: delivery.shop, shopifyOrderId: known.shopify_order_id, reason: delivery.topic }, { trx, singletonKey: known.shopify_order_id })
      return { status: 'accepted', eventId, orderId: known.id }
    }
    case 'compliance':
    case 'app_uninstalled':
      // Recorded: the delivery itself is the audit record these topics ask for.
      return { status: 'accepted', eventId }
    case 'ignored':
      return finish(trx, eventId, 'ignored', `topic ${delivery.topic} is not used by pod-bridge`)
  }
}

async function finish (trx: Trx, eventId: string, status: 'ignored' | 'failed', reason: string): Promise<IntakeOutcome> {
  await trx.updateTable('webhook_events').set({ status, error: reason }).where('id', '=', eventId).execute()
  return { status, eventId, reason }
}

/** The order row for a Shopify order: created on first sight, never moved back to older data. */
async function upsertIdentity (trx: Trx, shop: string, identity: OrderIdentity): Promise<string> {
  const row = await trx.insertInto('orders').values({
    shop,
    shopify_order_id: identity.gid,
    name: identity.name,
    order_number: identity.orderNumber,
    email: identity.email,
    shopify_created_at: identity.createdAt,
    shopify_updated_at: identity.updatedAt
  }).onConflict((oc) => oc.constraint('orders_shop_order_key').doUpdateSet({
    name: sql`coalesce(excluded.name, orders.name)`,
    order_number: sql`coalesce(excluded.order_number, orders.order_number)`,
    email: sql`coalesce(orders.email, excluded.email)`,
    shopify_created_at: sql`coalesce(orders.shopify_created_at, excluded.shopify_created_at)`,
    // An older delivery (a retry, a late arrival) never moves this back.
    shopify_updated_at: sql`greatest(orders.shopify_updated_at, excluded.shopify_updated_at)`,
    updated_at: sql`now()`
  })).returning('id').executeTakeFirstOrThrow()
  return row.id
}
