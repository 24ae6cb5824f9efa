// Group commit for webhook intake (src/orders/intake/batch.ts) on a real
// database and real pg-boss: deliveries that arrive together are stored
// together, with the same rows, answers and jobs as one by one.
import t from 'tap'
import { sql } from 'kysely'
import type { PgBoss } from 'pg-boss'
import { createBoss } from '../../src/queue/boss.ts'
import { loadConfig } from '../../src/config.ts'
import { parseJsonKeepingBigInts } from '../../src/lib/json.ts'
import { createIntakeBatcher } from '../../src/orders/intake/batch.ts'
import type { ShopifyDelivery } from '../../src/orders/intake/webhook-intake.ts'
import type { Db } from '../../src/db/database.ts'
import { testDatabase } from '../helpers/database.ts'
import { SHOP, fixture } from '../helpers/shopify-webhooks.ts'
import type { TapLike } from '../helpers/bridge.ts'

const created = JSON.parse(fixture('shopify-orders-create.sample.json')) as Record<string, unknown>

async function world (t: TapLike): Promise<{ db: Db, boss: PgBoss }> {
  const database = await testDatabase(t)
  const boss = createBoss({ url: database.url, jobs: loadConfig({ DATABASE_URL: database.url }).jobs, maintenance: false })
  boss.on('error', () => {})
  await boss.start()
  t.teardown(() => boss.stop({ graceful: false, close: true }))
  return { db: database.db, boss }
}

/** An orders/* delivery for order `n` (the real sample with its ids changed). */
function orderDelivery (n: number, options: { topic?: string, eventId?: string, email?: string | null, updatedAt?: string } = {}): ShopifyDelivery {
  const body = JSON.stringify({
    ...created,
    id: 5_000_000_000 + n,
    admin_graphql_api_id: `gid://shopify/Order/${5_000_000_000 + n}`,
    name: `#B${n}`,
    email: options.email === undefined ? `buyer${n}@example.com` : options.email,
    updated_at: options.updatedAt ?? '2026-11-27T10:00:00Z'
  })
  return {
    shop: SHOP, topic: options.topic ?? 'orders/create', eventId: options.eventId ?? `evt-${n}-${options.topic ?? 'create'}`, webhookId: undefined,
    apiVersion: '2026-10', triggeredAt: new Date(), rawBody: Buffer.from(body), body: parseJsonKeepingBigInts(body)
  }
}

async function counts (db: Db): Promise<{ events: number, orders: number, jobs: number, timeline: number }> {
  const row = await sql<{ events: number, orders: number, jobs: number, timeline: number }>`select
    (select count(*)::int from webhook_events) as events, (select count(*)::int from orders) as orders,
    (select count(*)::int from pgboss.job where name = 'order.sync') as jobs, (select count(*)::int from order_events) as timeline`.execute(db)
  return row.rows[0]!
}

t.test('when 30 orders arrive at once, then they are stored in few transactions, each with its event, timeline row and one sync', async (t) => {
  const { db, boss } = await world(t)
  const commits: number[] = []
  const intake = createIntakeBatcher(db, boss, { concurrency: 1, onCommit: (size) => commits.push(size) })
  const outcomes = await Promise.all(Array.from({ length: 30 }, (_, n) => intake.record(orderDelivery(n))))
  t.same(outcomes.map((o) => o.status), Array(30).fill('accepted'))
  t.equal(new Set(outcomes.map((o) => 'eventId' in o && o.eventId)).size, 30, 'each its own event id')
  t.match(await counts(db), { events: 30, orders: 30, jobs: 30, timeline: 30 })
  // The first goes alone (nothing to wait for); the 29 that arrived meanwhile go together.
  t.match(intake.stats(), { batches: 1, batched: 29, fallbacks: 0 })
  t.same(commits, [1, 29], 'each transaction reported with its size (pod_bridge_intake_batch_size)')
  // Each answer names its own rows: the event's body and the order it points at are that delivery's.
  for (const [n, outcome] of outcomes.entries()) {
    if (outcome.status !== 'accepted') continue
    const event = await db.selectFrom('webhook_events as e').innerJoin('orders as o', 'o.id', 'e.order_id')
      .select(['e.raw_body', 'e.order_id', 'o.name', 'o.email', 'o.shopify_order_id']).where('e.id', '=', outcome.eventId).executeTakeFirstOrThrow()
    t.ok(event.raw_body.equals(orderDelivery(n).rawBody), `delivery ${n}: raw body byte for byte`)
    t.match(event, { order_id: outcome.orderId, name: `#B${n}`, email: `buyer${n}@example.com`, shopify_order_id: `gid://shopify/Order/${5_000_000_000 + n}` })
  }
  const jobs = await sql<{ key: string, order: string, reason: string }>`select singleton_key as key, data->>'shopifyOrderId' as order, data->>'reason' as reason from pgboss.job where name = 'order.sync'`.execute(db)
  t.ok(jobs.rows.every((j) => j.key === j.order && j.reason === 'orders/create'), 'keyed by order, with the topic as reason')
  const timeline = await db.selectFrom('order_events as t').innerJoin('webhook_events as e', (j) => j.onRef('e.order_id', '=', 't.order_id'))
    .select(['t.detail', 't.kind', sql<string>`t.data->>'webhookEventId'`.as('eventId'), 'e.id']).execute()
  t.ok(timeline.every((row) => row.kind === 'webhook.received' && row.detail === 'orders/create received' && row.eventId === row.id), 'each timeline row names its own event')
})

