import t from 'tap'
import { sql } from 'kysely'
import type { PgBoss } from 'pg-boss'
import { recordShopifyDelivery } from '../../src/orders/intake/webhook-intake.ts'
import { parseJsonKeepingBigInts } from '../../src/lib/json.ts'
import { SHOPIFY_WEBHOOK_BODY_LIMIT } from '../../src/http/webhooks/shopify.ts'
import { testApp } from '../helpers/app.ts'
import { SECRET, SHOP, delivery, fixture, webhookEnv } from '../helpers/shopify-webhooks.ts'
import type { Db } from '../../src/db/database.ts'
import type { InjectOptions } from 'fastify'

const cancelled = fixture('shopify-orders-cancelled.sample.json')
const created = fixture('shopify-orders-create.sample.json')

async function counts (db: Db): Promise<{ events: number, orders: number, jobs: number, timeline: number }> {
  const row = await sql<{ events: string, orders: string, jobs: string, timeline: string }>`select
    (select count(*) from webhook_events) as events, (select count(*) from orders) as orders,
    (select count(*) from pgboss.job where name = 'order.sync') as jobs, (select count(*) from order_events) as timeline`.execute(db)
  const r = row.rows[0]!
  return { events: Number(r.events), orders: Number(r.orders), jobs: Number(r.jobs), timeline: Number(r.timeline) }
}

t.test('when a genuine orders/cancelled sample arrives, then the exact bytes, the identity (big id exact), a timeline row and one order.sync are stored', async (t) => {
  const { app, database } = await testApp(t, { env: webhookEnv, boss: true })
  const res = await app.inject(delivery({ topic: 'orders/cancelled', body: cancelled, eventId: 'evt-1' }))
  t.equal(res.statusCode, 200)
  t.equal(res.json().status, 'accepted')
  const event = await database.db.selectFrom('webhook_events').selectAll().executeTakeFirstOrThrow()
  t.ok(event.raw_body.equals(Buffer.from(cancelled)), 'raw body stored byte for byte')
  t.match(event, { source: 'shopify', shop: SHOP, topic: 'orders/cancelled', event_id: 'evt-1', api_version: '2026-10', status: 'received' })
  const order = await database.db.selectFrom('orders').selectAll().executeTakeFirstOrThrow()
  t.equal(order.shopify_order_id, 'gid://shopify/Order/820982911946154508')
  t.equal(order.name, '#9999')
  t.equal(event.order_id, order.id)
  const job = await sql<{ data: { shopifyOrderId: string, reason: string }, singleton_key: string }>`select data, singleton_key from pgboss.job where name = 'order.sync'`.execute(database.db)
  t.same(job.rows.map((r) => [r.data.shopifyOrderId, r.data.reason, r.singleton_key]), [['gid://shopify/Order/820982911946154508', 'orders/cancelled', 'gid://shopify/Order/820982911946154508']])
  const timeline = await database.db.selectFrom('order_events').select(['kind', 'actor', 'detail']).execute()
  t.same(timeline, [{ kind: 'webhook.received', actor: 'shopify', detail: 'orders/cancelled received' }])
})

t.test('when the same delivery arrives 20 times in parallel, then one event row and one sync', async (t) => {
  const { app, database } = await testApp(t, { env: webhookEnv, boss: true })
  const request = delivery({ body: created, eventId: 'evt-same', webhookId: 'wh-same' })
  const answers = await Promise.all(Array.from({ length: 20 }, () => app.inject(request)))
  t.same(answers.map((a) => a.statusCode), Array(20).fill(200))
  t.equal(answers.filter((a) => a.json().status === 'accepted').length, 1)
  t.equal(answers.filter((a) => a.json().status === 'duplicate').length, 19)
  t.match(await counts(database.db), { events: 1, orders: 1, jobs: 1, timeline: 1 })
})

t.test('when create, paid and updated arrive for one order, then one order row and one queued sync', async (t) => {
  const { app, database } = await testApp(t, { env: webhookEnv, boss: true })
  for (const topic of ['orders/updated', 'orders/create', 'orders/paid']) {
    t.equal((await app.inject(delivery({ topic, body: cancelled }))).statusCode, 200)
  }
  t.match(await counts(database.db), { events: 3, orders: 1, jobs: 1, timeline: 3 })
})

