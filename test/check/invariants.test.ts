// The invariant checker: silent on a clean run of the whole bridge, and
// naming each kind of broken promise when one is planted.
import t, { type Test } from 'tap'
import { checkInvariants, type Finding } from '../../src/check/invariants.ts'
import { PrintifySupplier } from '../../src/suppliers/printify/supplier.ts'
import { printifySimDefaults } from '../../src/sim/printify/index.ts'
import { draft, printifyItem } from '../fixtures/suppliers/drafts.ts'
import { eventually } from '../helpers/bridge.ts'
import { startFullBridge, type FullBridge } from '../helpers/full-bridge.ts'
import { checkWitnesses } from '../helpers/witness.ts'

async function everything (bridge: FullBridge): Promise<Finding[]> {
  return [...await checkInvariants(bridge.database.db), ...await checkWitnesses(bridge.database.db, bridge)]
}

/** A paid order with a Printful and a Printify line, shipped by both and written to the store. */
async function fulfilledOrder (t: Test): Promise<{ bridge: FullBridge, orderId: string }> {
  const bridge = await startFullBridge(t)
  const put = await bridge.ops('PUT', '/v1/mappings', {
    mappings: [
      { match: { sku: 'TEE-WHT-S' }, supplier: 'printful', printful: { syncVariantId: '4001' } },
      { match: { sku: 'PFY-MUG-11' }, supplier: 'printify', printify: { productId: '5b05842f3921c9547531758e', variantId: '33719' } },
      { match: { skuPrefix: 'OWN-' }, supplier: 'none' }
    ]
  })
  t.equal(put.status, 200)
  const ref = await bridge.store.store.createOrder({ lines: [{ sku: 'TEE-WHT-S', quantity: 2 }, { sku: 'PFY-MUG-11' }] })
  // Shipped only once the bridge has recorded both submissions: a supplier's webhook about an order
  // it has not yet heard accepted is kept as ignored, and only the next poll would catch up.
  await eventually(async () => {
    const rows = await bridge.database.db.selectFrom('supplier_orders').select('state').where('state', '=', 'submitted').execute()
    return rows.length === 2 || undefined
  }, 20_000, 'both supplier orders submitted')
  await bridge.suppliers.printful.control.advance(String(bridge.suppliers.printful.control.orders()[0]!.id), { to: 'shipped' })
  await bridge.suppliers.printify.control.advance(bridge.suppliers.printify.control.orders()[0]!.id, { to: 'shipped' })
  const order = await eventually(async () => {
    const row = await bridge.database.db.selectFrom('orders').select(['id', 'state']).where('shopify_order_id', '=', ref.id).executeTakeFirst()
    return row?.state === 'fulfilled' ? row : undefined
  }, 30_000, 'the order fulfilled')
  await bridge.store.store.idle()
  await bridge.suppliers.printful.control.drainWebhooks()
  await bridge.suppliers.printify.control.drainWebhooks()
  return { bridge, orderId: order.id }
}

const kinds = (findings: readonly Finding[]): string[] => [...new Set(findings.map((f) => f.kind))].sort()

t.test('when an order has gone through the whole bridge, then the checker and its witnesses report nothing', async (t) => {
  const { bridge } = await fulfilledOrder(t)
  t.same(await everything(bridge), [])
})

