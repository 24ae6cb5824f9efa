// Changes after submission, through every real part: the store simulator's
// edits reach order.sync as signed webhooks; a held supplier order takes the
// new address, a sent one is put in front of a person with the exact change,
// and approve or retry marks it fixed without sending anything again.
import t from 'tap'
import { eventually } from '../helpers/bridge.ts'
import { startFullBridge, type FullBridge } from '../helpers/full-bridge.ts'

const chatsworth = { firstName: 'Jane', lastName: 'Doe', address1: '19749 Dearborn St', city: 'Chatsworth', province: 'California', provinceCode: 'CA', zip: '91311' }
const reseda = { ...chatsworth, city: 'Reseda', zip: '91335' }

const mappings = [
  { match: { sku: 'TEE-WHT-S' }, supplier: 'printful', printful: { syncVariantId: '4001' } },
  { match: { sku: 'PFY-MUG-11' }, supplier: 'printify', printify: { productId: '5b05842f3921c9547531758e', variantId: '33719' } }
]

interface Detail {
  order: { state: string, stateReason: string | null, stateChangedAt: string }
  supplierOrders: { id: string, supplier: string, externalId: string, supplierOrderId: string | null, state: string, supplierStatus: string | null, reason: string | null }[]
  timeline: { kind: string, actor: string, detail: string | null }[]
}

async function detailOf (bridge: FullBridge, name: string): Promise<Detail> {
  const res = await bridge.ops('GET', `/v1/orders/${encodeURIComponent(name)}`)
  return res.json as Detail
}

const count = (detail: Detail, kind: string): number => detail.timeline.filter((e) => e.kind === kind).length

/** Makes a change in the store and waits until order.sync has stored it (one more order.synced row). */
async function editAndSync (bridge: FullBridge, ref: { id: string, name: string }, edit: Parameters<FullBridge['store']['store']['edit']>[1]): Promise<Detail> {
  const before = count(await detailOf(bridge, ref.name), 'order.synced')
  await bridge.store.store.edit(ref.id, edit)
  return eventually(async () => {
    const detail = await detailOf(bridge, ref.name)
    return count(detail, 'order.synced') > before ? detail : undefined
  }, 20_000, 'order.sync to store the edit')
}

t.test('when the address changes while the supplier order is held, then the order sent carries the new address and nothing needs attention', async (t) => {
  const bridge = await startFullBridge(t, { APPROVAL_MODE: 'manual' })
  await bridge.ops('PUT', '/v1/mappings', { mappings })
  const ref = await bridge.store.store.createOrder({ shippingAddress: chatsworth, lines: [{ sku: 'TEE-WHT-S' }] })
  await eventually(async () => (await detailOf(bridge, ref.name)).order?.state === 'held' || undefined, 20_000, 'the order held for approval')

  await bridge.store.store.edit(ref.id, { shippingAddress: reseda })
  await eventually(async () => {
    const row = await bridge.database.db.selectFrom('supplier_orders').select('draft').executeTakeFirst()
    return (row?.draft as { recipient?: { city?: string } } | undefined)?.recipient?.city === 'Reseda' || undefined
  }, 20_000, 'the held draft rebuilt with the new address')

  const approved = await bridge.ops('POST', `/v1/orders/${encodeURIComponent(ref.name)}/approve`, { by: 'sam' })
  t.equal(approved.status, 200, JSON.stringify(approved.json))
  t.equal((approved.json as { result: string }).result, 'released')
  const sent = await eventually(async () => bridge.suppliers.printful.control.orders()[0], 20_000, 'the order at Printful')
  t.equal(sent.recipient.city, 'Reseda')
  t.equal(sent.recipient.zip, '91335')
  const detail = await eventually(async () => { const d = await detailOf(bridge, ref.name); return d.order.state === 'submitted' ? d : undefined }, 20_000, 'the order submitted')
  t.equal(count(detail, 'supplier_order.changed'), 0, 'nothing flagged')
})