t.test('when an order body carries a time Postgres cannot read, then the delivery is still stored and the time left to order.sync', async (t) => {
  const { app, database } = await testApp(t, { env: webhookEnv, boss: true })
  const body = JSON.stringify({ ...JSON.parse(created), created_at: 'yesterday at noon', updated_at: '2026-13-45T99:00:00Z' })
  const res = await app.inject(delivery({ body }))
  t.equal(res.statusCode, 200)
  t.equal(res.json().status, 'accepted')
  t.match(await database.db.selectFrom('orders').select(['shopify_created_at', 'shopify_updated_at']).executeTakeFirstOrThrow(), { shopify_created_at: null, shopify_updated_at: null })
  t.match(await counts(database.db), { events: 1, orders: 1, jobs: 1 })
})

t.test('when two topics share one event id, then both are kept', async (t) => {
  const { app, database } = await testApp(t, { env: webhookEnv, boss: true })
  await app.inject(delivery({ topic: 'orders/create', body: created, eventId: 'shared' }))
  await app.inject(delivery({ topic: 'orders/paid', body: created, eventId: 'shared' }))
  t.equal((await counts(database.db)).events, 2)
})

t.test('when no event id is sent, then the webhook id deduplicates', async (t) => {
  const { app, database } = await testApp(t, { env: webhookEnv, boss: true })
  const request = delivery({ body: created, webhookId: 'only-webhook-id', headers: { 'x-shopify-event-id': undefined } })
  await app.inject(request)
  t.equal((await app.inject(request)).json().status, 'duplicate')
  t.equal((await counts(database.db)).events, 1)
})

t.test('when a delivery is refused, then it gets its own status and reason, is counted, and nothing is stored', async (t) => {
  const { app, database, metrics } = await testApp(t, { env: webhookEnv, boss: true })
  const good = delivery({ body: created })
  const cases: [string, InjectOptions, number, RegExp][] = [
    ['missing signature', { ...good, headers: { ...good.headers, 'x-shopify-hmac-sha256': '' } }, 401, /missing X-Shopify-Hmac-Sha256/],
    ['wrong signature', delivery({ body: created, secret: 'not-the-secret' }), 401, /does not match/],
    ['signature of another body', { ...good, payload: created.replace('9999', '9998') }, 401, /does not match/],
    ['malformed signature', { ...good, headers: { ...good.headers, 'x-shopify-hmac-sha256': 'abc' } }, 401, /does not match/],
    ['wrong shop', delivery({ body: created, shop: 'other-shop.myshopify.com' }), 401, /other-shop\.myshopify\.com are not accepted/],
    ['malformed JSON under a good signature', delivery({ body: '{"id": 1,' }), 400, /not valid JSON/],
    ['missing topic', delivery({ body: created, headers: { 'x-shopify-topic': undefined } }), 400, /missing X-Shopify-Topic/],
    ['body over the limit', delivery({ body: JSON.stringify({ id: 1, pad: 'x'.repeat(SHOPIFY_WEBHOOK_BODY_LIMIT) }) }), 413, new RegExp(`limit of ${SHOPIFY_WEBHOOK_BODY_LIMIT} bytes`)]
  ]
  for (const [name, request, status, message] of cases) {
    const res = await app.inject(request)
    t.equal(res.statusCode, status, name)
    t.equal(res.json().error.code, status === 401 ? 'unauthorized' : status === 413 ? 'payload_too_large' : 'bad_request', name)
    t.match(res.json().error.message, message, name)
  }
  t.match(await counts(database.db), { events: 0, orders: 0, jobs: 0 })
  const text = await metrics.registry.metrics()
  for (const outcome of ['unsigned', 'bad_signature', 'wrong_shop', 'malformed_json', 'no_topic', 'too_large']) {
    t.match(text, new RegExp(`pod_bridge_webhooks_total\\{source="shopify",topic="[^"]*",outcome="${outcome}"\\} \\d`), `counted: ${outcome}`)
  }
})

t.test('when the secret is rotated, then deliveries signed with either configured secret are accepted', async (t) => {
  const { app } = await testApp(t, { env: { ...webhookEnv, SHOPIFY_WEBHOOK_SECRETS: `new-secret,${SECRET}` }, boss: true })
  t.equal((await app.inject(delivery({ body: created, secret: 'new-secret' }))).statusCode, 200)
  t.equal((await app.inject(delivery({ body: created, secret: SECRET }))).statusCode, 200)
  t.equal((await app.inject(delivery({ body: created, secret: 'retired-secret' }))).statusCode, 401)
})

