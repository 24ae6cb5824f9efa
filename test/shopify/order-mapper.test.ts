import t from 'tap'
import { orderSnapshotSchema } from '../../src/shopify/index.ts'
import { orderInputFromRest, parseShopifyJson } from '../../src/sim/shopify/index.ts'
import { clientFor, sampleText, startSim } from '../fixtures/shopify/sim-setup.ts'

void t.test('when an order is built from Shopify\'s real orders/cancelled sample, then the snapshot keeps every big id exact', async (t) => {
  const sim = await startSim(t)
  const client = clientFor(t, sim)
  const ref = await sim.store.createOrder(orderInputFromRest(parseShopifyJson(sampleText('shopify-orders-cancelled.sample.json'))))
  t.equal(ref.id, 'gid://shopify/Order/820982911946154508')
  const order = await client.order('820982911946154508')
  if (!order) throw new Error('order not found')
  t.ok(orderSnapshotSchema.safeParse(order).success)
  t.equal(order.id, 'gid://shopify/Order/820982911946154508')
  t.equal(order.legacyId, '820982911946154508')
  t.equal(order.name, '#1234')
  t.same(order.lines.map((l) => l.id), [
    'gid://shopify/LineItem/487817672276298554',
    'gid://shopify/LineItem/789012345678901234',
    'gid://shopify/LineItem/890123456789012345',
    'gid://shopify/LineItem/976318377106520349',
    'gid://shopify/LineItem/315789986012684393'
  ])
  t.same(order.lines.map((l) => l.sku), ['SKU2006-001', 'LENS-PROTECT-2YR', 'CASE-LEATHER-PREM', 'SKU2006-020', 'SKU2006-035'])
  t.same(order.lines.map((l) => l.remainingQuantity), [1, 1, 1, 1, 1])
  t.equal(order.lines[0]?.variantId, null, 'the sample\'s lines have no variant')
  t.match(order.shippingAddress, { name: 'Steve Shipper', address1: '123 Shipping Street', city: 'Shippington', provinceCode: 'KY', countryCode: 'US', zip: '40003' })
  t.match(order.shippingLines, [{ title: 'Generic Shipping' }])
  t.equal(order.fulfillmentOrders.length, 1)
  t.equal(order.financialStatus, 'PAID')
  t.equal(order.createdAt, '2022-01-01T00:00:00Z')
  const created = sim.store.webhooks().find((w) => w.topic === 'orders/create')
  t.match(created?.body, /"id":820982911946154508,"admin_graphql_api_id":"gid:\/\/shopify\/Order\/820982911946154508"/, 'the webhook body carries the exact number')
  t.match(created?.body, /"id":487817672276298554/)
})

void t.test('when an order is built from the 2020 orders/create delivery, then its lines and properties map', async (t) => {
  const sim = await startSim(t)
  const client = clientFor(t, sim)
  const sample = parseShopifyJson(sampleText('shopify-orders-create.sample.json'))
  const ref = await sim.store.createOrder(orderInputFromRest(sample))
  const order = await client.order(ref.id)
  t.ok(order)
  t.equal(order?.lines.length, (sample as { line_items: unknown[] }).line_items.length)
  t.ok(order?.lines.every((l) => l.id.startsWith('gid://shopify/LineItem/')))
})

void t.test('when a line is partly refunded, then its current and remaining quantities drop and the order is partially refunded', async (t) => {
  const sim = await startSim(t)
  const client = clientFor(t, sim)
  const ref = await sim.store.createOrder({ lines: [{ sku: 'MUG', quantity: 3 }, { sku: 'TEE' }] })
  await sim.store.refund(ref.id, { lines: [{ lineItemId: ref.lineItemIds[0] ?? '', quantity: 2 }] })
  const order = await client.order(ref.id)
  t.match(order?.lines[0], { quantity: 3, currentQuantity: 1, remainingQuantity: 1 })
  t.equal(order?.financialStatus, 'PARTIALLY_REFUNDED')
  await sim.store.refund(ref.id, { lines: [{ lineItemId: ref.lineItemIds[0] ?? '', quantity: 1 }, { lineItemId: ref.lineItemIds[1] ?? '', quantity: 1 }] })
  const refunded = await client.order(ref.id)
  t.equal(refunded?.financialStatus, 'REFUNDED')
  t.same(refunded?.lines.map((l) => l.remainingQuantity), [0, 0])
  t.equal(refunded?.fulfillmentOrders[0]?.status, 'CLOSED')
  t.ok(sim.store.webhooks().some((w) => w.topic === 'refunds/create'))
})

