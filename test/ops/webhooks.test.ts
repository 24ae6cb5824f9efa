import t from 'tap'
import { sql } from 'kysely'
import { bearer, testApp } from '../helpers/app.ts'
import { delivery, fixture, webhookEnv } from '../helpers/shopify-webhooks.ts'

const created = fixture('shopify-orders-create.sample.json')

t.test('when /v1/webhooks and the replay route are called without, with a wrong, and with the right token, then 401, 401, 200', async (t) => {
  const { app } = await testApp(t, { env: webhookEnv, boss: true })
  const id = (await app.inject(delivery({ body: created }))).json().id as string
  for (const [method, url] of [['GET', '/v1/webhooks'], ['POST', `/v1/webhooks/${id}/replay`]] as const) {
    t.equal((await app.inject({ method, url })).statusCode, 401, `${url} without a token`)
    t.equal((await app.inject({ method, url, headers: bearer('wrong-token-0123456789') })).statusCode, 401, `${url} with a wrong token`)
    t.equal((await app.inject({ method, url, headers: bearer() })).statusCode, 200, `${url} with the token`)
  }
})

t.test('when webhooks are listed, then newest first, filtered by topic and status, paged, and never with their bodies', async (t) => {
  const { app } = await testApp(t, { env: webhookEnv, boss: true })
  for (let i = 0; i < 3; i++) await app.inject(delivery({ topic: 'orders/create', body: created }))
  await app.inject(delivery({ topic: 'orders/paid', body: created }))
  await app.inject(delivery({ topic: 'products/update', body: '{"id": 5}' }))

  const all = (await app.inject({ url: '/v1/webhooks', headers: bearer() })).json()
  t.equal(all.webhooks.length, 5)
  t.equal(all.webhooks[0].topic, 'products/update', 'newest first')
  t.notOk(JSON.stringify(all).includes('"raw_body"') || JSON.stringify(all).includes('rawBody') || JSON.stringify(all).includes('bob@example'), 'no body in the list')
  t.equal(all.webhooks[1].bodyBytes, Buffer.byteLength(created), 'only the body\'s size')

  const ignored = (await app.inject({ url: '/v1/webhooks?status=ignored', headers: bearer() })).json()
  t.same(ignored.webhooks.map((w: { topic: string }) => w.topic), ['products/update'])
  const creates = (await app.inject({ url: '/v1/webhooks?topic=orders/create', headers: bearer() })).json()
  t.equal(creates.webhooks.length, 3)

  const seen: string[] = []
  let cursor: string | null = null
  for (let page = 0; page < 5; page++) {
    const res = await app.inject({ url: `/v1/webhooks?limit=2${cursor ? `&cursor=${cursor}` : ''}`, headers: bearer() })
    const body: { webhooks: { id: string }[], nextCursor: string | null } = res.json()
    seen.push(...body.webhooks.map((w) => w.id))
    cursor = body.nextCursor
    if (!cursor) break
  }
  t.same(seen, all.webhooks.map((w: { id: string }) => w.id), 'pages add up to the whole list, in order')
})

t.test('when a webhook parameter is invalid, then 400 naming it; an unknown event, 404', async (t) => {
  const { app } = await testApp(t, { env: webhookEnv, boss: true })
  for (const [url, message] of [['/v1/webhooks?status=lost', /querystring\.status/], ['/v1/webhooks?limit=-1', /querystring\.limit/], ['/v1/webhooks?cursor=abc', /querystring\.cursor/]] as const) {
    const res = await app.inject({ url, headers: bearer() })
    t.equal(res.statusCode, 400, url)
    t.match(res.json().error.message, message, url)
  }
  const bad = await app.inject({ method: 'POST', url: '/v1/webhooks/not-a-uuid/replay', headers: bearer() })
  t.equal(bad.statusCode, 400)
  t.match(bad.json().error.message, /params\.id/)
  const missing = await app.inject({ method: 'POST', url: '/v1/webhooks/00000000-0000-4000-8000-000000000000/replay', headers: bearer() })
  t.equal(missing.statusCode, 404)
  t.same(missing.json(), { error: { code: 'not_found', message: 'no webhook event 00000000-0000-4000-8000-000000000000' } })
})

t.test('when a stored order webhook is replayed twice, then two replay events are recorded and the order still has one queued sync', async (t) => {
  const { app, database } = await testApp(t, { env: webhookEnv, boss: true })
  const original = (await app.inject(delivery({ topic: 'orders/create', body: created }))).json().id as string

  const first = await app.inject({ method: 'POST', url: `/v1/webhooks/${original}/replay`, headers: bearer() })
  t.equal(first.statusCode, 200)
  t.match(first.json(), { replayOf: original, status: 'accepted', id: String, orderId: String })
  const second = await app.inject({ method: 'POST', url: `/v1/webhooks/${original}/replay`, headers: bearer() })
  t.match(second.json(), { replayOf: original, status: 'accepted' })
  t.not(second.json().id, first.json().id)

  const events = await database.db.selectFrom('webhook_events').select(['id', 'replay_of', 'raw_body', 'order_id']).orderBy('received_at').execute()
  t.equal(events.length, 3)
  t.same(events.slice(1).map((e) => e.replay_of), [original, original], 'both marked as replays of the original')
  t.ok(events.every((e) => e.raw_body.equals(Buffer.from(created))), 'the same bytes')
  t.equal(new Set(events.map((e) => e.order_id)).size, 1, 'one order')
  const jobs = await sql<{ count: string }>`select count(*) from pgboss.job where name = 'order.sync' and state = 'created'`.execute(database.db)
  t.equal(Number(jobs.rows[0]?.count), 1, 'the stately order.sync queue holds one queued sync for the order')
  const timeline = await database.db.selectFrom('order_events').select('detail').orderBy('id').execute()
  t.same(timeline.map((e) => e.detail), ['orders/create received', 'orders/create received (replay)', 'orders/create received (replay)'])

  const listed = (await app.inject({ url: '/v1/webhooks', headers: bearer() })).json()
  t.equal(listed.webhooks.filter((w: { replayOf: string | null }) => w.replayOf === original).length, 2, 'replays are visible in the list')
})

t.test('when an ignored topic is replayed, then the new event is ignored again with its reason', async (t) => {
  const { app } = await testApp(t, { env: webhookEnv, boss: true })
  const original = (await app.inject(delivery({ topic: 'products/update', body: '{"id": 5}' }))).json().id as string
  const res = await app.inject({ method: 'POST', url: `/v1/webhooks/${original}/replay`, headers: bearer() })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { replayOf: original, status: 'ignored', reason: 'topic products/update is not used by pod-bridge' })
})

t.test('when a supplier webhook or a redacted one is replayed, then 409 saying why', async (t) => {
  const { app, database } = await testApp(t, { env: webhookEnv, boss: true })
  const rows = await database.db.insertInto('webhook_events').values([
    { source: 'printful', shop: 'store', topic: 'package_shipped', dedupe_key: 'p1', raw_body: Buffer.from('{}') },
    { source: 'shopify', shop: 'pod-bridge-test.myshopify.com', topic: 'customers/redact', dedupe_key: 'r1', raw_body: Buffer.from('{}'), status: 'redacted' }
  ]).returning('id').execute()
  for (const [row, message] of [[rows[0], /printful webhooks is not supported/], [rows[1], /redacted/]] as const) {
    const res = await app.inject({ method: 'POST', url: `/v1/webhooks/${row?.id ?? ''}/replay`, headers: bearer() })
    t.equal(res.statusCode, 409)
    t.match(res.json(), { error: { code: 'conflict', message } })
  }
})
