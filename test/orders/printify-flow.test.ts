// A paid order from the store's webhook to a Printify order in production,
// through every real part, meeting what real Printify does: a new order is
// `pending` for a moment (8502), and a create whose answer is lost leaves an
// order whose metadata does not carry our external id.
import t from 'tap'
import { eventually } from '../helpers/bridge.ts'
import { startFullBridge, type FullBridge } from '../helpers/full-bridge.ts'

const mug = { match: { sku: 'PFY-MUG-11' }, supplier: 'printify', printify: { productId: '5b05842f3921c9547531758e', variantId: '33719' } }

async function supplierOrder (bridge: FullBridge) {
  return bridge.database.db.selectFrom('supplier_orders').select(['id', 'state', 'reason', 'supplier_order_id']).where('supplier', '=', 'printify').executeTakeFirst()
}

/** The supplier order once submitted; a needs_attention on the way fails at once with its reason. */
async function submitted (bridge: FullBridge): Promise<NonNullable<Awaited<ReturnType<typeof supplierOrder>>>> {
  return await eventually(async () => {
    const row = await supplierOrder(bridge)
    if (row?.state === 'needs_attention') throw new Error(`needs attention: ${row.reason ?? ''}`)
    return row?.state === 'submitted' ? row : undefined
  }, 30_000, 'the supplier order submitted')
}

t.test('when Printify keeps the new order pending for a while in a manual-approval shop, then after approval the order still ends sent to production, not needing attention', async (t) => {
  const bridge = await startFullBridge(t, { APPROVAL_MODE: 'manual' })
  const printify = bridge.suppliers.printify.control
  // Printify's own approval set to manual: nothing goes to production unless we send it.
  printify.setAutoSendAfter(null)
  printify.setPendingFor(4_000)
  t.equal((await bridge.ops('PUT', '/v1/mappings', { mappings: [mug] })).status, 200)
  const ref = await bridge.store.store.createOrder({ lines: [{ sku: 'PFY-MUG-11' }] })
  await eventually(async () => (await supplierOrder(bridge))?.state === 'held' || undefined, 20_000, 'the supplier order held for approval')
  const approved = await bridge.ops('POST', `/v1/orders/${encodeURIComponent(ref.name)}/approve`, { by: 'sam' })
  t.equal(approved.status, 200, JSON.stringify(approved.json))

  const done = await submitted(bridge)
  const orders = printify.orders()
  t.equal(orders.length, 1, 'one order at Printify')
  t.equal(orders[0]?.id, done.supplier_order_id)
  t.equal(orders[0]?.status, 'sending-to-production')
  const refusals = printify.requests({ method: 'POST', path: '/send_to_production.json' })
  t.ok(refusals.length >= 2, `sent once it had left pending, after ${String(refusals.length - 1)} "not yet"`)
  const kinds = (await bridge.database.db.selectFrom('order_events').select('kind').where('supplier_order_id', '=', done.id).execute()).map((e) => e.kind)
  t.ok(kinds.includes('submission.not_yet'), 'the wait is on the timeline')
  t.notOk(kinds.includes('submission.refused'))
})

t.test('when the answer to the create is lost and Printify\'s metadata does not carry our id, then exactly one Printify order exists and it is sent to production', async (t) => {
  const bridge = await startFullBridge(t)
  const printify = bridge.suppliers.printify.control
  // The stricter case: shop_order_id absent (the simulator's default), so only the label names our id.
  printify.setShopOrderId('absent')
  printify.injectFault({ kind: 'answer_lost', method: 'POST', path: '/orders.json' })
  t.equal((await bridge.ops('PUT', '/v1/mappings', { mappings: [mug] })).status, 200)
  await bridge.store.store.createOrder({ lines: [{ sku: 'PFY-MUG-11' }] })

  const done = await submitted(bridge)
  const orders = printify.orders()
  t.equal(orders.length, 1, 'exactly one order at Printify')
  t.equal(printify.requests({ method: 'POST', path: '/orders.json' }).length, 1, 'created once: the retry found it')
  t.equal(orders[0]?.id, done.supplier_order_id)
  t.equal(orders[0]?.status, 'sending-to-production')
  t.notOk(orders[0] && 'shop_order_id' in orders[0].metadata, 'found by its label alone')
})
