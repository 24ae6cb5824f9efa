import { parse, validate } from 'graphql'
import t from 'tap'
import { allDocuments, orderQuery } from '../../src/shopify/documents.ts'
import { queryLimits } from '../../src/shopify/order-reader.ts'
import { estimateCost } from '../fixtures/shopify/query-cost.ts'
import { adminSchema, type ShopifySimStore } from '../../src/sim/shopify/index.ts'
import { clientFor, startSim } from '../fixtures/shopify/sim-setup.ts'

async function manyFulfillments (store: ShopifySimStore, count: number): Promise<string> {
  // Twelve one-unit fulfillments of a line with eleven units, so one has more lines than fit too.
  const lines = [{ sku: 'MANY', quantity: count - 1 }, ...Array.from({ length: 11 }, (_, i) => ({ sku: `WIDE-${i}` }))]
  const ref = await store.createOrder({ lines })
  const fo = store.fulfillmentOrders(ref.id)[0]
  const [many, ...wide] = fo?.lineItems ?? []
  await store.fulfill(fo?.id ?? '', wide.map((item) => ({ id: item.id, quantity: 1 })))
  for (let i = 0; i < count - 1; i++) await store.fulfill(fo?.id ?? '', [{ id: many?.id ?? '', quantity: 1 }])
  return ref.id
}

const problems = (document: string): string[] => validate(adminSchema(), parse(document)).map((e) => e.message)

void t.test('when each document the client sends is checked against the real 2026-10 schema, then none has a problem', (t) => {
  for (const [name, document] of Object.entries(allDocuments)) t.same(problems(document), [], name)
  t.end()
})

void t.test('when each document is priced at the page sizes the client uses, then none exceeds Shopify\'s 1000-point query limit', (t) => {
  const limits = queryLimits()
  const variables: Record<string, Record<string, unknown>> = {
    orderQuery: { lines: limits.lines, fulfillmentOrders: limits.fulfillmentOrders, foLines: limits.nestedLines, fulfillments: limits.fulfillments },
    orderLineItemsQuery: { first: limits.lines },
    orderFulfillmentOrdersQuery: { first: limits.fulfillmentOrders, foLines: limits.nestedLines },
    fulfillmentOrderLineItemsQuery: { first: limits.lines },
    orderFulfillmentIdsQuery: { first: limits.fulfillmentIds },
    fulfillmentLineItemsQuery: { first: limits.lines },
    ordersUpdatedSinceQuery: { first: limits.lines },
    fulfillmentOrdersUpdatedSinceQuery: { first: limits.lines },
    webhookSubscriptionsQuery: { first: 100 },
    productVariantsQuery: { first: limits.lines }
  }
  for (const [name, document] of Object.entries(allDocuments)) {
    const cost = estimateCost(document, variables[name] ?? {})
    t.ok(cost <= 1000, `${name} costs about ${cost}`)
  }
  t.ok(estimateCost('query { orders(first: 10) { nodes { id lineItems(first: 5) { nodes { id variant { id } } } } } }', {}) === 132, 'the estimate follows Shopify\'s worked rule: 2 + 10 × (1 + 2 + 5 × 2)')
  t.end()
})

void t.test('when a field is misspelled, then the schema check fails naming it', (t) => {
  const misspelled = orderQuery.replace('remainingQuantity', 'remainingQuantty')
  t.not(misspelled, orderQuery)
  t.match(problems(misspelled).join('\n'), /remainingQuantty/)
  // shopify.md: Order.fulfillments is a plain list, not a connection.
  const asConnection = orderQuery.replace('fulfillments(first: $fulfillments) { ...PodBridgeFulfillment }', 'fulfillments(first: $fulfillments) { nodes { ...PodBridgeFulfillment } }')
  t.not(asConnection, orderQuery)
  t.match(problems(asConnection).join('\n'), /nodes/, 'a list read as a connection fails too')
  t.end()
})

void t.test('when the client runs every operation, then each request it sent is valid and every document was used', async (t) => {
  const sim = await startSim(t)
  const client = clientFor(t, sim, { pageSize: 1 })
  const ref = await sim.store.createOrder({ lines: [{ sku: 'A', quantity: 2 }, { sku: 'B' }] })
  await client.order(ref.id)
  const busy = await client.order(await manyFulfillments(sim.store, 12))
  t.equal(busy?.fulfillments.length, 12, 'fulfillments beyond the first read are fetched')
  t.equal(busy?.fulfillments[0]?.lineItems.length, 11, 'and so are a fulfillment\'s lines beyond the first page')
  const [fo] = await client.fulfillmentOrders(ref.id)
  t.equal(await client.fulfillmentOrderOwner(fo?.id ?? ''), ref.id, 'a fulfillment order names its order')
  const fulfillment = await client.createFulfillment({ lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo?.id ?? '' }], notifyCustomer: false, tracking: { company: 'UPS', number: '1Z1' } })
  await client.updateTracking({ fulfillmentId: fulfillment.id, tracking: { company: 'UPS', number: '1Z2' }, notifyCustomer: true })
  await client.ordersUpdatedSince('2000-01-01T00:00:00Z')
  await client.fulfillmentOrdersUpdatedSince('2000-01-01T00:00:00Z')
  const subscription = await client.createWebhookSubscription('ORDERS_CREATE', 'https://bridge.example/webhooks/shopify')
  await client.webhookSubscriptions()
  await client.deleteWebhookSubscription(subscription.id)
  t.same(await client.webhookSubscriptions(), [], 'deleted')
  await client.productVariants()
  const sent = sim.store.requests().filter((r) => r.kind === 'graphql')
  t.ok(sent.every((r) => r.status === 200))
  for (const request of sent) t.same(problems(request.query ?? ''), [], request.operationName ?? '')
  const used = new Set(sent.map((r) => r.query))
  for (const [name, document] of Object.entries(allDocuments)) t.ok(used.has(document), `${name} was sent`)
})

void t.test('when the simulator gets a document the schema refuses, then it answers in Shopify\'s error shape with no data', async (t) => {
  const sim = await startSim(t, { accessToken: 'shpat_x' })
  const response = await fetch(`${sim.url}/admin/api/2026-10/graphql.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': 'shpat_x' },
    body: JSON.stringify({ query: '{ order(id: "gid://shopify/Order/1") { id nmae } }' })
  })
  t.equal(response.status, 200)
  const body = await response.json() as { data?: unknown, errors: Array<{ message: string, locations: unknown[] }> }
  t.equal(body.data, undefined)
  t.match(body.errors[0]?.message, /nmae/)
  t.ok(body.errors[0]?.locations.length)
  const syntax = await fetch(`${sim.url}/admin/api/2026-10/graphql.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': 'shpat_x' },
    body: JSON.stringify({ query: '{ order(id: ' })
  })
  t.match(await syntax.json(), { errors: [{ message: /Syntax Error/ }] })
})

void t.test('when a request has no token or a bad one, then the simulator answers 401 like Shopify', async (t) => {
  const sim = await startSim(t, { accessToken: 'shpat_x' })
  const response = await fetch(`${sim.url}/admin/api/2026-10/graphql.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': 'nope' },
    body: JSON.stringify({ query: '{ shop { name } }' })
  })
  t.equal(response.status, 401)
  t.match(await response.json(), { errors: /Invalid API key or access token/ })
})
