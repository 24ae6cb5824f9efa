// Webhook intake: in ONE transaction, store the delivery (exact raw bytes),
// record the order's identity and a timeline row, and enqueue order.sync. The
// caller answers 2xx only after this commits (DESIGN.md rule 1), and the
// unique key on (source, shop, topic, dedupe key) makes a repeat a no-op
// (rule 2).
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { PgBoss } from 'pg-boss'
import type { Db, Trx } from '../../db/database.ts'
import { sendJob } from '../../queue/boss.ts'
import { deletedProductGid, fulfillmentOrderIds, orderIdentity, topicKind, type OrderIdentity } from '../../shopify/webhook-topics.ts'
import { appendTimeline } from '../timeline.ts'

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
  const dedupeKey = delivery.replayOf ? `replay:${delivery.replayOf}:${randomUUID()}` : delivery.eventId ?? delivery.webhookId
  if (!dedupeKey) throw new Error('a delivery needs an event id or a webhook id')
  const event = { ...delivery, dedupeKey }
  const kind = topicKind(delivery.topic)
  const identity = kind === 'order' || kind === 'order_edit' ? orderIdentity(kind, delivery.body) : undefined
  return db.transaction().execute(async (trx) => {
    if (identity && !('error' in identity)) return recordOrderDelivery(trx, boss, event, identity)
    const inserted = await trx.insertInto('webhook_events').values(eventRow(event))
      .onConflict((oc) => oc.constraint('webhook_events_dedupe_key').doNothing()).returning('id').executeTakeFirst()
    if (!inserted) return { status: 'duplicate' }
    // A genuine order topic whose body names no order: kept, visible, not acted on.
    if (identity) return finish(trx, inserted.id, 'failed', identity.error)
    return route(trx, boss, delivery, inserted.id)
  })
}

function eventRow (event: ShopifyDelivery & { dedupeKey: string }) {
  return {
    source: 'shopify' as const,
    shop: event.shop,
    topic: event.topic,
    dedupe_key: event.dedupeKey,
    event_id: event.eventId ?? null,
    webhook_id: event.webhookId ?? null,
    api_version: event.apiVersion ?? null,
    triggered_at: event.triggeredAt ?? null,
    raw_body: event.rawBody,
    replay_of: event.replayOf ?? null
  }
}

/**
 * The hot path (every order topic): the order identity, the event and its
 * timeline row in one statement, then the job: four round trips in all with
 * BEGIN and COMMIT instead of eight. On a duplicate the event insert does
 * nothing, so neither does the timeline insert, and no job is sent; the
 * identity upsert it repeats cannot move anything backwards.
 */
async function recordOrderDelivery (trx: Trx, boss: PgBoss, event: ShopifyDelivery & { dedupeKey: string }, identity: OrderIdentity): Promise<IntakeOutcome> {
  const row = eventRow(event)
  const detail = `${event.topic} received${event.replayOf ? ' (replay)' : ''}`
  const result = await sql<{ id: string, order_id: string }>`
    with ord as (
      insert into orders (shop, shopify_order_id, name, order_number, email, shopify_created_at, shopify_updated_at)
      values (${event.shop}, ${identity.gid}, ${identity.name}, ${identity.orderNumber}, ${identity.email}, ${identity.createdAt}::timestamptz, ${identity.updatedAt}::timestamptz)
      on conflict on constraint orders_shop_order_key do update set
        name = coalesce(excluded.name, orders.name),
        order_number = coalesce(excluded.order_number, orders.order_number),
        email = coalesce(orders.email, excluded.email),
        shopify_created_at = coalesce(orders.shopify_created_at, excluded.shopify_created_at),
        -- an older delivery (a retry, a late arrival) never moves this back
        shopify_updated_at = greatest(orders.shopify_updated_at, excluded.shopify_updated_at),
        updated_at = now()
      returning id
    ), ev as (
      insert into webhook_events (source, shop, topic, dedupe_key, event_id, webhook_id, api_version, triggered_at, raw_body, replay_of, order_id)
      select ${row.source}, ${row.shop}, ${row.topic}, ${row.dedupe_key}, ${row.event_id}, ${row.webhook_id}, ${row.api_version}, ${row.triggered_at}::timestamptz, ${row.raw_body}, ${row.replay_of}::uuid, ord.id from ord
      on conflict on constraint webhook_events_dedupe_key do nothing
      returning id, order_id
    ), timeline as (
      insert into order_events (order_id, kind, actor, detail, data)
      select order_id, 'webhook.received', 'shopify', ${detail}, jsonb_build_object('webhookEventId', id) from ev
    )
    select id, order_id from ev`.execute(trx)
  const inserted = result.rows[0]
  if (!inserted) return { status: 'duplicate' }
  await sendJob(boss, 'order.sync', { shop: event.shop, shopifyOrderId: identity.gid, reason: event.topic }, { trx })
  return { status: 'accepted', eventId: inserted.id, orderId: inserted.order_id }
}

