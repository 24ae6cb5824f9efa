import t from 'tap'
import { upsertMappings } from '../../src/orders/routing/mappings.ts'
import type { SupplierOrderDraft } from '../../src/suppliers/common/supplier.ts'
import { testApp } from '../helpers/app.ts'
import { addLines, jobs, printfulTee, printifyMug, route, routeDepsFor, seedOrder } from '../helpers/routing-factories.ts'

const merchantShips = { match: { vendor: 'Our Workshop' }, supplier: 'none' } as const

t.test('when a paid order has a Printful line, a Printify line, a none line and a gift card, then two supplier orders get the right lines and the rest is recorded', async (t) => {
  const { database: { db }, boss } = await testApp(t, { boss: true })
  await upsertMappings(db, [printfulTee, printifyMug, merchantShips])
  const seeded = await seedOrder(db, [
    { sku: 'TEE-WHT-S', quantity: 2 },
    { sku: 'MUG-11' },
    { sku: 'HANDMADE-1', vendor: 'our workshop' },
    { sku: null, giftCard: true }
  ])
  const deps = routeDepsFor(boss!)
  const outcome = await route(db, deps, seeded.orderId)
  t.match(outcome, { status: 'routed', changed: true, state: 'received' })

  const lines = await db.selectFrom('order_lines').select(['id', 'sku', 'state', 'supplier', 'reason']).where('order_id', '=', seeded.orderId).execute()
  const bySku = (sku: string | null) => lines.find((l) => l.sku === sku)
  t.match(bySku('TEE-WHT-S'), { state: 'routed', supplier: 'printful', reason: null })
  t.match(bySku('MUG-11'), { state: 'routed', supplier: 'printify' })
  t.match(bySku('HANDMADE-1'), { state: 'skipped', supplier: 'none', reason: 'shipped by the merchant' })
  t.match(bySku(null), { state: 'skipped', reason: 'gift card' }, 'order.sync\'s skip is left alone')

  const supplierOrders = await db.selectFrom('supplier_orders').selectAll().where('order_id', '=', seeded.orderId).orderBy('supplier').execute()
  t.equal(supplierOrders.length, 2)
  const [printful, printify] = supplierOrders
  t.match(printful, { supplier: 'printful', sequence: 0, generation: 1, external_id: `pb-${seeded.snapshot.legacyId}-f1`, state: 'pending' })
  t.match(printify, { supplier: 'printify', external_id: `pb-${seeded.snapshot.legacyId}-y1`, state: 'pending' })
  t.ok((printful?.external_id.length ?? 99) <= 32)
  const draft = printful?.draft as SupplierOrderDraft
  t.same(draft.recipient, { name: 'Jane Doe', address1: '1 Main Street', city: 'Springfield', countryCode: 'US', stateCode: 'OR', zip: '97477', email: 'jane@example.com' })
  t.match(draft, { externalId: `pb-${seeded.snapshot.legacyId}-f1`, label: '#1001', test: false, currency: 'USD', items: [{ lineRef: bySku('TEE-WHT-S')?.id, sku: 'TEE-WHT-S', quantity: 2, retailPrice: '25.00', ref: { syncVariantId: '4001' } }] })
  t.equal(draft.items.length, 1)
  t.notOk('shipping' in draft, 'no SHIPPING_METHODS entry: the supplier\'s standard')
  t.match((printify?.draft as SupplierOrderDraft).items, [{ sku: 'MUG-11', quantity: 1, ref: { productId: '5d39b159e7c48c000728c89f', variantId: '33719' } }])
  const soLines = await db.selectFrom('supplier_order_lines').selectAll().execute()
  t.same(soLines.map((l) => [l.supplier_order_id, l.order_line_id, l.quantity]).sort(), [[printful?.id, bySku('TEE-WHT-S')?.id, 2], [printify?.id, bySku('MUG-11')?.id, 1]].sort())

  const submits = await jobs(db, 'supplier.submit')
  t.same(submits.map((j) => j.data.supplierOrderId).sort(), [printful?.id, printify?.id].sort(), 'auto mode: one submit job each, sent in the transaction')
  const order = await db.selectFrom('orders').select(['state', 'state_reason']).where('id', '=', seeded.orderId).executeTakeFirstOrThrow()
  t.same(order, { state: 'received', state_reason: 'waiting to be sent to the supplier' })
  const kinds = (await db.selectFrom('order_events').select('kind').where('order_id', '=', seeded.orderId).execute()).map((e) => e.kind)
  t.same(kinds.filter((k) => k.startsWith('line.')).sort(), ['line.routed', 'line.routed', 'line.skipped'])
  t.equal(kinds.filter((k) => k === 'supplier_order.created').length, 2)

  const events = kinds.length
  t.match(await route(db, deps, seeded.orderId), { status: 'routed', changed: false }, 'a re-run changes nothing')
  t.equal((await db.selectFrom('order_events').select('id').where('order_id', '=', seeded.orderId).execute()).length, events, 'and writes no timeline row')
  t.equal((await jobs(db, 'supplier.submit')).length, 2, 'and sends no second job')
})

