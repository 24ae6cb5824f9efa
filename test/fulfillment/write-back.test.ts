// shopify.fulfill over the store simulator: parcels become Shopify
// fulfillments once each, on the right lines, with their tracking.
import t from 'tap'
import { parse, validate } from 'graphql'
import { fulfillShipment } from '../../src/orders/fulfillment/write-back.ts'
import { adminSchema } from '../../src/sim/shopify/index.ts'
import { fulfillmentWorld, seedRoutedOrder, seedShipment, timelineKinds } from '../helpers/fulfillment-factories.ts'

t.test('when Printful ships in two packages and Printify in one, then Shopify has three fulfillments with their tracking and lines, the order is fulfilled and the merchant\'s line stays open', async (t) => {
  const world = await fulfillmentWorld(t)
  const { db } = world.database
  const order = await seedRoutedOrder(world, [
    { sku: 'TEE', quantity: 2, supplier: 'printful' },
    { sku: 'MUG', quantity: 1, supplier: 'printful' },
    { sku: 'POSTER', quantity: 1, supplier: 'printify' },
    { sku: 'STICKER', quantity: 1, supplier: 'none' }
  ])
  const printful = order.supplierOrders.printful ?? ''
  const printify = order.supplierOrders.printify ?? ''
  const line = (sku: string): { id: string, lineItemId: string } => order.lines[sku] ?? { id: '', lineItemId: '' }
  const shipments = [
    await seedShipment(db, { supplierOrderId: printful, items: [{ orderLineId: line('TEE').id, quantity: 2 }], carrier: 'USPS', trackingNumber: '9400100000000000000001' }),
    await seedShipment(db, { supplierOrderId: printful, items: [{ orderLineId: line('MUG').id, quantity: 1 }], carrier: 'FedEx', trackingNumber: '7700001' }),
    await seedShipment(db, { supplierOrderId: printify, items: [{ orderLineId: line('POSTER').id, quantity: 1 }], carrier: 'DHL eCommerce', trackingNumber: 'GM123', trackingUrl: 'https://track.example/GM123' })
  ]
  t.equal(await fulfillShipment(world.deps, shipments[0] ?? '', 0), 'synced')
  t.not((await db.selectFrom('orders').select('state').where('id', '=', order.orderId).executeTakeFirstOrThrow()).state, 'fulfilled', 'not fulfilled while parcels are missing')
  t.equal(await fulfillShipment(world.deps, shipments[1] ?? '', 0), 'synced')
  t.equal(await fulfillShipment(world.deps, shipments[2] ?? '', 0), 'synced')

  const fulfillments = world.sim.store.fulfillments(order.shopifyOrderId)
  t.equal(fulfillments.length, 3, 'one fulfillment per parcel')
  t.match(fulfillments, [
    { notifyCustomer: true, tracking: [{ company: 'USPS', number: '9400100000000000000001' }], lineItems: [{ lineItemId: line('TEE').lineItemId, quantity: 2 }] },
    { tracking: [{ company: 'FedEx', number: '7700001' }], lineItems: [{ lineItemId: line('MUG').lineItemId, quantity: 1 }] },
    { tracking: [{ company: 'DHL eCommerce', number: 'GM123', url: 'https://track.example/GM123' }], lineItems: [{ lineItemId: line('POSTER').lineItemId, quantity: 1 }] }
  ])
  const recorded = await db.selectFrom('shipment_fulfillments').select(['shipment_id', 'shopify_fulfillment_id']).execute()
  t.same(recorded.map((r) => r.shopify_fulfillment_id).sort(), fulfillments.map((f) => f.id).sort(), 'every Shopify fulfillment id is recorded')
  const states = await db.selectFrom('shipments').select('shopify_sync_state').execute()
  t.same(states.map((s) => s.shopify_sync_state), ['synced', 'synced', 'synced'])
  const saved = await db.selectFrom('orders').select(['state', 'state_reason']).where('id', '=', order.orderId).executeTakeFirstOrThrow()
  t.equal(saved.state, 'fulfilled')
  const [fo] = world.sim.store.fulfillmentOrders(order.shopifyOrderId)
  t.match(fo?.lineItems.find((i) => i.lineItemId === line('STICKER').lineItemId), { remainingQuantity: 1 }, 'the merchant\'s own line is still open in Shopify')
  t.equal(fo?.status, 'IN_PROGRESS')
  const kinds = await timelineKinds(db, order.orderId)
  t.equal(kinds.filter((k) => k === 'fulfillment.created').length, 3)
  t.equal(kinds.at(-1), 'order.state')

  t.equal(await fulfillShipment(world.deps, shipments[0] ?? '', 0), 'unchanged', 'a second run writes nothing')
  t.equal(world.sim.store.fulfillments(order.shopifyOrderId).length, 3)

  // Every request the write-back sent is checked against the real 2026-10 Admin schema.
  const sent = world.sim.store.requests().filter((r) => r.kind === 'graphql' && r.query)
  t.ok(sent.some((r) => r.query?.includes('fulfillmentCreate')), 'fulfillmentCreate was among them')
  for (const request of sent) t.same(validate(adminSchema(), parse(request.query ?? '')).map((e) => e.message), [], request.operationName ?? 'request')
})