t.test('when each promise is broken by hand, then the checker names each one', async (t) => {
  const { bridge, orderId } = await fulfilledOrder(t)
  const db = bridge.database.db

  await t.test('a second order at Printify for one external id', async (t) => {
    const [so] = await db.selectFrom('supplier_orders').select('external_id').where('supplier', '=', 'printify').execute()
    const printify = new PrintifySupplier({ apiUrl: bridge.suppliers.printify.url, token: printifySimDefaults.token, shopId: String(printifySimDefaults.shopId) })
    await printify.submit(draft({ externalId: so!.external_id, items: [printifyItem('line-1', '5b05842f3921c9547531758e', '33719')] }), { confirm: false })
    const found = (await everything(bridge)).filter((f) => f.kind === 'duplicate_supplier_order')
    t.match(found, [{ detail: `printify holds 2 orders with external id ${so!.external_id}` }])
  })

  await t.test('an acknowledged delivery with no event row', async (t) => {
    const event = await db.selectFrom('webhook_events').select(['id', 'topic']).where('source', '=', 'shopify').where('topic', '=', 'orders/paid').executeTakeFirstOrThrow()
    await db.deleteFrom('webhook_events').where('id', '=', event.id).execute()
    t.match((await everything(bridge)).filter((f) => f.kind === 'webhook_not_stored'), [{ detail: /^shopify orders\/paid delivery .* was answered 200 but no event row holds it$/ }])
    const other = await db.selectFrom('webhook_events').select('id').where('source', '=', 'shopify').where('topic', '=', 'orders/create').executeTakeFirstOrThrow()
    await db.updateTable('webhook_events').set({ order_id: null }).where('id', '=', other.id).execute()
    t.match((await checkInvariants(db)).filter((f) => f.kind === 'event_without_order'), [{ detail: new RegExp(`^shopify orders/create delivery .*\\(event ${other.id}\\) has no order$`) }])
  })

  await t.test('a parcel written twice to one fulfillment order', async (t) => {
    const row = await db.selectFrom('shipment_fulfillments').selectAll().executeTakeFirstOrThrow()
    await db.insertInto('shipment_fulfillments').values({ shipment_id: row.shipment_id, fulfillment_order_id: row.fulfillment_order_id, shopify_fulfillment_id: 'gid://shopify/Fulfillment/999999' }).execute()
    t.match((await checkInvariants(db)).filter((f) => f.kind === 'double_fulfillment'), [{ orderId, detail: new RegExp(`written 2 times to fulfillment order ${row.fulfillment_order_id}`) }])

    // In the store itself: the merchant's own parcel, fulfilled twice under one tracking number.
    const ref = await bridge.store.store.createOrder({ lines: [{ sku: 'OWN-STICKER', quantity: 2 }] })
    const fo = bridge.store.store.fulfillmentOrders(ref.id)[0]!
    const item = fo.lineItems[0]!
    await bridge.store.store.fulfill(fo.id, [{ id: item.id, quantity: 1 }], { company: 'USPS', number: '9400111' })
    await bridge.store.store.fulfill(fo.id, [{ id: item.id, quantity: 1 }], { company: 'USPS', number: '9400111' })
    await eventually(async () => await db.selectFrom('orders').select('id').where('shopify_order_id', '=', ref.id).executeTakeFirst(), 15_000, 'the order known to the bridge')
    t.match((await everything(bridge)).filter((f) => f.kind === 'double_fulfillment_in_store'), [{ detail: new RegExp(`parcel 9400111 is on 2 fulfillments of fulfillment order ${fo.id}`) }])
  })

  await t.test('an older observation over a newer one', async (t) => {
    const so = await db.selectFrom('supplier_orders').select(['id', 'external_id']).where('supplier', '=', 'printful').executeTakeFirstOrThrow()
    await db.updateTable('supplier_orders').set({ supplier_status: 'in_production', supplier_updated_at: new Date('2020-01-01T00:00:00Z') }).where('id', '=', so.id).execute()
    t.match((await checkInvariants(db)).filter((f) => f.kind === 'stale_overwrite'), [{ orderId, detail: new RegExp(`^supplier order ${so.external_id} keeps in_production observed at 2020-01-01`) }])
  })

  await t.test('a routed line on no supplier order, and an order stuck with no reason', async (t) => {
    const line = await db.selectFrom('order_lines').select(['id', 'sku']).where('order_id', '=', orderId).where('supplier', '=', 'printify').executeTakeFirstOrThrow()
    await db.deleteFrom('supplier_order_lines').where('order_line_id', '=', line.id).execute()
    await db.updateTable('orders').set({ state: 'needs_attention', state_reason: null }).where('id', '=', orderId).execute()
    const found = await checkInvariants(db)
    t.match(found.filter((f) => f.kind === 'line_unplaced'), [{ orderId, detail: /^line PFY-MUG-11 of order .* is routed but on no live supplier order/ }])
    t.match(found.filter((f) => f.kind === 'state_without_reason'), [{ orderId, detail: /is needs_attention with no reason$/ }])
  })

  t.same(kinds(await everything(bridge)), ['double_fulfillment', 'double_fulfillment_in_store', 'duplicate_supplier_order', 'event_without_order', 'line_unplaced', 'stale_overwrite', 'state_without_reason', 'webhook_not_stored'])
})
