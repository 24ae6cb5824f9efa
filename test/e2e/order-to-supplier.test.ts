// The first lifeline end to end, through every real part: a paid order in the
// store → signed webhook → order.sync over the Admin API → routing by mapping
// → exactly one order at each supplier → the parcel's tracking recorded.
import t from 'tap'
import { eventually } from '../helpers/bridge.ts'
import { startFullBridge } from '../helpers/full-bridge.ts'

t.test('when a paid order with a Printful line, a Printify line and a merchant line is placed, then each supplier gets one order and shipments come back', async (t) => {
  const bridge = await startFullBridge(t)
  const put = await bridge.ops('PUT', '/v1/mappings', {
    mappings: [
      { match: { sku: 'TEE-WHT-S' }, supplier: 'printful', printful: { syncVariantId: '4001' } },
      { match: { sku: 'PFY-MUG-11' }, supplier: 'printify', printify: { productId: '5b05842f3921c9547531758e', variantId: '33719' } },
      { match: { skuPrefix: 'OWN-' }, supplier: 'none' }
    ]
  })
  t.equal(put.status, 200, JSON.stringify(put.json))
  const ref = await bridge.store.store.createOrder({
    lines: [{ sku: 'TEE-WHT-S', quantity: 2 }, { sku: 'PFY-MUG-11' }, { sku: 'OWN-STICKER' }, { sku: 'GIFT', giftCard: true, requiresShipping: false }]
  })
  await eventually(async () => bridge.suppliers.printful.control.orders().length === 1 && bridge.suppliers.printify.control.orders().length === 1 || undefined, 20_000, 'one order at each supplier')
  const pf = bridge.suppliers.printful.control.orders()[0]!
  t.equal(pf.items.reduce((n, i) => n + i.quantity, 0), 2, 'the tee, twice, at Printful')

  const detail = await eventually(async () => {
    const res = await bridge.ops('GET', `/v1/orders/${encodeURIComponent(ref.name)}`)
    const body = res.json as { order: { state: string }, lines: { sku: string, state: string, supplier: string | null }[], supplierOrders: { state: string }[] }
    return body.supplierOrders?.length === 2 && body.supplierOrders.every((s) => s.state === 'submitted') ? body : undefined
  }, 20_000, 'both supplier orders submitted')
  t.equal(detail.order.state, 'submitted')
  const bySku = Object.fromEntries(detail.lines.map((l) => [l.sku, [l.state, l.supplier]]))
  t.same(bySku, { 'TEE-WHT-S': ['routed', 'printful'], 'PFY-MUG-11': ['routed', 'printify'], 'OWN-STICKER': ['skipped', 'none'], GIFT: ['skipped', null] })

  await bridge.suppliers.printful.control.advance(String(pf.id), { to: 'shipped' })
  const shipped = await eventually(async () => {
    const res = await bridge.ops('GET', `/v1/orders/${encodeURIComponent(ref.name)}`)
    const body = res.json as { shipments: { carrier: string, trackingNumber: string | null }[] }
    return body.shipments?.length === 1 ? body : undefined
  }, 20_000, 'the Printful parcel recorded')
  t.ok(shipped.shipments.every((s) => s.trackingNumber), 'a tracked parcel')

  // The second lifeline: each parcel written back to Shopify once, with its tracking.
  const fulfillments = await eventually(async () => {
    const found = bridge.store.store.fulfillments(ref.id)
    return found.length === 1 ? found : undefined
  }, 20_000, 'the fulfillment in Shopify')
  const numbers = shipped.shipments.map((s) => s.trackingNumber).sort()
  t.same(fulfillments.map((f) => f.tracking[0]?.number).sort(), numbers, 'each with its parcel\'s tracking number')
  const py = bridge.suppliers.printify.control.orders()[0]!
  await bridge.suppliers.printify.control.advance(py.id, { to: 'shipped' })
  await eventually(async () => bridge.store.store.fulfillments(ref.id).length === 2 || undefined, 20_000, 'the Printify parcel in Shopify')
  const done = await eventually(async () => {
    const body = (await bridge.ops('GET', `/v1/orders/${encodeURIComponent(ref.name)}`)).json as { order: { state: string } }
    return body.order.state === 'fulfilled' ? body : undefined
  }, 20_000, 'the order fulfilled')
  t.equal(done.order.state, 'fulfilled')
  const sticker = bridge.store.store.fulfillmentOrders(ref.id).flatMap((fo) => fo.lineItems).find((item) => item.lineItemId === ref.lineItemIds[2])
  t.equal(sticker?.remainingQuantity, 1, 'the merchant\'s own line stays open for them')
})
