// What the fuzz run found, each kept as a plain case: answers that were 5xx
// (a 503 to a signed webhook is retried by the provider until it gives up on
// the subscription; a 500 from /v1 is a crash in an ops call).
import t from 'tap'
import { createHmac } from 'node:crypto'
import { bearer, testApp } from '../helpers/app.ts'
import { delivery, fixture, webhookEnv } from '../helpers/shopify-webhooks.ts'

t.test('when a signed Shopify webhook names the topic "toString" or "__proto__", then it is stored as an ignored topic, not a 500', async (t) => {
  const { app } = await testApp(t, { env: webhookEnv, boss: true })
  for (const topic of ['toString', '__proto__', 'constructor']) {
    const res = await app.inject(delivery({ topic, body: '{"id":1}' }))
    t.equal(res.statusCode, 200, `${topic}: ${res.body}`)
  }
})

t.test('when a signed order webhook holds a NUL character in its strings, then it is accepted (Postgres text cannot hold NUL; the raw bytes are kept)', async (t) => {
  const { app, database } = await testApp(t, { env: webhookEnv, boss: true })
  const order = JSON.parse(fixture('shopify-orders-create.sample.json')) as Record<string, unknown>
  const body = JSON.stringify({ ...order, email: 'jon\u0000@doe.ca', name: '#1\u0000001' })
  const res = await app.inject(delivery({ topic: 'orders/create', body }))
  t.equal(res.statusCode, 200, res.body)
  const row = await database.db.selectFrom('orders').select(['email', 'name']).executeTakeFirstOrThrow()
  t.same(row, { email: 'jon@doe.ca', name: '#1001' })
  const stored = await database.db.selectFrom('webhook_events').select('raw_body').executeTakeFirstOrThrow()
  t.equal(Buffer.from(stored.raw_body).toString('utf8'), body, 'the delivery as it came')
})

t.test('when a signed Printify webhook holds a NUL character, then it is not a 5xx', async (t) => {
  const secret = 'printify-found-secret'
  const { app } = await testApp(t, { env: { PRINTIFY_WEBHOOK_SECRET: secret }, boss: true })
  const body = JSON.stringify({ id: 'evt\u00001', type: 'order:shipment:created', created_at: '2026-11-27 10:00:00+00:00', resource: { id: '5f1e\u00000001', type: 'order', data: { shop_id: 1, status: 'shipped', carrier: { code: 'us\u0000ps', tracking_number: '94\u000000' } } } })
  const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
  const res = await app.inject({ method: 'POST', url: '/webhooks/printify', headers: { 'content-type': 'application/json', 'x-pfy-signature': signature }, payload: body })
  t.ok(res.statusCode < 500, `${res.statusCode}: ${res.body}`)
})

t.test('when an ops call has a NUL in its path, query or body, then 400 names where, not a 500 from the database', async (t) => {
  const { app } = await testApp(t, { boss: true })
  const cases = [
    { method: 'GET' as const, url: '/v1/orders/%00' },
    { method: 'GET' as const, url: '/v1/orders?q=a%00b' },
    { method: 'PUT' as const, url: '/v1/mappings', payload: { mappings: [{ match: { sku: 'A\u0000' }, supplier: 'none' }] } }
  ]
  for (const c of cases) {
    const res = await app.inject({ ...c, headers: bearer() })
    t.equal(res.statusCode, 400, `${c.method} ${c.url}: ${res.body}`)
    t.match(res.json<{ error: { message: string } }>().error.message, /may not contain the NUL character/)
  }
})

t.test('when a Printful webhook carries a time a Date cannot hold, or a 2 KB event type, then 400, not a 500 or 503', async (t) => {
  const token = 'printful-found-token-0123'
  const { app } = await testApp(t, { env: { PRINTFUL_WEBHOOK_SECRET: token }, boss: true })
  const base = { type: 'package_shipped', created: 1622456737, retries: 0, store: 12, data: { shipment: { id: 10, carrier: 'FEDEX', tracking_number: 1, shipped_at: 1588716060, ship_date: '2020-05-05' }, order: { id: 13, external_id: 'pb-1-f1', store: 12, status: 'fulfilled' } } }
  const post = (body: unknown) => app.inject({ method: 'POST', url: `/webhooks/printful?token=${token}`, headers: { 'content-type': 'application/json' }, payload: body as Record<string, unknown> })
  t.equal((await post({ ...base, created: 4.66e20 })).statusCode, 400, 'created past the Date range')
  t.equal((await post({ ...base, type: 'x'.repeat(2000) })).statusCode, 400, 'an event type over the index limit')
  const farShipment = await post({ ...base, data: { ...base.data, shipment: { ...base.data.shipment, shipped_at: '99999999999999999', ship_date: 'not a date' } } })
  t.ok(farShipment.statusCode < 500, `shipped_at as a far numeric string: ${farShipment.statusCode} ${farShipment.body}`)
})

t.test('when a signed Shopify webhook has a topic or event id over 150 characters, then 400, not a 503 from the unique index', async (t) => {
  const { app } = await testApp(t, { env: webhookEnv, boss: true })
  t.equal((await app.inject(delivery({ topic: 'orders/create', eventId: 'e'.repeat(3000), body: '{"id":1}' }))).statusCode, 400)
  t.equal((await app.inject(delivery({ topic: 't'.repeat(3000), body: '{"id":1}' }))).statusCode, 400)
})
