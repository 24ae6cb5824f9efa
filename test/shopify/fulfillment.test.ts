import t from 'tap'
import { isShopifyUserErrors } from '../../src/shopify/index.ts'
import { clientFor, startSim } from '../fixtures/shopify/sim-setup.ts'

void t.test('when a whole fulfillment order is fulfilled with tracking, then Shopify has the fulfillment and the order is fulfilled', async (t) => {
  const sim = await startSim(t)
  const client = clientFor(t, sim)
  const ref = await sim.store.createOrder({ lines: [{ sku: 'A', quantity: 2 }] })
  const [fo] = await client.fulfillmentOrders(ref.id)
  const fulfillment = await client.createFulfillment({
    lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo?.id ?? '' }],
    tracking: { company: 'USPS', number: '9400100000000000000000' },
    notifyCustomer: true
  })
  t.match(fulfillment, { status: 'SUCCESS', lineItems: [{ lineItemId: ref.lineItemIds[0], quantity: 2 }] })
  t.match(fulfillment.tracking, [{ company: 'USPS', number: '9400100000000000000000', url: /usps\.com.*9400100000000000000000/ }], 'a known carrier gets a generated URL')
  t.match(sim.store.fulfillments(ref.id), [{ id: fulfillment.id, notifyCustomer: true }])
  const order = await client.order(ref.id)
  t.match(order, { fulfillmentStatus: 'FULFILLED', fulfillmentOrders: [{ status: 'CLOSED', lineItems: [{ remainingQuantity: 0 }] }], fulfillments: [{ id: fulfillment.id }] })
  await sim.store.idle()
  t.same(sim.store.webhooks().map((w) => w.topic).slice(-3), ['fulfillments/create', 'orders/fulfilled', 'orders/updated'])
})

void t.test('when part of a fulfillment order is fulfilled, then the rest remains and the fulfillment order is in progress', async (t) => {
  const sim = await startSim(t)
  const client = clientFor(t, sim)
  const ref = await sim.store.createOrder({ lines: [{ sku: 'A', quantity: 3 }, { sku: 'B' }] })
  const [fo] = await client.fulfillmentOrders(ref.id)
  const first = fo?.lineItems[0]
  await client.createFulfillment({
    lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo?.id ?? '', lineItems: [{ id: first?.id ?? '', quantity: 2 }] }],
    tracking: { company: 'Other', number: 'X1', url: 'https://track.example/X1' },
    notifyCustomer: false
  })
  const [after] = await client.fulfillmentOrders(ref.id)
  t.match(after, { status: 'IN_PROGRESS', lineItems: [{ remainingQuantity: 1 }, { remainingQuantity: 1 }] })
  t.equal((await client.order(ref.id))?.fulfillmentStatus, 'PARTIALLY_FULFILLED')
})

void t.test('when more is fulfilled than remains, then the client throws the userErrors as ShopifyUserErrors', async (t) => {
  const sim = await startSim(t)
  const client = clientFor(t, sim)
  const ref = await sim.store.createOrder({ lines: [{ sku: 'A', quantity: 1 }] })
  const [fo] = await client.fulfillmentOrders(ref.id)
  const err = await client.createFulfillment({
    lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo?.id ?? '', lineItems: [{ id: fo?.lineItems[0]?.id ?? '', quantity: 2 }] }],
    notifyCustomer: false
  }).catch((e: unknown) => e)
  t.ok(isShopifyUserErrors(err))
  if (!isShopifyUserErrors(err)) return
  t.equal(err.code, 'upstream_rejected')
  t.notOk(err.retryable)
  t.match(err.userErrors, [{ message: 'Invalid fulfillment order line item quantity requested.' }])
  t.same(sim.store.fulfillments(ref.id), [])
})