t.test('when no webhook secret is configured, then every delivery is refused with 503 saying so', async (t) => {
  const { app } = await testApp(t, { env: { SHOPIFY_SHOP_DOMAIN: SHOP }, boss: true })
  const res = await app.inject(delivery({ body: created }))
  t.equal(res.statusCode, 503)
  t.match(res.json().error.message, /no Shopify webhook secret is configured/)
})

t.test('when Shopify sends the unprefixed shopify-* headers, then they are accepted too', async (t) => {
  const { app } = await testApp(t, { env: webhookEnv, boss: true })
  const classic = delivery({ body: created })
  const headers: Record<string, string> = {}
  for (const [key, value] of Object.entries(classic.headers)) headers[key.replace(/^x-shopify-/, 'shopify-')] = value
  t.equal((await app.inject({ ...classic, headers })).statusCode, 200)
})

t.test('when anything inside the transaction throws, then nothing is left behind and the answer is 503', async (t) => {
  const { app, database } = await testApp(t, { env: webhookEnv, boss: true })
  const failingBoss = { send: async () => { throw new Error('queue unavailable') } } as unknown as PgBoss
  await t.rejects(recordShopifyDelivery(database.db, failingBoss, { shop: SHOP, topic: 'orders/create', eventId: 'e', webhookId: 'w', apiVersion: undefined, triggeredAt: undefined, rawBody: Buffer.from(created), body: parseJsonKeepingBigInts(created) }), /queue unavailable/)
  t.match(await counts(database.db), { events: 0, orders: 0, timeline: 0, jobs: 0 })

  await database.close()
  const res = await app.inject(delivery({ body: created }))
  t.equal(res.statusCode, 503, 'a database outage answers 503 so Shopify retries')
  t.same(res.json(), { error: { code: 'unavailable', message: 'the delivery could not be stored; retry later' } })
})

t.test('when a topic is not used, then it is recorded as ignored with 200', async (t) => {
  const { app, database } = await testApp(t, { env: webhookEnv, boss: true })
  const res = await app.inject(delivery({ topic: 'products/update', body: '{"id": 5}' }))
  t.equal(res.statusCode, 200)
  t.equal(res.json().status, 'ignored')
  const event = await database.db.selectFrom('webhook_events').selectAll().executeTakeFirstOrThrow()
  t.match(event, { status: 'ignored', error: 'topic products/update is not used by pod-bridge' })
})

t.test('when orders/edited arrives, then the order edit\'s order id is the identity', async (t) => {
  const { app, database } = await testApp(t, { env: webhookEnv, boss: true })
  const body = '{"order_edit":{"id":1,"app_id":null,"created_at":"2026-11-27T10:00:00Z","notify_customer":false,"order_id":820982911946154508,"staff_note":"","user_id":null,"line_items":{"additions":[],"removals":[]}}}'
  t.equal((await app.inject(delivery({ topic: 'orders/edited', body }))).statusCode, 200)
  const order = await database.db.selectFrom('orders').select('shopify_order_id').executeTakeFirstOrThrow()
  t.equal(order.shopify_order_id, 'gid://shopify/Order/820982911946154508')
})

t.test('when a fulfillment order of an unknown order is released, then a sync is queued by its fulfillment order id', async (t) => {
  const { app, database } = await testApp(t, { env: webhookEnv, boss: true })
  const body = '{"fulfillment_order":{"id":"gid://shopify/FulfillmentOrder/5550001","status":"open"}}'
  t.equal((await app.inject(delivery({ topic: 'fulfillment_orders/hold_released', body }))).statusCode, 200)
  const job = await sql<{ data: { fulfillmentOrderId: string } }>`select data from pgboss.job where name = 'order.sync'`.execute(database.db)
  t.equal(job.rows[0]?.data.fulfillmentOrderId, 'gid://shopify/FulfillmentOrder/5550001')
})

t.test('when a genuine body is not an order, then it is stored as failed with the reason, and 200', async (t) => {
  const { app, database } = await testApp(t, { env: webhookEnv, boss: true })
  const res = await app.inject(delivery({ topic: 'orders/create', body: '{"hello":"world"}' }))
  t.equal(res.statusCode, 200)
  t.equal(res.json().status, 'failed')
  t.match(await database.db.selectFrom('webhook_events').selectAll().executeTakeFirstOrThrow(), { status: 'failed', error: /the body is not an order/ })
})
