// Gelato end to end through every real part: the store's webhook, routing,
// the submission to the Gelato simulator, its unsigned webhooks with the fixed
// header, and the fulfillment written back to Shopify with tracking. Gelato
// may split one order into connected orders (each parcel must reach Shopify),
// and a create whose answer is lost must not make a second Gelato order.
import { sql } from 'kysely'
import t, { type Test } from 'tap'
import { eventually } from '../helpers/bridge.ts'
import { startFullBridge, type FullBridge } from '../helpers/full-bridge.ts'

const tee = 'apparel_product_gca_t-shirt_gsc_crewneck_gcu_unisex_gqa_classic_gsi_s_gco_white_gpr_4-4'
const poster = 'flat_product_pf_a3_pt_200-gsm-poster-paper_cl_4-0_ver'
const art = 'https://files.example.com/art.png'
const mappings = [
  { match: { sku: 'GLT-TEE-S' }, supplier: 'gelato', gelato: { productUid: tee, files: [{ type: 'default', url: art }] } },
  { match: { sku: 'GLT-POSTER' }, supplier: 'gelato', gelato: { productUid: poster, files: [{ type: 'default', url: art }] } }
]

async function gelatoBridge (t: Test): Promise<FullBridge> {
  const bridge = await startFullBridge(t)
  bridge.suppliers.gelato.control.setWebhookUrl(`${bridge.service.url}/webhooks/gelato`)
  const put = await bridge.ops('PUT', '/v1/mappings', { mappings })
  t.equal(put.status, 200, JSON.stringify(put.json))
  return bridge
}

async function supplierOrder (bridge: FullBridge) {
  return bridge.database.db.selectFrom('supplier_orders').select(['id', 'state', 'reason', 'supplier_order_id', 'external_id', 'supplier_status']).where('supplier', '=', 'gelato').executeTakeFirst()
}

async function submitted (bridge: FullBridge): Promise<NonNullable<Awaited<ReturnType<typeof supplierOrder>>>> {
  return await eventually(async () => {
    const row = await supplierOrder(bridge)
    if (row?.state === 'needs_attention') throw new Error(`needs attention: ${row.reason ?? ''}`)
    return row?.state === 'submitted' ? row : undefined
  }, 30_000, 'the Gelato order submitted')
}

async function orderState (bridge: FullBridge, name: string, state: string): Promise<void> {
  await eventually(async () => {
    const body = (await bridge.ops('GET', `/v1/orders/${encodeURIComponent(name)}`)).json as { order: { state: string } }
    return body.order.state === state || undefined
  }, 30_000, `the order ${state}`)
}

t.test('when a paid order is mapped to Gelato, then one Gelato order is created with our ids, and its shipment reaches Shopify with tracking', async (t) => {
  const bridge = await gelatoBridge(t)
  const gelato = bridge.suppliers.gelato.control
  const ref = await bridge.store.store.createOrder({ lines: [{ sku: 'GLT-TEE-S', quantity: 2 }] })
  const row = await submitted(bridge)
  const orders = gelato.orders()
  t.equal(orders.length, 1, 'one order at Gelato')
  const order = orders[0]
  if (!order) throw new Error('no Gelato order')
  t.equal(order.id, row.supplier_order_id)
  t.match(row.external_id, /^pb-\d+-g1$/, 'our external id, with Gelato\'s letter')
  t.equal(order.orderReferenceId, row.external_id, 'sent as orderReferenceId')
  t.match(order, { orderType: 'order', currency: 'USD', items: [{ productUid: tee, quantity: 2, files: [{ type: 'default', url: art }] }] })
  const create = gelato.requests({ method: 'POST', path: '/v4/orders' })[0]
  t.equal(create?.headers['x-api-key'], 'gelato-sim-api-key', 'the key in X-API-KEY')

  await gelato.advance(order.id, { to: 'in_production' })
  await gelato.advance(order.id, { to: 'shipped' })
  const trackingCode = order.shipment?.packages[0]?.trackingCode
  t.ok(trackingCode)
  const fulfillments = await eventually(async () => {
    const found = bridge.store.store.fulfillments(ref.id)
    return found.length === 1 ? found : undefined
  }, 30_000, 'the fulfillment in Shopify')
  t.match(fulfillments, [{ tracking: [{ number: trackingCode }], lineItems: [{ quantity: 2 }] }])
  await orderState(bridge, ref.name, 'fulfilled')
  const deliveries = gelato.webhookDeliveries()
  t.ok(deliveries.length > 0 && deliveries.every((d) => d.status === 200), 'every Gelato webhook was taken (the fixed header verified)')
  await bridge.store.store.idle()
})

