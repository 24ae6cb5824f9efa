// Group commit for webhook intake. Each order delivery alone costs a
// transaction of its own: BEGIN, the event insert, the job insert, COMMIT and
// its WAL flush. Under a burst (a sale, a bulk edit, Shopify catching up after
// an outage) deliveries that arrive while one transaction is in flight wait
// for it and then go together: one transaction, one statement for every
// order, event and timeline row, one multi-row job insert. Each request is
// still answered only after its own rows are committed (DESIGN.md rule 1), so
// nothing is acknowledged that is not stored.
//
// - Alone (the usual case at a normal rate) a delivery takes the single path
//   in webhook-intake.ts, with no added wait: batching only ever groups requests that
//   would otherwise queue for a connection.
// - Only order topics with an identity are batched; replays, fulfillment order
//   topics, compliance and the rest keep the single path.
// - Within a batch, a repeated delivery (same shop, topic and dedupe key) is a
//   duplicate of the first, as it would be one transaction later; several
//   deliveries about one order make one order row and one order.sync job.
// - Rows are written in key order, so two batches never wait on each other in
//   a cycle.
// - If the batch's transaction fails, each of its deliveries is tried again on
//   the single path, alone: one bad delivery never fails the others.
import { sql } from 'kysely'
import type { PgBoss } from 'pg-boss'
import type { Db, Trx } from '../../db/database.ts'
import { insertJobs } from '../../queue/boss.ts'
import { orderIdentity, topicKind, type OrderIdentity } from '../../shopify/webhook-topics.ts'
import { recordShopifyDelivery, type IntakeOutcome, type ShopifyDelivery } from './webhook-intake.ts'

export interface IntakeBatcher {
  /** Stores the delivery (alone or with others arriving meanwhile); resolves once it is committed. */
  record (delivery: ShopifyDelivery): Promise<IntakeOutcome>
  /** Deliveries written so far in batches of more than one, and how many such batches. */
  stats (): { readonly batches: number, readonly batched: number, readonly fallbacks: number }
}

export interface IntakeBatchOptions {
  /** The most deliveries in one transaction (default 100): bounds the statement and its parameters. */
  readonly maxBatch?: number
  /**
   * Batches in flight at once (default 2: one is built and sent while the other waits for its
   * commit); later arrivals wait for one to finish.
   */
  readonly concurrency?: number
  /** Told the size of each committed transaction of order deliveries (1 when one went alone). */
  readonly onCommit?: (size: number) => void
  /** Told when a batch failed and its deliveries were stored one by one (their own errors reach their callers). */
  readonly onFallback?: (err: unknown, size: number) => void
}

interface Pending {
  readonly delivery: ShopifyDelivery
  readonly dedupeKey: string
  readonly identity: OrderIdentity
  readonly resolve: (outcome: IntakeOutcome) => void
  readonly reject: (err: unknown) => void
}

export function createIntakeBatcher (db: Db, boss: PgBoss, options: IntakeBatchOptions = {}): IntakeBatcher {
  const maxBatch = options.maxBatch ?? 100
  const concurrency = options.concurrency ?? 2
  const waiting: Pending[] = []
  let inFlight = 0
  const counts = { batches: 0, batched: 0, fallbacks: 0 }

  const settle = async (pending: Pending): Promise<void> => {
    await recordShopifyDelivery(db, boss, pending.delivery).then((outcome) => {
      options.onCommit?.(1)
      pending.resolve(outcome)
    }, pending.reject)
  }
  const flush = async (batch: Pending[]): Promise<void> => {
    if (batch.length === 1) return settle(batch[0]!)
    let outcomes: IntakeOutcome[]
    try {
      outcomes = await db.transaction().execute((trx) => recordOrderBatch(trx, boss, batch))
    } catch (err) {
      // Nothing of the batch was committed: each delivery alone, with its own answer.
      counts.fallbacks++
      options.onFallback?.(err, batch.length)
      await Promise.all(batch.map(settle))
      return
    }
    counts.batches++
    counts.batched += batch.length
    options.onCommit?.(batch.length)
    batch.forEach((pending, i) => { pending.resolve(outcomes[i]!) })
  }
  const drain = async (): Promise<void> => {
    inFlight++
    try {
      while (waiting.length > 0) await flush(waiting.splice(0, maxBatch))
    } finally {
      inFlight--
    }
  }

  return {
    record (delivery) {
      const batchable = prepare(delivery)
      if (!batchable) return recordShopifyDelivery(db, boss, delivery)
      return new Promise<IntakeOutcome>((resolve, reject) => {
        waiting.push({ ...batchable, delivery, resolve, reject })
        if (inFlight < concurrency) void drain()
      })
    },
    stats: () => ({ ...counts })
  }
}

/** An order delivery the batch can take: a first delivery (not a replay) whose body names its order. */
function prepare (delivery: ShopifyDelivery): { dedupeKey: string, identity: OrderIdentity } | undefined {
  const dedupeKey = delivery.eventId ?? delivery.webhookId
  const kind = topicKind(delivery.topic)
  if (delivery.replayOf !== undefined || dedupeKey === undefined || (kind !== 'order' && kind !== 'order_edit')) return undefined
  const identity = orderIdentity(kind, delivery.body)
  return 'error' in identity ? undefined : { dedupeKey, identity }
}

