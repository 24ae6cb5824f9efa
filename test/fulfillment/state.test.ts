// The pure parts of the write-back: the order's derived state and the plan of calls.
import t from 'tap'
import { combineStates, deriveFromShipments } from '../../src/orders/state/fulfillment-state.ts'
import { findAdoptable, planCalls, trackingDiffers } from '../../src/orders/fulfillment/plan.ts'
import type { Fulfillment, FulfillmentOrder } from '../../src/shopify/order-snapshot.ts'

const A = '11111111-1111-4111-8111-111111111111'
const B = '22222222-2222-4222-8222-222222222222'

t.test('when every sent line is in synced shipments, then the order is fulfilled; a pending or partial parcel leaves it alone', async (t) => {
  const sent = [{ orderLineId: A, quantity: 2 }, { orderLineId: B, quantity: 1 }]
  const synced = (items: Array<{ orderLineId: string, quantity: number }>) => ({ syncState: 'synced' as const, error: null, items })
  t.same(deriveFromShipments(sent, [synced([{ orderLineId: A, quantity: 1 }]), synced([{ orderLineId: A, quantity: 1 }, { orderLineId: B, quantity: 1 }])]), { state: 'fulfilled', reason: null })
  t.equal(deriveFromShipments(sent, [synced([{ orderLineId: A, quantity: 2 }])]), undefined, 'B is not written yet')
  t.equal(deriveFromShipments(sent, [synced([{ orderLineId: A, quantity: 2 }]), { syncState: 'pending', error: null, items: [{ orderLineId: B, quantity: 1 }] }]), undefined)
  t.equal(deriveFromShipments([], []), undefined, 'nothing sent (all lines the merchant\'s): never fulfilled by us')
  t.match(deriveFromShipments(sent, [{ syncState: 'failed', error: 'refused', items: [] }]), { state: 'needs_attention', reason: /refused/ })
})

t.test('when the supplier orders and the shipments disagree, then problems and endings win over fulfilled, and fulfilled over progress', async (t) => {
  const fulfilled = { state: 'fulfilled' as const, reason: null }
  t.same(combineStates({ state: 'submitted', reason: null }, fulfilled), fulfilled)
  t.same(combineStates(undefined, fulfilled), fulfilled)
  t.same(combineStates({ state: 'needs_attention', reason: 'x' }, fulfilled), { state: 'needs_attention', reason: 'x' })
  t.same(combineStates({ state: 'cancelled', reason: 'y' }, fulfilled), { state: 'cancelled', reason: 'y' })
  t.same(combineStates({ state: 'submitted', reason: null }, undefined), { state: 'submitted', reason: null })
})

const fo = (id: string, location: string, status: string, items: Array<[string, string, number]>, service: string | null = null): FulfillmentOrder => ({
  id, status, requestStatus: 'UNSUBMITTED', updatedAt: '2026-11-27T00:00:00Z', holds: [],
  location: { id: `gid://shopify/Location/${location}`, name: location, fulfillmentServiceHandle: service },
  lineItems: items.map(([itemId, lineItemId, remaining]) => ({ id: itemId, lineItemId, totalQuantity: remaining, remainingQuantity: remaining }))
})