t.test('when Gelato splits the order in two connected orders, then both are tracked as one supplier order and both parcels reach Shopify', async (t) => {
  const bridge = await gelatoBridge(t)
  const gelato = bridge.suppliers.gelato.control
  gelato.splitNextOrder()
  const ref = await bridge.store.store.createOrder({ lines: [{ sku: 'GLT-TEE-S', quantity: 1 }, { sku: 'GLT-POSTER', quantity: 1 }] })
  const row = await submitted(bridge)
  const parts = gelato.orders()
  t.equal(parts.length, 2, 'two connected orders at Gelato')
  t.same(parts.map((p) => p.orderReferenceId), [row.external_id, row.external_id], 'sharing our reference')
  t.same(parts[0]?.connectedOrderIds, [parts[1]?.id])
  const count = await bridge.database.db.selectFrom('supplier_orders').select((eb) => eb.fn.countAll<string>().as('n')).where('supplier', '=', 'gelato').executeTakeFirstOrThrow()
  t.equal(Number(count.n), 1, 'one supplier order of ours')

  const [first, second] = parts
  if (!first || !second) throw new Error('no split')
  await gelato.advance(first.id, { to: 'shipped' })
  const one = await eventually(async () => {
    const found = bridge.store.store.fulfillments(ref.id)
    return found.length === 1 ? found : undefined
  }, 30_000, 'the first parcel in Shopify')
  t.equal(one.length, 1)
  await eventually(async () => (await supplierOrder(bridge))?.supplier_status === 'partially_shipped' || undefined, 30_000, 'partially shipped while the other part is not')
  await gelato.advance(second.id, { to: 'shipped' })
  const both = await eventually(async () => {
    const found = bridge.store.store.fulfillments(ref.id)
    return found.length === 2 ? found : undefined
  }, 30_000, 'both parcels in Shopify')
  const numbers = both.flatMap((f) => f.tracking.map((tr) => tr.number)).sort()
  t.same(numbers, [first.shipment?.packages[0]?.trackingCode, second.shipment?.packages[0]?.trackingCode].sort(), 'each part\'s tracking code')
  await orderState(bridge, ref.name, 'fulfilled')
  await bridge.store.store.idle()
})

t.test('when the answer to the create is lost, then the retry finds the order by its reference and exactly one Gelato order exists', async (t) => {
  const bridge = await gelatoBridge(t)
  const gelato = bridge.suppliers.gelato.control
  gelato.injectFault({ kind: 'answer_lost', method: 'POST', path: '/v4/orders' })
  await bridge.store.store.createOrder({ lines: [{ sku: 'GLT-TEE-S' }] })
  const row = await submitted(bridge)
  t.equal(gelato.orders().length, 1, 'exactly one order at Gelato')
  t.equal(gelato.requests({ method: 'POST', path: '/v4/orders' }).filter((r) => r.path === '/v4/orders').length, 1, 'created once')
  t.ok(gelato.requests({ method: 'POST', path: '/v4/orders:search' }).length >= 1, 'looked up by reference before creating again')
  t.equal(gelato.orders()[0]?.id, row.supplier_order_id)
})