t.test('when one batch holds repeats and several topics of one order, then the answers and rows are those of one-by-one intake', async (t) => {
  const { db, boss } = await world(t)
  const intake = createIntakeBatcher(db, boss, { concurrency: 1 })
  // Order 7 is known already, with an email and a later updated_at.
  t.equal((await intake.record(orderDelivery(7, { topic: 'orders/create', updatedAt: '2026-11-27T12:00:00Z' }))).status, 'accepted')
  await new Promise((resolve) => setImmediate(resolve)) // the batcher is idle again
  const first = intake.record(orderDelivery(100)) // goes alone; the rest arrive while it is stored
  const batch = [
    orderDelivery(7, { topic: 'orders/paid', email: null, updatedAt: '2026-11-27T11:00:00Z' }),
    orderDelivery(7, { topic: 'orders/updated', email: 'changed@example.com', updatedAt: '2026-11-27T11:30:00Z' }),
    orderDelivery(7, { topic: 'orders/paid', email: null, updatedAt: '2026-11-27T11:00:00Z' }), // the paid delivery again
    orderDelivery(7, { topic: 'orders/create', updatedAt: '2026-11-27T12:00:00Z' }), // stored before this batch
    orderDelivery(8, { topic: 'orders/updated' }),
    orderDelivery(8, { topic: 'orders/cancelled' })
  ]
  const outcomes = await Promise.all([first, ...batch.map((d) => intake.record(d))])
  t.same(outcomes.map((o) => o.status), ['accepted', 'accepted', 'accepted', 'duplicate', 'duplicate', 'accepted', 'accepted'])
  t.match(intake.stats(), { batches: 1, batched: 6 })
  t.match(await counts(db), { events: 1 + 1 + 2 + 2, orders: 3, timeline: 6 })
  const order7 = await db.selectFrom('orders').select(['email', 'shopify_updated_at']).where('name', '=', '#B7').executeTakeFirstOrThrow()
  t.equal(order7.email, 'buyer7@example.com', 'the first email known stays')
  t.equal(order7.shopify_updated_at?.toISOString(), '2026-11-27T12:00:00.000Z', 'an older delivery never moves updated_at back')
  // One sync per order: order 7's job from before the batch is still waiting (stately), order 8 gets one.
  const jobs = await sql<{ order: string, reason: string }>`select data->>'shopifyOrderId' as order, data->>'reason' as reason from pgboss.job where name = 'order.sync' order by created_on`.execute(db)
  t.same(jobs.rows.map((j) => [j.order.slice(-3), j.reason]), [['007', 'orders/create'], ['100', 'orders/create'], ['008', 'orders/updated']])
})

t.test('when the batch transaction fails, then each delivery is stored alone and none is lost', async (t) => {
  const { db, boss } = await world(t)
  // pg-boss refuses the multi-row insert (the batch path) but still takes single sends.
  const refusing = new Proxy(boss, {
    get (target, property, receiver) {
      if (property === 'insert') return async () => { throw new Error('insert refused') }
      const value: unknown = Reflect.get(target, property, receiver)
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
    }
  })
  const told: number[] = []
  const intake = createIntakeBatcher(db, refusing, { concurrency: 1, onFallback: (_err, size) => told.push(size) })
  const outcomes = await Promise.all(Array.from({ length: 10 }, (_, n) => intake.record(orderDelivery(n))))
  t.same(outcomes.map((o) => o.status), Array(10).fill('accepted'))
  t.match(intake.stats(), { batches: 0, fallbacks: 1 })
  t.same(told, [9], 'the failed batch is reported (the first delivery went alone)')
  t.match(await counts(db), { events: 10, orders: 10, jobs: 10, timeline: 10 })
})

t.test('when deliveries are not order topics or are replays, then they take the single path at once', async (t) => {
  const { db, boss } = await world(t)
  const intake = createIntakeBatcher(db, boss)
  const uninstalled: ShopifyDelivery = { ...orderDelivery(1), topic: 'app/uninstalled', eventId: 'evt-uninstall' }
  const noOrder: ShopifyDelivery = { ...orderDelivery(2), body: { hello: 'world' }, rawBody: Buffer.from('{"hello":"world"}') }
  const outcomes = []
  for (const delivery of [uninstalled, noOrder, uninstalled]) outcomes.push(await intake.record(delivery))
  t.match(outcomes, [{ status: 'accepted' }, { status: 'failed', reason: /the body is not an order/ }, { status: 'duplicate' }])
  t.match(intake.stats(), { batches: 0, batched: 0 })
})

t.test('when 400 deliveries about 20 orders arrive at once through 3 batches in flight, then none is lost, none deadlocks, and each order has one sync', async (t) => {
  const { db, boss } = await world(t)
  const intake = createIntakeBatcher(db, boss, { concurrency: 3, maxBatch: 25 })
  const topics = ['orders/create', 'orders/paid', 'orders/updated', 'orders/fulfilled']
  const deliveries = Array.from({ length: 400 }, (_, i) => orderDelivery((i * 7) % 20, { topic: topics[i % 4]!, eventId: `evt-${i}` }))
  const outcomes = await Promise.all(deliveries.map((d) => intake.record(d)))
  t.equal(outcomes.filter((o) => o.status === 'accepted').length, 400)
  t.match(await counts(db), { events: 400, orders: 20, jobs: 20, timeline: 400 })
  t.equal(intake.stats().fallbacks, 0, 'no batch failed (a deadlock would have sent it down the single path)')
  t.ok(intake.stats().batches >= 400 / 25 - 3, `${intake.stats().batches} batches`)
})