interface OrderRow { shop: string, gid: string, name: string | null, orderNumber: string | null, email: string | null, createdAt: string | null, updatedAt: string | null }

/** The batch in one statement, then its order.sync jobs; outcomes in the batch's order. */
async function recordOrderBatch (trx: Trx, boss: PgBoss, batch: readonly Pending[]): Promise<IntakeOutcome[]> {
  // The order rows, one per order, merged as the single path's upsert would merge them one by one.
  const orders = new Map<string, OrderRow>()
  for (const { delivery: d, identity: id } of batch) {
    const key = `${d.shop}\n${id.gid}`
    const seen = orders.get(key)
    orders.set(key, seen
      ? {
          ...seen,
          name: id.name ?? seen.name,
          orderNumber: id.orderNumber ?? seen.orderNumber,
          email: seen.email ?? id.email,
          createdAt: seen.createdAt ?? id.createdAt,
          updatedAt: [seen.updatedAt, id.updatedAt].reduce((a, b) => (a === null ? b : b === null ? a : Date.parse(a) >= Date.parse(b) ? a : b))
        }
      : { shop: d.shop, gid: id.gid, name: id.name, orderNumber: id.orderNumber, email: id.email, createdAt: id.createdAt, updatedAt: id.updatedAt })
  }
  // The events, each (shop, topic, dedupe key) once: a repeat within the batch is a duplicate of the first.
  const eventKey = (p: Pending): string => `${p.delivery.shop}\n${p.delivery.topic}\n${p.dedupeKey}`
  const firsts = new Map<string, Pending>()
  for (const pending of batch) if (!firsts.has(eventKey(pending))) firsts.set(eventKey(pending), pending)

  const orderValues = [...orders.values()].map((o) =>
    sql`(${o.shop}, ${o.gid}, ${o.name}, ${o.orderNumber}, ${o.email}, ${o.createdAt}::timestamptz, ${o.updatedAt}::timestamptz)`)
  const eventValues = [...firsts.values()].map(({ delivery: d, dedupeKey, identity }) =>
    sql`(${d.shop}, ${identity.gid}, ${d.topic}, ${dedupeKey}, ${d.eventId ?? null}, ${d.webhookId ?? null}, ${d.apiVersion ?? null}, ${d.triggeredAt ?? null}::timestamptz, ${d.rawBody}::bytea)`)
  const result = await sql<{ id: string, order_id: string, shop: string, topic: string, dedupe_key: string }>`
    with o_in (shop, gid, name, order_number, email, created_at, updated_at) as (values ${sql.join(orderValues)}),
    ord as (
      insert into orders (shop, shopify_order_id, name, order_number, email, shopify_created_at, shopify_updated_at)
      select shop, gid, name, order_number, email, created_at, updated_at from o_in order by shop, gid
      on conflict on constraint orders_shop_order_key do update set
        name = coalesce(excluded.name, orders.name),
        order_number = coalesce(excluded.order_number, orders.order_number),
        email = coalesce(orders.email, excluded.email),
        shopify_created_at = coalesce(orders.shopify_created_at, excluded.shopify_created_at),
        shopify_updated_at = greatest(orders.shopify_updated_at, excluded.shopify_updated_at),
        updated_at = now()
      returning id, shop, shopify_order_id
    ),
    e_in (shop, gid, topic, dedupe_key, event_id, webhook_id, api_version, triggered_at, raw_body) as (values ${sql.join(eventValues)}),
    ev as (
      insert into webhook_events (source, shop, topic, dedupe_key, event_id, webhook_id, api_version, triggered_at, raw_body, order_id)
      select 'shopify', e.shop, e.topic, e.dedupe_key, e.event_id, e.webhook_id, e.api_version, e.triggered_at, e.raw_body, ord.id
      from e_in e join ord on ord.shop = e.shop and ord.shopify_order_id = e.gid
      order by e.shop, e.topic, e.dedupe_key
      on conflict on constraint webhook_events_dedupe_key do nothing
      returning id, order_id, shop, topic, dedupe_key
    ),
    timeline as (
      insert into order_events (order_id, kind, actor, detail, data)
      select order_id, 'webhook.received', 'shopify', topic || ' received', jsonb_build_object('webhookEventId', id) from ev
    )
    select id, order_id, shop, topic, dedupe_key from ev`.execute(trx)
  const stored = new Map(result.rows.map((row) => [`${row.shop}\n${row.topic}\n${row.dedupe_key}`, row]))

  // One order.sync per order with a new delivery, for the first such delivery's topic.
  const syncs = new Map<string, { shop: string, shopifyOrderId: string, reason: string }>()
  for (const pending of firsts.values()) {
    const key = `${pending.delivery.shop}\n${pending.identity.gid}`
    if (stored.has(eventKey(pending)) && !syncs.has(key)) syncs.set(key, { shop: pending.delivery.shop, shopifyOrderId: pending.identity.gid, reason: pending.delivery.topic })
  }
  await insertJobs(boss, 'order.sync', [...syncs.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, sync]) => sync), trx)

  return batch.map((pending) => {
    const row = stored.get(eventKey(pending))
    return row && firsts.get(eventKey(pending)) === pending ? { status: 'accepted', eventId: row.id, orderId: row.order_id } : { status: 'duplicate' }
  })
}