t.test('when lines sit on fulfillment orders at two locations, then there is one call per location and closed or service-owned ones are skipped', async (t) => {
  const fos = [
    fo('gid://shopify/FulfillmentOrder/1', '1', 'OPEN', [['gid://shopify/FulfillmentOrderLineItem/11', 'gid://shopify/LineItem/A', 1]]),
    fo('gid://shopify/FulfillmentOrder/2', '2', 'IN_PROGRESS', [['gid://shopify/FulfillmentOrderLineItem/21', 'gid://shopify/LineItem/B', 2]]),
    fo('gid://shopify/FulfillmentOrder/3', '1', 'OPEN', [['gid://shopify/FulfillmentOrderLineItem/31', 'gid://shopify/LineItem/C', 1]]),
    fo('gid://shopify/FulfillmentOrder/4', '9', 'OPEN', [['gid://shopify/FulfillmentOrderLineItem/41', 'gid://shopify/LineItem/D', 1]], 'printful'),
    fo('gid://shopify/FulfillmentOrder/5', '1', 'CLOSED', [['gid://shopify/FulfillmentOrderLineItem/51', 'gid://shopify/LineItem/A', 5]])
  ]
  const plan = planCalls(fos, new Map([['gid://shopify/LineItem/A', 1], ['gid://shopify/LineItem/B', 2], ['gid://shopify/LineItem/C', 1]]))
  t.same(plan.shortfalls, [])
  t.same(plan.calls.map((c) => c.location), ['gid://shopify/Location/1', 'gid://shopify/Location/2'])
  t.same(plan.calls[0]?.lineItemsByFulfillmentOrder.map((g) => g.fulfillmentOrderId), ['gid://shopify/FulfillmentOrder/1', 'gid://shopify/FulfillmentOrder/3'], 'two fulfillment orders at one location share a call')
  const owned = planCalls(fos, new Map([['gid://shopify/LineItem/D', 1]]))
  t.match(owned.shortfalls, [{ lineItemId: 'gid://shopify/LineItem/D', open: 0, why: /fulfillment service printful/ }])
})

const fulfillment = (id: string, number: string | null, lines: Array<[string, number]>): Fulfillment => ({
  id, status: 'SUCCESS', createdAt: '2026-11-27T00:00:00Z', updatedAt: '2026-11-27T00:00:00Z',
  tracking: number === null ? [] : [{ company: 'UPS', number, url: null }],
  lineItems: lines.map(([lineItemId, quantity], i) => ({ id: `gid://shopify/FulfillmentLineItem/${id}${i}`, lineItemId, quantity }))
})

t.test('when looking for an earlier attempt\'s fulfillment, then only the same tracking number with lines inside the parcel, not owned by another shipment, is taken', async (t) => {
  const wanted = new Map([['gid://shopify/LineItem/A', 2]])
  const list = [
    fulfillment('gid://shopify/Fulfillment/1', 'OTHER', [['gid://shopify/LineItem/A', 2]]),
    fulfillment('gid://shopify/Fulfillment/2', '1Z', [['gid://shopify/LineItem/A', 3]]),
    fulfillment('gid://shopify/Fulfillment/3', '1Z', [['gid://shopify/LineItem/A', 2]]),
    fulfillment('gid://shopify/Fulfillment/4', '1Z', [['gid://shopify/LineItem/A', 2]])
  ]
  t.same(findAdoptable(list, wanted, '1Z', new Set()).map((f) => f.id), ['gid://shopify/Fulfillment/3'])
  t.same(findAdoptable(list, wanted, '1Z', new Set(['gid://shopify/Fulfillment/3'])).map((f) => f.id), ['gid://shopify/Fulfillment/4'])
  t.same(findAdoptable([fulfillment('gid://shopify/Fulfillment/5', null, [['gid://shopify/LineItem/A', 1]])], wanted, null, new Set()).length, 1, 'untracked matches untracked')
})

t.test('when comparing tracking, then a number or company change counts and a URL Shopify made up does not', async (t) => {
  const f = { ...fulfillment('gid://shopify/Fulfillment/1', '1Z', []), tracking: [{ company: 'UPS', number: '1Z', url: 'https://ups.example/1Z' }] }
  t.notOk(trackingDiffers(f, { company: 'UPS', number: '1Z', url: null }))
  t.ok(trackingDiffers(f, { company: 'UPS', number: '1Y', url: null }))
  t.ok(trackingDiffers(f, { company: 'USPS', number: '1Z', url: null }))
  t.ok(trackingDiffers(f, { company: 'UPS', number: '1Z', url: 'https://other.example' }))
})