t.test('when a line has no mapping, then the order needs attention naming the SKU, the rest waits held, and a new mapping lets it through', async (t) => {
  const { database: { db }, boss } = await testApp(t, { boss: true })
  await upsertMappings(db, [printfulTee])
  const seeded = await seedOrder(db, [{ sku: 'TEE-WHT-S' }, { sku: 'POSTER-A3' }])
  const deps = routeDepsFor(boss!)
  t.match(await route(db, deps, seeded.orderId), { state: 'needs_attention' })
  const order = await db.selectFrom('orders').select(['state', 'state_reason']).where('id', '=', seeded.orderId).executeTakeFirstOrThrow()
  t.same(order, { state: 'needs_attention', state_reason: 'no mapping for SKU POSTER-A3' })
  t.match(await db.selectFrom('order_lines').select(['state', 'reason']).where('sku', '=', 'POSTER-A3').executeTakeFirst(), { state: 'unroutable', reason: 'no mapping for SKU POSTER-A3' })
  t.match(await db.selectFrom('supplier_orders').select(['state', 'reason']).executeTakeFirst(), { state: 'held', reason: 'waiting until SKU POSTER-A3 is fixed' })
  t.equal((await jobs(db, 'supplier.submit')).length, 0, 'nothing is sent while part of the order is stuck')

  await upsertMappings(db, [{ match: { skuPrefix: 'POSTER-' }, supplier: 'printful', ref: { syncVariantId: '4002' } }])
  t.match(await route(db, deps, seeded.orderId), { changed: true, state: 'received' })
  const so = await db.selectFrom('supplier_orders').selectAll().execute()
  t.equal(so.length, 1, 'the fixed line joins the open supplier order')
  t.match(so[0], { state: 'pending', reason: null })
  t.equal((so[0]?.draft as SupplierOrderDraft).items.length, 2)
  t.equal((await jobs(db, 'supplier.submit')).length, 1)
})

