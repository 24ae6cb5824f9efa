// Which lines a supplier's parcel holds, and the tracking a reshipment adds: pure.
import t from 'tap'
import { candidateLines, learnedSkus, mapItems, type LineRef } from '../../src/orders/status/shipment-items.ts'
import { withAddedNumber } from '../../src/orders/fulfillment/plan.ts'
import type { SupplierShipment } from '../../src/suppliers/common/supplier.ts'
import { printifyItemRef } from '../../src/suppliers/printify/item-ref.ts'

/** What shipments.ts gives a line ordered by `ref` at Printify. */
const orderedBy = (ref: unknown): Pick<LineRef, 'isOrdered' | 'orderedSku'> => ({ isOrdered: (variant, sku) => printifyItemRef.isOrdered(ref, variant, sku), orderedSku: printifyItemRef.orderedSku(ref) })

const tee: LineRef = { orderLineId: 'tee', sku: 'SHOP-TEE', supplierSku: null, ...orderedBy({ productId: 'p1', variantId: '12100' }), quantity: 2 }
const mug: LineRef = { orderLineId: 'mug', sku: 'SHOP-MUG', supplierSku: null, ...orderedBy({ sku: 'PFY-MUG-11' }), quantity: 1 }
const made: LineRef = { orderLineId: 'made', sku: 'SHOP-POSTER', supplierSku: null, ...orderedBy({ blueprintId: '6', printProviderId: '99', variantId: '777', printAreas: { front: 'https://x/f.png' } }), quantity: 1 }
const lines = [tee, mug, made]
const parcel = (items: SupplierShipment['items']): SupplierShipment => ({ carrier: 'usps', trackingNumber: '1', shippedAt: '2026-01-01T00:00:00.000Z', items })
const alone = { onlyShipment: true, wholeOrder: false }

t.test('when Printify names lines by its own variant, then they map by what we ordered: product + variant, the SKU we ordered by, or blueprint variant + provider', async (t) => {
  t.same(candidateLines({ sku: 'PFY-TEE-WHT-S', variant: { productId: 'p1', variantId: '12100' } }, lines), [tee])
  t.same(candidateLines({ sku: 'PFY-MUG-11', variant: { productId: 'p2', variantId: '33719' } }, lines), [mug])
  t.same(candidateLines({ sku: '168699843', variant: { productId: 'new-product', variantId: '777', printProviderId: '99' } }, lines), [made], 'a product made from the order has a new id')
  t.same(candidateLines({ sku: '168699843', variant: { productId: 'new-product', variantId: '777', printProviderId: '5' } }, lines), [], 'another provider is another variant')
})

t.test('when a webhook names only Printify SKUs, then the SKUs learned from an order read map them, and an unknown SKU maps to nothing', async (t) => {
  const learned = learnedSkus(lines, [{ sku: 'PFY-TEE-WHT-S', variant: { productId: 'p1', variantId: '12100' } }, { sku: '168699843', variant: { productId: 'x', variantId: '777', printProviderId: '99' } }])
  t.same([...learned], [['tee', 'PFY-TEE-WHT-S'], ['made', '168699843']])
  const known = lines.map((l) => ({ ...l, supplierSku: learned.get(l.orderLineId) ?? null }))
  t.same(mapItems(parcel([{ sku: 'PFY-TEE-WHT-S' }, { sku: '168699843' }]), known, { onlyShipment: false, wholeOrder: false }, new Map()).items, [{ orderLineId: 'tee', quantity: 2 }, { orderLineId: 'made', quantity: 1 }])
  t.same(mapItems(parcel([{ sku: 'PFY-MUG-11' }]), known, { onlyShipment: false, wholeOrder: false }, new Map()).items, [{ orderLineId: 'mug', quantity: 1 }], 'the SKU we ordered by')
  t.same(mapItems(parcel([{ sku: 'UNKNOWN' }]), known, { onlyShipment: false, wholeOrder: false }, new Map()), { items: [], reshipped: [] })
})

t.test('when the supplier order shipped whole in one parcel, then the parcel takes every line even if its items do not map', async (t) => {
  t.same(mapItems(parcel([{ sku: 'UNKNOWN' }]), lines, { onlyShipment: true, wholeOrder: true }, new Map()).items, [{ orderLineId: 'tee', quantity: 2 }, { orderLineId: 'mug', quantity: 1 }, { orderLineId: 'made', quantity: 1 }])
  t.same(mapItems(parcel([{ sku: 'UNKNOWN' }]), lines, alone, new Map()).items, [], 'not while the supplier has not said everything shipped')
})

t.test('when a parcel names only lines earlier parcels carried, then it adds nothing and is a reshipment of them; a parcel with something new is not', async (t) => {
  const before = new Map([['tee', 2]])
  t.same(mapItems(parcel([{ lineRef: 'tee', quantity: 2 }]), lines, { onlyShipment: false, wholeOrder: false }, before), { items: [], reshipped: [{ orderLineId: 'tee', quantity: 2 }] })
  t.same(mapItems(parcel([{ lineRef: 'tee', quantity: 2 }, { lineRef: 'mug', quantity: 1 }]), lines, { onlyShipment: false, wholeOrder: false }, before), { items: [{ orderLineId: 'mug', quantity: 1 }], reshipped: [] })
})

t.test('when a reshipment\'s number is added to a fulfillment, then the numbers already there stay, and numbers with a URL come first so each keeps its own', async (t) => {
  const usps = { company: 'USPS', number: '9400A', url: 'https://tools.usps.com/go/TrackConfirmAction?tLabels=9400A' }
  t.same(withAddedNumber([usps], { company: 'FEDEX', number: '7700B', url: 'https://www.fedex.com/fedextrack/?tracknumbers=7700B' }), {
    tracking: { company: 'USPS', numbers: ['9400A', '7700B'], urls: [usps.url, 'https://www.fedex.com/fedextrack/?tracknumbers=7700B'] }
  })
  const unlinked = { company: 'Local Post', number: 'LP1', url: null }
  t.same(withAddedNumber([unlinked], { company: 'Local Post', number: 'LP2', url: 'https://lp.example/LP2' }).tracking, { company: 'Local Post', numbers: ['LP2', 'LP1'], urls: ['https://lp.example/LP2'] })
  const other = withAddedNumber([usps], { company: 'FEDEX', number: '7700C', url: null })
  t.same(other.tracking, { company: 'USPS', numbers: ['9400A', '7700C'], urls: [usps.url] })
  t.match(other.note, /FEDEX carries 7700C but the fulfillment's company is USPS/)
})