void t.test('when the fulfillment order was closed by a move after a partial fulfilment, then fulfilling it is refused and the moved one works', async (t) => {
  const sim = await startSim(t)
  const client = clientFor(t, sim)
  const ref = await sim.store.createOrder({ lines: [{ sku: 'A', quantity: 2 }] })
  const [fo] = await client.fulfillmentOrders(ref.id)
  await client.createFulfillment({ lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo?.id ?? '', lineItems: [{ id: fo?.lineItems[0]?.id ?? '', quantity: 1 }] }], notifyCustomer: false })
  const moved = await sim.store.moveFulfillmentOrder(fo?.id ?? '', 'Warehouse 2')
  t.not(moved, fo?.id)
  const err = await client.createFulfillment({ lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo?.id ?? '' }], notifyCustomer: false }).catch((e: unknown) => e)
  t.ok(isShopifyUserErrors(err))
  t.match((err as Error).message, /unfulfillable status= closed/)
  const done = await client.createFulfillment({ lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: moved }], notifyCustomer: false })
  t.match(done.lineItems, [{ quantity: 1 }])
  t.ok(sim.store.webhooks().some((w) => w.topic === 'fulfillment_orders/moved'))
})

void t.test('when an untouched fulfillment order is moved, then it keeps its id at the new location', async (t) => {
  const sim = await startSim(t)
  const client = clientFor(t, sim)
  const ref = await sim.store.createOrder({ lines: [{ sku: 'A' }] })
  const moved = await sim.store.moveFulfillmentOrder(ref.fulfillmentOrderIds[0] ?? '', 'Warehouse 2')
  t.equal(moved, ref.fulfillmentOrderIds[0])
  t.match(await client.fulfillmentOrders(ref.id), [{ id: moved, status: 'OPEN', location: { name: 'Warehouse 2' } }])
})

void t.test('when a fulfillment order is on hold or owned by a fulfillment service, then fulfilling it is refused', async (t) => {
  const sim = await startSim(t)
  const client = clientFor(t, sim)
  sim.store.addLocation({ name: 'Printify', fulfillmentServiceHandle: 'printify' })
  const ref = await sim.store.createOrder({ lines: [{ sku: 'A' }, { sku: 'B', location: 'Printify' }] })
  const [ours, theirs] = ref.fulfillmentOrderIds
  await sim.store.holdFulfillmentOrder(ours ?? '')
  const held = await client.createFulfillment({ lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: ours ?? '' }], notifyCustomer: false }).catch((e: unknown) => e)
  t.match(held, { name: 'ShopifyUserErrors', message: /on hold/ })
  const service = await client.createFulfillment({ lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: theirs ?? '' }], notifyCustomer: false }).catch((e: unknown) => e)
  t.match(service, { name: 'ShopifyUserErrors', message: /fulfillment service/ })
  const mixed = await client.createFulfillment({ lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: ours ?? '' }, { fulfillmentOrderId: theirs ?? '' }], notifyCustomer: false }).catch((e: unknown) => e)
  t.match(mixed, { name: 'ShopifyUserErrors', message: /same order/ })
  const missing = await client.createFulfillment({ lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: '1' }], notifyCustomer: false }).catch((e: unknown) => e)
  t.match(missing, { name: 'ShopifyUserErrors', message: /does not exist/ })
})

void t.test('when tracking changes, then updateTracking replaces it and keeps several packages', async (t) => {
  const sim = await startSim(t)
  const client = clientFor(t, sim)
  const ref = await sim.store.createOrder({ lines: [{ sku: 'A', quantity: 2 }] })
  const fulfillment = await client.createFulfillment({ lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: ref.fulfillmentOrderIds[0] ?? '' }], notifyCustomer: false })
  t.same(fulfillment.tracking, [])
  const updated = await client.updateTracking({ fulfillmentId: fulfillment.id, tracking: { company: 'DHL Express', numbers: ['111', '222'] }, notifyCustomer: true })
  t.same(updated.tracking.map((x) => x.number), ['111', '222'])
  t.match(updated.tracking[1]?.url, /dhl\.com.*222/)
  const unknown = await client.updateTracking({ fulfillmentId: 'gid://shopify/Fulfillment/1', tracking: { number: '1' }, notifyCustomer: false }).catch((e: unknown) => e)
  t.match(unknown, { name: 'ShopifyUserErrors', mutation: 'fulfillmentTrackingInfoUpdate' })
})