t.test('when a supplier order was already sent and a line is added, then the line goes to a follow-up; while unsent, it joins the open one', async (t) => {
  const { database: { db }, boss } = await testApp(t, { boss: true })
  await upsertMappings(db, [printfulTee, { match: { sku: 'TEE-WHT-M' }, supplier: 'printful', ref: { syncVariantId: '4002' } }])
  const deps = routeDepsFor(boss!)
  let seeded = await seedOrder(db, [{ sku: 'TEE-WHT-S' }])
  await route(db, deps, seeded.orderId)
  seeded = await addLines(db, seeded, [{ sku: 'TEE-WHT-M' }])
  await route(db, deps, seeded.orderId)
  t.equal((await db.selectFrom('supplier_orders').select('id').execute()).length, 1, 'an unsent supplier order takes the new line')

  await db.updateTable('supplier_orders').set({ state: 'submitted', supplier_order_id: '100000001', attempts: 1 }).execute()
  // order.sync may mark every line pending again: a sent line keeps its supplier order.
  await db.updateTable('order_lines').set({ state: 'pending' }).execute()
  seeded = await addLines(db, seeded, [{ sku: 'TEE-WHT-S', quantity: 3 }])
  t.match(await route(db, deps, seeded.orderId), { changed: true })
  const so = await db.selectFrom('supplier_orders').select(['sequence', 'external_id', 'state', 'draft']).orderBy('sequence').execute()
  t.match(so, [{ sequence: 0, state: 'submitted' }, { sequence: 1, external_id: `pb-${seeded.snapshot.legacyId}-f1-1`, state: 'pending' }])
  t.match((so[1]?.draft as SupplierOrderDraft).items, [{ lineRef: seeded.lineIds[2], quantity: 3 }])
  t.equal((so[1]?.draft as SupplierOrderDraft).items.length, 1)
  t.same((await db.selectFrom('order_lines').select('state').execute()).map((l) => l.state), ['routed', 'routed', 'routed'])
  t.match(await route(db, deps, seeded.orderId), { changed: false })
})

t.test('when the order is cancelled before anything was sent, then routing cancels its unsent supplier orders', async (t) => {
  const { database: { db }, boss } = await testApp(t, { boss: true })
  await upsertMappings(db, [printfulTee])
  const seeded = await seedOrder(db, [{ sku: 'TEE-WHT-S' }])
  const deps = routeDepsFor(boss!, { approval: { kind: 'manual' } })
  t.match(await route(db, deps, seeded.orderId), { state: 'held' })
  await db.updateTable('orders').set({ cancelled_at: new Date(), state: 'cancelled' }).execute()
  t.match(await route(db, deps, seeded.orderId), { status: 'cancelled', state: 'cancelled' })
  t.match(await db.selectFrom('supplier_orders').select(['state', 'reason']).executeTakeFirst(), { state: 'cancelled', reason: 'the order was cancelled in Shopify' })
})

t.test('when the shipping line maps to a method, then the draft carries it for its supplier; a test order still routes', async (t) => {
  const { database: { db }, boss } = await testApp(t, { boss: true })
  await upsertMappings(db, [printfulTee, printifyMug])
  const deps = routeDepsFor(boss!, { shippingMethods: { Express: { printful: 'EXPRESS', printify: 2 }, '*': { printful: 'STANDARD' } } })
  const express = await seedOrder(db, [{ sku: 'TEE-WHT-S' }, { sku: 'MUG-11' }], { shippingLines: [{ id: null, title: 'Express', code: 'EXP', source: null }], test: true })
  await route(db, deps, express.orderId)
  const drafts = (await db.selectFrom('supplier_orders').select(['supplier', 'draft', 'state']).where('order_id', '=', express.orderId).orderBy('supplier').execute())
  t.match(drafts, [{ supplier: 'printful', state: 'pending', draft: { shipping: 'EXPRESS', test: true } }, { supplier: 'printify', state: 'pending', draft: { shipping: 2, test: true } }])
  const standard = await seedOrder(db, [{ sku: 'TEE-WHT-S' }, { sku: 'MUG-11' }], { shippingLines: [{ id: null, title: 'Free shipping', code: null, source: null }] })
  await route(db, deps, standard.orderId)
  const fallback = await db.selectFrom('supplier_orders').select(['supplier', 'draft']).where('order_id', '=', standard.orderId).orderBy('supplier').execute()
  t.match(fallback[0]?.draft, { shipping: 'STANDARD' })
  t.notOk('shipping' in (fallback[1]?.draft as object), '"*" names no Printify method: its standard')
})

