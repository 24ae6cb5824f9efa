// Parcels the write-back used to strand, through every real part (store
// simulator, supplier simulators, the service): Printify shipments that name
// Printify's own SKUs, and parcels that carry lines again (a Printful
// reshipment, a later Printify parcel). Each ends with the tracking in
// Shopify and the order fulfilled.
import t, { type Test as Tap } from 'tap'
import { parse, validate } from 'graphql'
import { adminSchema } from '../../src/sim/shopify/index.ts'
import { eventually, orderStory } from '../helpers/bridge.ts'
import { startFullBridge, type FullBridge } from '../helpers/full-bridge.ts'

const tee = '5b05842f3921c9547531758d'
const mug = '5b05842f3921c9547531758e'

interface Detail { order: { id: string, state: string }, timeline: { kind: string, detail: string | null }[] }

async function detail (bridge: FullBridge, name: string): Promise<Detail> {
  return (await bridge.ops('GET', `/v1/orders/${encodeURIComponent(name)}`)).json as Detail
}

/** The order fulfilled, once the timeline has an entry of `kind` (the Shopify call is made before our commit). */
async function fulfilled (bridge: FullBridge, name: string, what: string, kind = 'order.state'): Promise<Detail> {
  return eventually(async () => {
    const body = await detail(bridge, name)
    return body.order?.state === 'fulfilled' && body.timeline.some((e) => e.kind === kind) ? body : undefined
  }, 20_000, what, async () => orderStory(bridge.database.db, (await detail(bridge, name)).order.id))
}

/** Store SKUs that are not Printify's: the products were made in Printify and mapped by product + variant. */
async function printifyOrder (t: Tap) {
  const bridge = await startFullBridge(t)
  const put = await bridge.ops('PUT', '/v1/mappings', {
    mappings: [
      { match: { sku: 'SHOP-TEE-S' }, supplier: 'printify', printify: { productId: tee, variantId: '12100' } },
      { match: { sku: 'SHOP-MUG' }, supplier: 'printify', printify: { productId: mug, variantId: '33719' } }
    ]
  })
  t.equal(put.status, 200, JSON.stringify(put.json))
  const ref = await bridge.store.store.createOrder({ lines: [{ sku: 'SHOP-TEE-S', quantity: 2 }, { sku: 'SHOP-MUG' }] })
  const py = await eventually(async () => bridge.suppliers.printify.control.orders()[0], 20_000, 'the Printify order')
  t.same(py.line_items.map((l) => l.metadata.sku), ['PFY-TEE-WHT-S', 'PFY-MUG-11'], 'Printify names the lines by its own SKUs, not the store\'s')
  await eventually(async () => (await detail(bridge, ref.name)).order?.state === 'submitted' || undefined, 20_000, 'the order submitted')
  return { bridge, ref, py }
}

t.test('when a Printify order whose SKUs are not the store\'s ships in two parcels, then each parcel is written to Shopify with its tracking and the order is fulfilled', async (t) => {
  const { bridge, ref, py } = await printifyOrder(t)
  const printify = bridge.suppliers.printify.control
  await printify.advance(py.id, { to: 'in_production' })
  // The order reads after its webhooks teach the bridge Printify's SKU per line.
  await eventually(async () => {
    const rows = await bridge.database.db.selectFrom('supplier_order_lines').select('supplier_sku').execute()
    return rows.length === 2 && rows.every((r) => r.supplier_sku !== null) || undefined
  }, 20_000, 'Printify\'s SKUs learned from its order read')
  await printify.advance(py.id, { to: 'shipped', packages: 2 })
  const done = await fulfilled(bridge, ref.name, 'the order fulfilled')
  t.notOk(done.timeline.some((e) => e.kind === 'fulfillment.failed'), 'no write-back failed')
  const fulfillments = bridge.store.store.fulfillments(ref.id)
  t.equal(fulfillments.length, 2, 'one fulfillment per parcel')
  // The simulator packs the tee in the first parcel and the mug in the second; the two are written in either order.
  const [teeParcel, mugParcel] = printify.order(py.id)?.shipments.map((s) => s.number) ?? []
  const written = fulfillments.map((f) => [f.tracking[0]?.number, ...f.lineItems.flatMap((i) => [i.lineItemId, i.quantity])]).sort((a, b) => String(a[0]).localeCompare(String(b[0])))
  t.same(written, [[teeParcel, ref.lineItemIds[0], 2], [mugParcel, ref.lineItemIds[1], 1]], 'each parcel\'s number on its own line')
  await bridge.store.store.idle()
})