void t.test('when the order is edited, then an added line arrives on a new fulfillment order and a lowered one has less to fulfil', async (t) => {
  const sim = await startSim(t)
  const client = clientFor(t, sim)
  const ref = await sim.store.createOrder({ lines: [{ sku: 'POSTER', quantity: 2 }] })
  const before = await client.order(ref.id)
  const added = await sim.store.addLine(ref.id, { sku: 'UPSELL', quantity: 1, properties: [{ name: '_customily_id', value: 'cst-1' }] })
  await sim.store.edit(ref.id, { quantities: [{ lineItemId: ref.lineItemIds[0] ?? '', quantity: 1 }] })
  const order = await client.order(ref.id)
  if (!order || !before) throw new Error('order not found')
  t.ok(order.updatedAt > before.updatedAt, 'updatedAt moves on every change')
  t.equal(order.lines.length, 2)
  t.match(order.lines[0], { quantity: 2, currentQuantity: 1, remainingQuantity: 1 })
  t.match(order.lines[1], { id: added, sku: 'UPSELL', remainingQuantity: 1, properties: [{ name: '_customily_id', value: 'cst-1' }] })
  t.equal(order.fulfillmentOrders.length, 2)
  t.same(order.fulfillmentOrders[1]?.lineItems.map((i) => i.lineItemId), [added])
  const edited = sim.store.webhooks().filter((w) => w.topic === 'orders/edited')
  t.equal(edited.length, 2)
  t.match(edited[0]?.body, /^\{"order_edit":\{/, 'orders/edited carries an order edit, not an order')
})

void t.test('when an order has gift cards, digital and custom lines, then their flags and missing variants map as they are', async (t) => {
  const sim = await startSim(t)
  const client = clientFor(t, sim)
  const ref = await sim.store.createOrder({
    lines: [
      { sku: 'TEE-M', quantity: 1 },
      { title: 'Gift card', sku: null, giftCard: true, requiresShipping: false },
      { title: 'Design fee', sku: null, variantId: null, requiresShipping: false, price: '3.00' }
    ]
  })
  const order = await client.order(ref.id)
  t.same(order?.lines.map((l) => [l.sku, l.isGiftCard, l.requiresShipping, l.variantId === null]), [
    ['TEE-M', false, true, false],
    [null, true, false, false],
    [null, false, false, true]
  ])
  t.equal(order?.lines[2]?.unitPrice.amount, '3.00')
})

void t.test('when lines ship from two locations, one a fulfillment service, then the order has two fulfillment orders with their owners', async (t) => {
  const sim = await startSim(t)
  const client = clientFor(t, sim)
  sim.store.addLocation({ name: 'Printful', fulfillmentServiceHandle: 'printful' })
  const ref = await sim.store.createOrder({ lines: [{ sku: 'OURS', quantity: 2 }, { sku: 'THEIRS', location: 'Printful' }] })
  const order = await client.order(ref.id)
  t.equal(order?.fulfillmentOrders.length, 2)
  t.match(order?.fulfillmentOrders[0], { status: 'OPEN', location: { name: 'Shop location', fulfillmentServiceHandle: null }, lineItems: [{ lineItemId: ref.lineItemIds[0], totalQuantity: 2, remainingQuantity: 2 }] })
  t.match(order?.fulfillmentOrders[1], { location: { name: 'Printful', fulfillmentServiceHandle: 'printful' }, lineItems: [{ lineItemId: ref.lineItemIds[1] }] })
  t.same(await client.fulfillmentOrders(ref.id), order?.fulfillmentOrders)
})

void t.test('when a fulfillment order is held, then the snapshot shows the hold and the order\'s updatedAt does not move', async (t) => {
  const sim = await startSim(t)
  const client = clientFor(t, sim)
  const ref = await sim.store.createOrder({ lines: [{ sku: 'A' }] })
  const before = await client.order(ref.id)
  await sim.store.holdFulfillmentOrder(ref.fulfillmentOrderIds[0] ?? '', { reason: 'HIGH_RISK_OF_FRAUD', reasonNotes: 'check' })
  const held = await client.order(ref.id)
  t.match(held?.fulfillmentOrders[0], { status: 'ON_HOLD', holds: [{ reason: 'HIGH_RISK_OF_FRAUD', reasonNotes: 'check' }] })
  t.equal(held?.updatedAt, before?.updatedAt, 'shopify.md §3.2: a hold bumps the fulfillment order, not the order')
  t.ok((held?.fulfillmentOrders[0]?.updatedAt ?? '') > (before?.fulfillmentOrders[0]?.updatedAt ?? ''))
  await sim.store.releaseHold(ref.fulfillmentOrderIds[0] ?? '')
  t.match((await client.order(ref.id))?.fulfillmentOrders[0], { status: 'OPEN', holds: [] })
})

void t.test('when an order has more lines than a page, then the client pages through lines and fulfillment order lines', async (t) => {
  const sim = await startSim(t)
  const client = clientFor(t, sim, { pageSize: 2 })
  const lines = Array.from({ length: 7 }, (_, i) => ({ sku: `SKU-${i}`, quantity: i + 1, location: i % 2 === 0 ? undefined : 'Warehouse' }))
  const ref = await sim.store.createOrder({ lines: lines.map(({ location, ...rest }) => location ? { ...rest, location } : rest) })
  const order = await client.order(ref.id)
  t.same(order?.lines.map((l) => l.sku), lines.map((l) => l.sku))
  t.same(order?.lines.map((l) => l.remainingQuantity), [1, 2, 3, 4, 5, 6, 7])
  t.same(order?.fulfillmentOrders.map((fo) => fo.lineItems.length), [4, 3])
  const operations = new Set(sim.store.requests().map((r) => r.operationName))
  t.ok(operations.has('PodBridgeOrderLineItems') && operations.has('PodBridgeFulfillmentOrderLineItems'))
})

void t.test('when the order comes from Brazil with a CPF, or without protected customer data, then both map', async (t) => {
  const sim = await startSim(t)
  const client = clientFor(t, sim)
  const brazil = await sim.store.createOrder({
    shippingAddress: { countryCode: 'BR', country: 'Brazil', city: 'São Paulo', provinceCode: 'SP', zip: '01310-100' },
    localizedFields: [{ key: 'TAX_CREDENTIAL_BR', countryCode: 'BR', value: '123.456.789-09' }],
    lines: [{ sku: 'A' }]
  })
  t.match((await client.order(brazil.id))?.localizedFields, [{ key: 'TAX_CREDENTIAL_BR', countryCode: 'BR', purpose: 'TAX', value: '123.456.789-09' }])
  const hidden = await sim.store.createOrder({ shippingAddress: null, email: null, lines: [{ sku: 'A' }] })
  const order = await client.order(hidden.id)
  t.equal(order?.shippingAddress, null)
  t.equal(order?.email, null)
})

void t.test('when the order is cancelled, then the snapshot says so and nothing is left to fulfil', async (t) => {
  const sim = await startSim(t)
  const client = clientFor(t, sim)
  const ref = await sim.store.createOrder({ lines: [{ sku: 'A', quantity: 2 }] })
  await sim.store.cancel(ref.id, { reason: 'FRAUD' })
  const order = await client.order(ref.id)
  t.match(order, { cancelReason: 'FRAUD', financialStatus: 'REFUNDED', closed: true, lines: [{ currentQuantity: 0, remainingQuantity: 0 }], fulfillmentOrders: [{ status: 'CLOSED' }] })
  t.type(order?.cancelledAt, 'string')
})

void t.test('when the order does not exist, then the client answers undefined', async (t) => {
  const sim = await startSim(t)
  const client = clientFor(t, sim)
  t.equal(await client.order('gid://shopify/Order/42'), undefined)
})