t.test('when Customily sends a product itself, then its line is skipped; when a line is personalized, then its draft item carries the personalization id and placement', async (t) => {
  const { database: { db }, boss } = await testApp(t, { boss: true })
  await upsertMappings(db, [
    { match: { sku: 'CUSTOMILY-TEE' }, supplier: 'printful', ref: { syncVariantId: '4001' }, managedBy: 'customily' },
    { match: { sku: 'NAME-MUG' }, supplier: 'printify', ref: { blueprintId: '68', printProviderId: '1', variantId: '33719', printAreas: {} }, personalization: 'customily', placement: 'front' }
  ])
  const seeded = await seedOrder(db, [{ sku: 'CUSTOMILY-TEE' }, { sku: 'NAME-MUG', properties: [{ name: 'Name', value: 'Ada' }, { name: '_customily_id', value: 'cu-guid-1' }] }])
  t.match(await route(db, routeDepsFor(boss!), seeded.orderId), { state: 'received' })
  t.match(await db.selectFrom('order_lines').select(['sku', 'state', 'reason']).orderBy('sku').execute(), [
    { sku: 'CUSTOMILY-TEE', state: 'skipped', reason: 'sent to the supplier by Customily' },
    { sku: 'NAME-MUG', state: 'routed', reason: null }
  ])
  const [printify, ...others] = await db.selectFrom('supplier_orders').select(['supplier', 'state', 'reason', 'draft']).execute()
  t.equal(others.length, 0, 'nothing for Printful: Customily sends that line')
  t.match(printify, { supplier: 'printify', state: 'pending', reason: null })
  t.match((printify?.draft as SupplierOrderDraft).items, [{
    sku: 'NAME-MUG',
    ref: { blueprintId: '68', printProviderId: '1', variantId: '33719', printAreas: {} },
    personalization: { provider: 'customily', id: 'cu-guid-1', placement: 'front' }
  }])
  const timeline = await db.selectFrom('order_events').select('detail').where('order_id', '=', seeded.orderId).where('kind', '=', 'line.routed').execute()
  t.match(timeline, [{ detail: /SKU NAME-MUG: to printify .*Customily personalization cu-guid-1 at "front"/ }])
})

t.test('when a personalized line has no personalization id, then it is unroutable naming the SKU and the properties looked for, and the rest waits', async (t) => {
  const { database: { db }, boss } = await testApp(t, { boss: true })
  await upsertMappings(db, [
    printfulTee,
    { match: { sku: 'NAME-MUG' }, supplier: 'printify', ref: { blueprintId: '68', printProviderId: '1', variantId: '33719', printAreas: {} }, personalization: 'customily', placement: 'front' }
  ])
  const seeded = await seedOrder(db, [{ sku: 'TEE-WHT-S' }, { sku: 'NAME-MUG', properties: [{ name: 'Name', value: 'Ada' }] }])
  const outcome = await route(db, routeDepsFor(boss!, { personalizationProperties: { customily: ['_customily_id', 'po_number'] } }), seeded.orderId)
  t.match(outcome, { state: 'needs_attention' })
  const mug = await db.selectFrom('order_lines').select(['state', 'reason']).where('sku', '=', 'NAME-MUG').executeTakeFirstOrThrow()
  t.match(mug, { state: 'unroutable', reason: /SKU NAME-MUG is personalized with Customily, but the line has no personalization id \(looked for the line properties _customily_id, po_number;/ })
  const order = await db.selectFrom('orders').select(['state', 'state_reason']).where('id', '=', seeded.orderId).executeTakeFirstOrThrow()
  t.match(order, { state: 'needs_attention', state_reason: /SKU NAME-MUG/ })
  t.match(await db.selectFrom('supplier_orders').select(['supplier', 'state', 'reason']).execute(), [
    { supplier: 'printful', state: 'held', reason: /waiting until SKU NAME-MUG is fixed/ }
  ])
})