t.test('when Printify ships a later parcel over lines already shipped, then its number joins the Shopify fulfillment and the order stays fulfilled', async (t) => {
  const { bridge, ref, py } = await printifyOrder(t)
  const printify = bridge.suppliers.printify.control
  await printify.advance(py.id, { to: 'shipped' })
  await fulfilled(bridge, ref.name, 'the order fulfilled by the first parcel')
  const [first] = bridge.store.store.fulfillments(ref.id)
  await printify.advance(py.id, { to: 'reshipped' })
  const numbers = printify.order(py.id)?.shipments.map((s) => s.number) ?? []
  t.equal(numbers.length, 2)
  const updated = await eventually(async () => {
    const found = bridge.store.store.fulfillments(ref.id)
    return found[0]?.tracking.length === 2 ? found : undefined
  }, 20_000, 'the second number on the fulfillment', async () => orderStory(bridge.database.db, (await detail(bridge, ref.name)).order.id))
  t.equal(updated.length, 1, 'no second fulfillment')
  t.equal(updated[0]?.id, first?.id)
  t.same(updated[0]?.tracking.map((x) => x.number), numbers, 'the first number kept, the new one added')
  const after = await fulfilled(bridge, ref.name, 'the order still fulfilled', 'fulfillment.tracking_added')
  t.ok(after.timeline.some((e) => e.kind === 'fulfillment.tracking_added' && e.detail?.includes(numbers[1] ?? '-')), 'the timeline says where the new number went')
  await bridge.store.store.idle()
})

t.test('when Printful reships a parcel by another carrier, then the original Shopify fulfillment carries both numbers with their own links and the order stays fulfilled', async (t) => {
  const bridge = await startFullBridge(t)
  const put = await bridge.ops('PUT', '/v1/mappings', { mappings: [{ match: { sku: 'TEE-WHT-S' }, supplier: 'printful', printful: { syncVariantId: '4001' } }] })
  t.equal(put.status, 200, JSON.stringify(put.json))
  const ref = await bridge.store.store.createOrder({ lines: [{ sku: 'TEE-WHT-S', quantity: 2 }] })
  const pf = await eventually(async () => bridge.suppliers.printful.control.orders()[0], 20_000, 'the Printful order')
  await eventually(async () => (await detail(bridge, ref.name)).order?.state === 'submitted' || undefined, 20_000, 'the order submitted')
  const printful = bridge.suppliers.printful.control
  await printful.advance(String(pf.id), { to: 'shipped' })
  await fulfilled(bridge, ref.name, 'the order fulfilled by the first parcel')
  const [first] = bridge.store.store.fulfillments(ref.id)
  t.equal(first?.tracking.length, 1)

  await printful.advance(String(pf.id), { to: 'reshipped', carrier: 'FEDEX' })
  const [original, reship] = printful.order(pf.id)?.shipments ?? []
  t.equal(reship?.reshipment, true, 'Printful marks the new parcel as a reshipment')
  const updated = await eventually(async () => {
    const found = bridge.store.store.fulfillments(ref.id)
    return found[0]?.tracking.length === 2 ? found : undefined
  }, 20_000, 'the reshipment\'s number on the fulfillment', async () => orderStory(bridge.database.db, (await detail(bridge, ref.name)).order.id))
  t.equal(updated.length, 1, 'no second fulfillment')
  t.equal(updated[0]?.id, first?.id)
  t.match(updated[0]?.tracking, [
    { number: String(original?.tracking_number), url: original?.tracking_url },
    { number: String(reship?.tracking_number), url: reship?.tracking_url }
  ], 'both numbers, each with its own carrier\'s link')
  t.match(updated[0]?.lineItems, [{ lineItemId: ref.lineItemIds[0], quantity: 2 }])
  const after = await fulfilled(bridge, ref.name, 'the order still fulfilled', 'fulfillment.tracking_added')
  t.ok(after.timeline.some((e) => e.kind === 'shipment.recorded' && e.detail?.startsWith('reshipped')), 'the reshipment is recorded')
  t.ok(after.timeline.some((e) => e.kind === 'fulfillment.tracking_added' && e.detail?.includes(String(reship?.tracking_number))), 'the timeline says the number was added')
  t.notOk(after.timeline.some((e) => e.kind === 'order.state' && e.detail?.includes('needs_attention')), 'never needs attention')
  const updates = bridge.store.store.requests().filter((r) => r.query?.includes('fulfillmentTrackingInfoUpdate'))
  t.equal(updates.length, 1, 'one tracking update')
  for (const request of updates) t.same(validate(adminSchema(), parse(request.query ?? '')).map((e) => e.message), [], 'valid on the 2026-10 schema')
  await bridge.store.store.idle()
})