async function route (trx: Trx, boss: PgBoss, delivery: ShopifyDelivery, eventId: string): Promise<IntakeOutcome> {
  const kind = topicKind(delivery.topic)
  const replay = delivery.replayOf ? ' (replay)' : ''
  switch (kind) {
    case 'order':
    case 'order_edit':
      throw new Error(`order topic ${delivery.topic} reached the generic path`)
    case 'fulfillment_order': {
      const ids = fulfillmentOrderIds(delivery.rawBody.toString('utf8'))
      if (ids.length === 0) return finish(trx, eventId, 'failed', 'the body names no fulfillment order')
      const known = await trx.selectFrom('fulfillment_order_refs as r').innerJoin('orders as o', 'o.id', 'r.order_id')
        .select(['o.id', 'o.shopify_order_id']).where('r.fulfillment_order_id', 'in', ids).executeTakeFirst()
      if (!known) {
        await sendJob(boss, 'order.sync', { shop: delivery.shop, fulfillmentOrderId: ids[0]!, reason: delivery.topic }, { trx })
        return { status: 'accepted', eventId }
      }
      await trx.updateTable('webhook_events').set({ order_id: known.id }).where('id', '=', eventId).execute()
      await appendTimeline(trx, { orderId: known.id, kind: 'webhook.received', actor: 'shopify', detail: `${delivery.topic} received${replay}`, data: { webhookEventId: eventId, fulfillmentOrderIds: ids } })
      await sendJob(boss, 'order.sync', { shop: delivery.shop, shopifyOrderId: known.shopify_order_id, reason: delivery.topic }, { trx })
      return { status: 'accepted', eventId, orderId: known.id }
    }
    case 'product_deleted': {
      // Whether it was a pushed product is the product push's to find out (src/products/lifecycle.ts).
      const shopifyProductId = deletedProductGid(delivery.body)
      if (!shopifyProductId) return finish(trx, eventId, 'failed', 'the body names no product id')
      await sendJob(boss, 'product.push', { action: 'withdraw', shopifyProductId }, { trx })
      return { status: 'accepted', eventId }
    }
    case 'compliance':
      if (delivery.topic !== 'customers/data_request') await sendJob(boss, 'privacy.redact', { webhookEventId: eventId }, { trx })
      return { status: 'accepted', eventId }
    case 'app_uninstalled':
      // Recorded: the delivery itself is the audit record this topic asks for.
      return { status: 'accepted', eventId }
    case 'ignored':
      return finish(trx, eventId, 'ignored', `topic ${delivery.topic} is not used by pod-bridge`)
  }
}

async function finish (trx: Trx, eventId: string, status: 'ignored' | 'failed', reason: string): Promise<IntakeOutcome> {
  await trx.updateTable('webhook_events').set({ status, error: reason }).where('id', '=', eventId).execute()
  return { status, eventId, reason }
}