t.test('when the answer to the create is lost and Gelato\'s search lags longer than the retry waits, then the retry waits for the search instead of creating a second Gelato order', async (t) => {
  const bridge = await gelatoBridge(t)
  const gelato = bridge.suppliers.gelato.control
  // Longer than the submit job's first retry (5-10 s): "typically 1-3 seconds" is no bound.
  gelato.setSearchLag(12_000)
  gelato.injectFault({ kind: 'answer_lost', method: 'POST', path: '/v4/orders' })
  await bridge.store.store.createOrder({ lines: [{ sku: 'GLT-TEE-S' }] })
  const row = await eventually(async () => {
    const r = await supplierOrder(bridge)
    if (r?.state === 'needs_attention') throw new Error(`needs attention: ${r.reason ?? ''}`)
    return r?.state === 'submitted' ? r : undefined
  }, 60_000, 'the Gelato order submitted')
  t.equal(gelato.orders().length, 1, 'exactly one order at Gelato')
  t.equal(gelato.requests({ method: 'POST', path: '/v4/orders' }).filter((r) => r.path === '/v4/orders').length, 1, 'created once')
  t.equal(row.supplier_order_id, gelato.orders()[0]?.id)
  const waits = await bridge.database.db.selectFrom('order_events').select('detail').where('supplier_order_id', '=', row.id).where('kind', '=', 'submission.not_yet').execute()
  t.ok(waits.length >= 1, 'the look-up said "not yet" while the search could not show the order')
})

t.test('when Gelato refuses the order after creation (out of stock), then the order needs attention with Gelato\'s status', async (t) => {
  const bridge = await gelatoBridge(t)
  const gelato = bridge.suppliers.gelato.control
  const ref = await bridge.store.store.createOrder({ lines: [{ sku: 'GLT-TEE-S' }] })
  await submitted(bridge)
  const order = gelato.orders()[0]
  if (!order) throw new Error('no Gelato order')
  await gelato.advance(order.id, { to: 'failed', reason: 'Out of stock' })
  const row = await eventually(async () => {
    const r = await supplierOrder(bridge)
    return r?.state === 'needs_attention' ? r : undefined
  }, 30_000, 'the supplier order needing attention')
  t.match(row.reason, /Gelato reports the order failed/)
  await orderState(bridge, ref.name, 'needs_attention')
})

t.test('when Gelato\'s webhooks never arrive, then the polling sweeper reads both parts of a split order and both parcels reach Shopify', async (t) => {
  const bridge = await gelatoBridge(t)
  const gelato = bridge.suppliers.gelato.control
  gelato.setWebhookUrl(undefined)
  gelato.splitNextOrder()
  const ref = await bridge.store.store.createOrder({ lines: [{ sku: 'GLT-TEE-S' }, { sku: 'GLT-POSTER' }] })
  const row = await submitted(bridge)
  for (const part of gelato.orders()) await gelato.advance(part.id, { to: 'shipped' })
  t.equal(bridge.store.store.fulfillments(ref.id).length, 0, 'nothing known without a webhook')
  // Due now rather than after SUPPLIER_POLL_INTERVAL.
  await bridge.database.db.updateTable('supplier_orders').set({ next_poll_at: sql`now()` }).where('id', '=', row.id).execute()
  const both = await eventually(async () => {
    const found = bridge.store.store.fulfillments(ref.id)
    return found.length === 2 ? found : undefined
  }, 30_000, 'both parcels in Shopify from polling')
  t.equal(both.length, 2)
  await orderState(bridge, ref.name, 'fulfilled')
})

t.test('when the store cancels an order Gelato split, then every connected order is cancelled at Gelato', async (t) => {
  const bridge = await gelatoBridge(t)
  const gelato = bridge.suppliers.gelato.control
  gelato.splitNextOrder()
  const ref = await bridge.store.store.createOrder({ lines: [{ sku: 'GLT-TEE-S' }, { sku: 'GLT-POSTER' }] })
  await submitted(bridge)
  await bridge.store.store.cancel(ref.id)
  await eventually(async () => gelato.orders().every((o) => o.fulfillmentStatus === 'canceled') || undefined, 30_000, 'both Gelato orders cancelled')
  t.equal(gelato.requests({ method: 'POST' }).filter((r) => r.path.endsWith(':cancel')).length, 2, 'one cancel per connected order')
  await eventually(async () => (await supplierOrder(bridge))?.state === 'cancelled' || undefined, 30_000, 'our supplier order cancelled')
  await orderState(bridge, ref.name, 'cancelled')
})