void t.test('when reconciling, then orders updated since the watermark come oldest first, page by page', async (t) => {
  let now = Date.parse('2026-11-01T10:00:00Z')
  const sim = await startSim(t, { now: () => now })
  const client = clientFor(t, sim, { pageSize: 2 })
  const refs: Array<{ id: string }> = []
  for (let i = 0; i < 5; i++) {
    refs.push(await sim.store.createOrder({ lines: [{ sku: 'A' }] }))
    now += 60_000
  }
  await sim.store.refund(refs[1]?.id ?? '', { lines: [] })
  const seen: string[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const page: Awaited<ReturnType<typeof client.ordersUpdatedSince>> = await client.ordersUpdatedSince('2026-11-01T10:02:00Z', cursor)
    seen.push(...page.items.map((o) => o.id))
    cursor = page.nextCursor
    pages += 1
  } while (cursor)
  t.same(seen, [refs[2]?.id, refs[3]?.id, refs[4]?.id, refs[1]?.id], 'the refunded order moved to the end')
  t.equal(pages, 2)
})

void t.test('when a fulfillment order is held, then reconciliation finds it by its own updatedAt though the order did not move', async (t) => {
  let now = Date.parse('2026-11-01T10:00:00Z')
  const sim = await startSim(t, { now: () => now })
  const client = clientFor(t, sim)
  const ref = await sim.store.createOrder({ lines: [{ sku: 'A' }] })
  const other = await sim.store.createOrder({ lines: [{ sku: 'B' }] })
  now += 3_600_000
  await sim.store.holdFulfillmentOrder(ref.fulfillmentOrderIds[0] ?? '')
  t.same((await client.ordersUpdatedSince('2026-11-01T10:30:00Z')).items, [])
  const page = await client.fulfillmentOrdersUpdatedSince('2026-11-01T10:30:00Z')
  t.match(page, { items: [{ id: ref.fulfillmentOrderIds[0], orderId: ref.id, status: 'ON_HOLD' }], nextCursor: null })
  await sim.store.cancel(other.id)
  const closed = await client.fulfillmentOrdersUpdatedSince('2026-11-01T10:30:00Z')
  t.same(closed.items.map((fo) => fo.status), ['ON_HOLD', 'CLOSED'], 'closed ones too, oldest change first')
})

void t.test('when webhook subscriptions are listed and created, then a duplicate is refused with userErrors', async (t) => {
  const sim = await startSim(t)
  const client = clientFor(t, sim)
  t.same(await client.webhookSubscriptions(), [])
  const created = await client.createWebhookSubscription('ORDERS_PAID', 'https://bridge.example/webhooks/shopify')
  t.match(created, { topic: 'ORDERS_PAID', uri: 'https://bridge.example/webhooks/shopify', id: /^gid:\/\/shopify\/WebhookSubscription\// })
  t.same(await client.webhookSubscriptions(), [created])
  const again = await client.createWebhookSubscription('ORDERS_PAID', 'https://bridge.example/webhooks/shopify').catch((e: unknown) => e)
  t.match(again, { name: 'ShopifyUserErrors', message: /already been taken/ })
})

void t.test('when the store\'s variants are listed, then every variant comes with its product, page by page', async (t) => {
  const sim = await startSim(t)
  const client = clientFor(t, sim, { pageSize: 2 })
  sim.store.addProductVariant({ sku: 'V-1', productTitle: 'Hoodie', vendor: 'Printful' })
  sim.store.addProductVariant({ sku: 'V-2', productTitle: 'Hoodie', vendor: 'Printful' })
  await sim.store.createOrder({ lines: [{ sku: 'V-3', title: 'Mug' }] })
  const first = await client.productVariants()
  t.equal(first.items.length, 2)
  const second = await client.productVariants(first.nextCursor)
  t.same([...first.items, ...second.items].map((v) => v.sku), ['V-1', 'V-2', 'V-3'])
  t.equal(second.nextCursor, null)
  t.match(first.items[0], { product: { title: 'Hoodie', vendor: 'Printful' } })
})