t.test('when the address changes after submission, then the supplier order needs attention naming the change once, and approve marks it fixed without sending again', async (t) => {
  const bridge = await startFullBridge(t)
  await bridge.ops('PUT', '/v1/mappings', { mappings })
  const ref = await bridge.store.store.createOrder({ shippingAddress: chatsworth, lines: [{ sku: 'TEE-WHT-S', quantity: 2 }] })
  const submitted = await eventually(async () => { const d = await detailOf(bridge, ref.name); return d.order?.state === 'submitted' ? d : undefined }, 20_000, 'the order submitted')
  const printfulId = submitted.supplierOrders[0]?.supplierOrderId
  t.ok(printfulId, 'Printful\'s id recorded')

  // What does not concern the supplier: email, note, tags.
  const quiet = await editAndSync(bridge, ref, { email: 'jane.doe@example.net', note: 'gift wrap please', tags: ['vip'] })
  t.equal(quiet.order.state, 'submitted', 'an email, note or tag change flags nothing')
  t.equal(count(quiet, 'supplier_order.changed'), 0)

  await bridge.store.store.edit(ref.id, { shippingAddress: reseda })
  const flagged = await eventually(async () => { const d = await detailOf(bridge, ref.name); return d.order.state === 'needs_attention' ? d : undefined }, 20_000, 'the order needing attention')
  const expected = `shipping address changed after it was sent to printful as order ${printfulId ?? ''}: city Chatsworth → Reseda, zip 91311 → 91335; change it in Printful's dashboard, then approve or retry the order`
  t.equal(flagged.supplierOrders[0]?.state, 'needs_attention')
  t.equal(flagged.supplierOrders[0]?.reason, expected, 'the supplier order says exactly what changed')
  t.equal(flagged.order.stateReason, `printful order ${flagged.supplierOrders[0]?.externalId ?? ''}: ${expected}`, 'and so does the order')
  const rows = flagged.timeline.filter((e) => e.kind === 'supplier_order.changed')
  t.equal(rows.length, 1)
  t.match(rows[0]?.detail, /city Chatsworth → Reseda, zip 91311 → 91335/)

  // The same change seen again (another sync, here after a note): nothing new.
  const again = await editAndSync(bridge, ref, { note: 'leave at the door' })
  t.equal(count(again, 'supplier_order.changed'), 1, 'no second row for the same change')
  t.equal(again.order.stateChangedAt, flagged.order.stateChangedAt, 'the same attention episode (one alert)')
  t.equal(again.supplierOrders[0]?.reason, expected)

  const approved = await bridge.ops('POST', `/v1/orders/${encodeURIComponent(ref.name)}/approve`, { by: 'sam' })
  t.equal(approved.status, 200, JSON.stringify(approved.json))
  t.match(approved.json, { result: 'acknowledged', supplierOrders: [], acknowledged: [{ supplier: 'printful' }] })
  const fixed = await detailOf(bridge, ref.name)
  t.equal(fixed.order.state, 'submitted')
  t.equal(fixed.supplierOrders[0]?.state, 'submitted')
  t.match(fixed.timeline.find((e) => e.kind === 'supplier_order.change_acknowledged')?.detail, /sam confirmed printful has the change \(nothing sent again\): city Chatsworth → Reseda/)
  t.equal(bridge.suppliers.printful.control.orders().length, 1, 'one order at Printful: nothing sent again')
  t.equal(fixed.timeline.filter((e) => e.kind === 'submission.started').length, 1, 'no second submission')

  const later = await editAndSync(bridge, ref, { note: 'third note' })
  t.equal(later.order.state, 'submitted', 'once fixed, a later sync compares with the new address')
  t.equal(count(later, 'supplier_order.changed'), 1)

  // Shipped: the label is printed, an address change is too late to matter.
  await bridge.suppliers.printful.control.advance(printfulId ?? '', { to: 'shipped' })
  await eventually(async () => (await detailOf(bridge, ref.name)).supplierOrders[0]?.supplierStatus === 'shipped' || undefined, 20_000, 'the shipment seen')
  const afterShipping = await editAndSync(bridge, ref, { shippingAddress: chatsworth })
  t.equal(count(afterShipping, 'supplier_order.changed'), 1, 'no flag after shipment')
  t.not(afterShipping.order.state, 'needs_attention')
})

t.test('when a line is removed after submission, then only the supplier order carrying it needs attention, and retry marks it fixed', async (t) => {
  const bridge = await startFullBridge(t)
  await bridge.ops('PUT', '/v1/mappings', { mappings })
  const ref = await bridge.store.store.createOrder({ lines: [{ sku: 'TEE-WHT-S' }, { sku: 'PFY-MUG-11', title: 'Mug', quantity: 2 }] })
  await eventually(async () => { const d = await detailOf(bridge, ref.name); return d.order?.state === 'submitted' && d.supplierOrders.length === 2 ? d : undefined }, 20_000, 'both supplier orders submitted')

  const mugLine = ref.lineItemIds[1] ?? ''
  await bridge.store.store.edit(ref.id, { quantities: [{ lineItemId: mugLine, quantity: 0 }] })
  const flagged = await eventually(async () => { const d = await detailOf(bridge, ref.name); return d.order.state === 'needs_attention' ? d : undefined }, 20_000, 'the order needing attention')
  const bySupplier = Object.fromEntries(flagged.supplierOrders.map((s) => [s.supplier, s]))
  t.equal(bySupplier.printful?.state, 'submitted', 'the Printful order is not concerned')
  t.equal(bySupplier.printify?.state, 'needs_attention')
  t.equal(bySupplier.printify?.reason, `a line changed after it was sent to printify as order ${bySupplier.printify?.supplierOrderId ?? ''}: line SKU PFY-MUG-11 "Mug" removed (was 2); change it in Printify's dashboard, then approve or retry the order`)
  t.equal(count(flagged, 'supplier_order.changed'), 1)

  const retried = await bridge.ops('POST', `/v1/orders/${encodeURIComponent(ref.name)}/retry`)
  t.equal(retried.status, 200, JSON.stringify(retried.json))
  t.same((retried.json as { retried: unknown[] }).retried, [{ job: 'supplier.sync', target: bySupplier.printify?.externalId }], 'marked fixed and read again, not resubmitted')
  const fixed = await eventually(async () => { const d = await detailOf(bridge, ref.name); return d.order.state === 'submitted' ? d : undefined }, 20_000, 'the order back to submitted')
  t.equal(fixed.supplierOrders.find((s) => s.supplier === 'printify')?.state, 'submitted')
  t.equal(bridge.suppliers.printify.control.orders().length, 1, 'nothing sent again to Printify')
  const lines = await bridge.database.db.selectFrom('supplier_order_lines').select('quantity').where('supplier_order_id', '=', bySupplier.printify?.id ?? '').execute()
  t.same(lines.map((l) => l.quantity), [0], 'the supplier order now expects no mugs (the order can be fulfilled without them)')

  const later = await editAndSync(bridge, ref, { note: 'after the fix' })
  t.equal(later.order.state, 'submitted')
  t.equal(count(later, 'supplier_order.changed'), 1, 'not flagged again')
})