t.test('when a parcel holds lines on fulfillment orders at two locations, then one fulfillment per location carries the same tracking', async (t) => {
  const world = await fulfillmentWorld(t)
  const { db } = world.database
  const order = await seedRoutedOrder(world, [
    { sku: 'EAST', quantity: 1, supplier: 'printful', location: 'East warehouse' },
    { sku: 'WEST', quantity: 2, supplier: 'printful', location: 'West warehouse' }
  ])
  const shipment = await seedShipment(db, { supplierOrderId: order.supplierOrders.printful ?? '', items: [{ orderLineId: order.lines.EAST?.id ?? '', quantity: 1 }, { orderLineId: order.lines.WEST?.id ?? '', quantity: 2 }], carrier: 'UPS', trackingNumber: '1Z999' })
  t.equal(await fulfillShipment(world.deps, shipment, 0), 'synced')
  const fulfillments = world.sim.store.fulfillments(order.shopifyOrderId)
  t.equal(fulfillments.length, 2)
  t.ok(fulfillments.every((f) => f.tracking[0]?.number === '1Z999'))
  const recorded = await db.selectFrom('shipment_fulfillments').select(['fulfillment_order_id', 'shopify_fulfillment_id']).where('shipment_id', '=', shipment).execute()
  t.equal(recorded.length, 2)
  t.same(new Set(recorded.map((r) => r.fulfillment_order_id)), new Set(world.sim.store.fulfillmentOrders(order.shopifyOrderId).map((fo) => fo.id)))
  t.equal((await db.selectFrom('orders').select('state').where('id', '=', order.orderId).executeTakeFirstOrThrow()).state, 'fulfilled')
})

t.test('when a parcel holds lines on two fulfillment orders at one location, then one fulfillment covers both and both are recorded', async (t) => {
  const world = await fulfillmentWorld(t)
  const { db } = world.database
  const order = await seedRoutedOrder(world, [{ sku: 'TEE', quantity: 1, supplier: 'printful' }])
  // An upsell added by an order edit sits on a new fulfillment order at the same location.
  const added = await world.sim.store.addLine(order.shopifyOrderId, { sku: 'CAP' })
  const cap = await db.insertInto('order_lines').values({ order_id: order.orderId, shopify_line_item_id: added, sku: 'CAP', quantity: 1, supplier: 'printful', state: 'routed' }).returning('id').executeTakeFirstOrThrow()
  const shipment = await seedShipment(db, { supplierOrderId: order.supplierOrders.printful ?? '', items: [{ orderLineId: order.lines.TEE?.id ?? '', quantity: 1 }, { orderLineId: cap.id, quantity: 1 }] })
  t.equal(world.sim.store.fulfillmentOrders(order.shopifyOrderId).length, 2)
  t.equal(await fulfillShipment(world.deps, shipment, 0), 'synced')
  const fulfillments = world.sim.store.fulfillments(order.shopifyOrderId)
  t.equal(fulfillments.length, 1, 'one parcel, one notification')
  const recorded = await db.selectFrom('shipment_fulfillments').select(['fulfillment_order_id', 'shopify_fulfillment_id']).where('shipment_id', '=', shipment).execute()
  t.equal(recorded.length, 2)
  t.ok(recorded.every((r) => r.shopify_fulfillment_id === fulfillments[0]?.id))
})

t.test('when a parcel has no tracking number, then the fulfillment is written without one, and tracking that arrives later is added to it', async (t) => {
  const world = await fulfillmentWorld(t, { env: { NOTIFY_CUSTOMER: 'false' } })
  const { db } = world.database
  const order = await seedRoutedOrder(world, [{ sku: 'TEE', quantity: 1, supplier: 'printify' }])
  const shipment = await seedShipment(db, { supplierOrderId: order.supplierOrders.printify ?? '', items: [{ orderLineId: order.lines.TEE?.id ?? '', quantity: 1 }], carrier: null, trackingNumber: null })
  t.equal(await fulfillShipment(world.deps, shipment, 0), 'synced')
  t.match(world.sim.store.fulfillments(order.shopifyOrderId), [{ tracking: [], notifyCustomer: false }])
  t.equal(await fulfillShipment(world.deps, shipment, 0), 'unchanged', 'a rerun adopts nothing and creates nothing')
  t.equal(world.sim.store.fulfillments(order.shopifyOrderId).length, 1)

  await db.updateTable('shipments').set({ carrier: 'USPS', tracking_number: '9400111' }).where('id', '=', shipment).execute()
  t.equal(await fulfillShipment(world.deps, shipment, 0), 'tracking_updated')
  const fulfillments = world.sim.store.fulfillments(order.shopifyOrderId)
  t.equal(fulfillments.length, 1)
  t.match(fulfillments[0]?.tracking, [{ company: 'USPS', number: '9400111' }])
  t.ok((await timelineKinds(db, order.orderId)).includes('fulfillment.tracking_updated'))
})

t.test('when the supplier corrects a tracking number after the write-back, then fulfillmentTrackingInfoUpdate changes it on the same fulfillment', async (t) => {
  const world = await fulfillmentWorld(t)
  const { db } = world.database
  const order = await seedRoutedOrder(world, [{ sku: 'TEE', quantity: 1, supplier: 'printful' }])
  const shipment = await seedShipment(db, { supplierOrderId: order.supplierOrders.printful ?? '', items: [{ orderLineId: order.lines.TEE?.id ?? '', quantity: 1 }], carrier: 'UPS', trackingNumber: '1ZOLD' })
  t.equal(await fulfillShipment(world.deps, shipment, 0), 'synced')
  await db.updateTable('shipments').set({ tracking_number: '1ZNEW', tracking_url: 'https://ups.example/1ZNEW' }).where('id', '=', shipment).execute()
  t.equal(await fulfillShipment(world.deps, shipment, 0), 'tracking_updated')
  t.match(world.sim.store.fulfillments(order.shopifyOrderId), [{ tracking: [{ company: 'UPS', number: '1ZNEW', url: 'https://ups.example/1ZNEW' }] }])
  t.ok(world.sim.store.requests().some((r) => r.query?.includes('fulfillmentTrackingInfoUpdate')))
})
