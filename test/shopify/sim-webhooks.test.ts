import { createHmac, timingSafeEqual } from 'node:crypto'
import Fastify from 'fastify'
import t from 'tap'
import { clientFor, shopDomain, startSim, webhookSecret } from '../fixtures/shopify/sim-setup.ts'

interface Received { headers: Record<string, string | string[] | undefined>, body: string }

async function startReceiver (t: { teardown (fn: () => unknown): void }, status = 200): Promise<{ url: string, received: Received[] }> {
  const app = Fastify()
  const received: Received[] = []
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => { done(null, body) })
  app.post('/webhooks/shopify', async (request, reply) => {
    received.push({ headers: request.headers, body: String(request.body) })
    return reply.code(status).send()
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => app.close())
  const address = app.server.address()
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/webhooks/shopify`, received }
}

function verifies (secret: string, body: string, header: string | string[] | undefined): boolean {
  if (typeof header !== 'string') return false
  const expected = createHmac('sha256', secret).update(body).digest()
  const given = Buffer.from(header, 'base64')
  return given.length === expected.length && timingSafeEqual(given, expected)
}

void t.test('when an order is created and paid, then each webhook arrives signed with Shopify\'s headers and one event id per action', async (t) => {
  const receiver = await startReceiver(t)
  const sim = await startSim(t, { webhookUrl: receiver.url })
  const ref = await sim.store.createOrder({ financialStatus: 'PENDING', lines: [{ sku: 'A' }] })
  await sim.store.pay(ref.id)
  t.same(receiver.received.map((r) => r.headers['x-shopify-topic']), ['orders/create', 'fulfillment_orders/order_routing_complete', 'orders/paid', 'orders/updated'])
  for (const { headers, body } of receiver.received) {
    t.ok(verifies(webhookSecret, body, headers['x-shopify-hmac-sha256']), `${String(headers['x-shopify-topic'])} verifies`)
    t.equal(headers['x-shopify-shop-domain'], shopDomain)
    t.equal(headers['x-shopify-api-version'], '2026-10')
    t.match(headers['x-shopify-webhook-id'], /^[0-9a-f-]{36}$/)
    t.match(headers['x-shopify-triggered-at'], /^\d{4}-\d\d-\d\dT/)
  }
  const events = receiver.received.map((r) => r.headers['x-shopify-event-id'])
  t.equal(events[0], events[1], 'creating the order is one event')
  t.equal(events[2], events[3], 'paying it is another')
  t.not(events[0], events[2])
  t.equal(new Set(receiver.received.map((r) => r.headers['x-shopify-webhook-id'])).size, 4)
})

void t.test('when a webhook body is read, then it has the REST fields the bridge reads, with ids exact beyond 2^53', async (t) => {
  const receiver = await startReceiver(t)
  const sim = await startSim(t, { webhookUrl: receiver.url })
  const ref = await sim.store.createOrder({ test: true, lines: [{ sku: 'A', quantity: 2 }] })
  const body = receiver.received[0]?.body ?? ''
  t.match(body, new RegExp(`"id":${ref.legacyId},"admin_graphql_api_id":"${ref.id}"`))
  t.ok(BigInt(ref.legacyId) > BigInt(Number.MAX_SAFE_INTEGER))
  const parsed = JSON.parse(body) as Record<string, unknown>
  for (const field of ['id', 'admin_graphql_api_id', 'name', 'order_number', 'updated_at', 'created_at', 'financial_status', 'cancelled_at', 'test', 'line_items']) t.ok(field in parsed, field)
  t.match(parsed, { name: ref.name, financial_status: 'paid', cancelled_at: null, test: true, fulfillment_status: null })
  t.match(String(parsed.updated_at), /\+00:00$/, 'REST times carry an offset')
})

void t.test('when the receiver fails or a delivery is repeated, then the store records each delivery and sends the same bytes again', async (t) => {
  const receiver = await startReceiver(t, 500)
  const sim = await startSim(t, { webhookUrl: receiver.url })
  await sim.store.createOrder({ lines: [{ sku: 'A' }] })
  const [first] = sim.store.webhooks()
  t.equal(first?.status, 500)
  const again = await sim.store.redeliver(first?.webhookId ?? '')
  t.equal(again.body, first?.body)
  const repeated = receiver.received.at(-1)
  t.equal(repeated?.headers['x-shopify-event-id'], first?.eventId)
  t.equal(repeated?.headers['x-shopify-webhook-id'], first?.webhookId)
  t.equal(repeated?.body, receiver.received[0]?.body)
})

void t.test('when a line is added, a fulfillment order held and the order refunded, then those bodies name exact ids too', async (t) => {
  const receiver = await startReceiver(t)
  const sim = await startSim(t, { webhookUrl: receiver.url })
  const ref = await sim.store.createOrder({ lines: [{ sku: 'A', quantity: 2 }] })
  const added = await sim.store.addLine(ref.id, { sku: 'B' })
  await sim.store.holdFulfillmentOrder(ref.fulfillmentOrderIds[0] ?? '', { reason: 'INCORRECT_ADDRESS', reasonNotes: 'no street' })
  await sim.store.refund(ref.id, { lines: [{ lineItemId: ref.lineItemIds[0] ?? '', quantity: 1 }] })
  const body = (topic: string): string => receiver.received.find((r) => r.headers['x-shopify-topic'] === topic)?.body ?? ''
  t.match(body('orders/edited'), new RegExp(`"order_id":${ref.legacyId},.*"additions":\\[\\{"id":${added.split('/').at(-1) ?? ''},"delta":1\\}\\]`))
  t.match(JSON.parse(body('fulfillment_orders/placed_on_hold')), { fulfillment_order: { id: ref.fulfillmentOrderIds[0], status: 'on_hold', fulfillment_holds: [{ reason: 'incorrect_address', reason_notes: 'no street' }] } })
  t.match(body('refunds/create'), new RegExp(`"order_id":${ref.legacyId},`))
  t.match(body('refunds/create'), new RegExp(`"line_item_id":${ref.lineItemIds[0]?.split('/').at(-1) ?? ''},"quantity":1`))
})

void t.test('when a subscription is created over GraphQL, then its topic is delivered there too', async (t) => {
  const receiver = await startReceiver(t)
  const sim = await startSim(t)
  const client = clientFor(t, sim)
  await client.createWebhookSubscription('ORDERS_CANCELLED', receiver.url)
  const ref = await sim.store.createOrder({ lines: [{ sku: 'A' }] })
  t.equal(receiver.received.length, 0)
  await sim.store.cancel(ref.id)
  t.same(receiver.received.map((r) => r.headers['x-shopify-topic']), ['orders/cancelled'])
  t.ok(sim.store.webhooks().some((w) => w.topic === 'orders/create' && w.url === null), 'unsent topics are still recorded')
})

void t.test('when the control API is used over HTTP, then it drives the same store', async (t) => {
  const sim = await startSim(t)
  const post = async (path: string, body: unknown): Promise<{ status: number, json: Record<string, unknown> }> => {
    const response = await fetch(`${sim.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    return { status: response.status, json: await response.json() as Record<string, unknown> }
  }
  const created = await post('/_control/orders', { financialStatus: 'PENDING', lines: [{ sku: 'HTTP-1', quantity: 2 }] })
  t.equal(created.status, 200)
  const id = String(created.json.legacyId)
  t.equal((await post(`/_control/orders/${id}/pay`, {})).status, 200)
  t.match((await post(`/_control/orders/${id}/pay`, {})).json, { error: { code: 'conflict' } })
  const fos = await (await fetch(`${sim.url}/_control/orders/${encodeURIComponent(String(created.json.id))}/fulfillment-orders`)).json() as Array<{ id: string }>
  t.equal((await post(`/_control/fulfillment-orders/${encodeURIComponent(fos[0]?.id ?? '')}/hold`, { reason: 'INCORRECT_ADDRESS' })).status, 200)
  t.match((await post('/_control/orders', { lines: [] })).json, { error: { code: 'bad_request' } })
  t.match((await post('/_control/fail', { kind: 'nope' })).json, { error: { code: 'bad_request' } })
  t.equal((await post('/_control/throttle', { count: 1 })).status, 200)
  t.equal(sim.store.fulfillmentOrders(id)[0]?.status, 'ON_HOLD')
  t.equal((await post(`/_control/fulfillment-orders/${encodeURIComponent(fos[0]?.id ?? '')}/release`, {})).status, 200)
  const shipped = await post(`/_control/fulfillment-orders/${encodeURIComponent(fos[0]?.id ?? '')}/fulfill`, { tracking: { company: 'UPS', number: '1Z999' } })
  t.match(shipped.json, { fulfillmentId: /^gid:\/\/shopify\/Fulfillment\// })
  const fulfillments = await (await fetch(`${sim.url}/_control/orders/${id}/fulfillments`)).json() as Array<{ tracking: Array<{ number: string }> }>
  t.equal(fulfillments[0]?.tracking[0]?.number, '1Z999')
  const deliveries = await (await fetch(`${sim.url}/_control/webhooks`)).json() as Array<{ topic: string }>
  t.ok(deliveries.some((d) => d.topic === 'fulfillment_orders/placed_on_hold') && deliveries.some((d) => d.topic === 'orders/fulfilled'))
  t.equal((await fetch(`${sim.url}/_control/nothing`)).status, 404)
})
