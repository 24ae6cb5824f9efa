// Fulfillment orders and fulfillments: hold, release and move (what a merchant or
// a fraud check does), and fulfillmentCreate / fulfillmentTrackingInfoUpdate with
// the userErrors Shopify answers when a request no longer fits the order.
import { AppError } from '../../../lib/errors.ts'
import { holdInputSchema, moveInputSchema, type HoldInput } from './control-inputs.ts'
import { findOrder, locationByName } from './store-orders.ts'
import { gid, numericId, type SimEvent, type SimFulfillment, type SimFulfillmentOrder, type SimTracking, type StoreState } from './store-model.ts'
import { restFulfillment, restFulfillmentOrderRef, restFulfillmentStatus, restOrder } from './webhook-payloads.ts'

export interface UserError { field: string[] | null, message: string }

export function findFulfillmentOrder (state: StoreState, id: string): SimFulfillmentOrder {
  const fo = state.fulfillmentOrders.get(numericId(id))
  if (!fo) throw new AppError('not_found', `no fulfillment order ${id} in the simulated store`)
  return fo
}

function progressed (fo: SimFulfillmentOrder): boolean {
  return fo.lines.some((l) => l.remainingQuantity < l.totalQuantity)
}

// Putting a fulfillment order on hold bumps its updated_at but not the order's
// (shopify.md §3.2, community thread "inconsistent updated_at behavior"): the order is left alone.
export function holdFulfillmentOrder (state: StoreState, id: string, raw: HoldInput = {}): SimEvent[] {
  const input = holdInputSchema.parse(raw)
  const fo = findFulfillmentOrder(state, id)
  if (!['OPEN', 'IN_PROGRESS', 'ON_HOLD'].includes(fo.status)) throw new AppError('conflict', `fulfillment order ${id} is ${fo.status} and cannot be held`)
  fo.holds.push({ id: state.nextId(), reason: input.reason, reasonNotes: input.reasonNotes })
  fo.status = 'ON_HOLD'
  fo.updatedAt = state.tick()
  return [{ topic: 'fulfillment_orders/placed_on_hold', body: { fulfillment_order: restFulfillmentOrderRef(fo), remaining_fulfillment_order: null } }]
}

export function releaseHold (state: StoreState, id: string): SimEvent[] {
  const fo = findFulfillmentOrder(state, id)
  if (fo.status !== 'ON_HOLD') throw new AppError('conflict', `fulfillment order ${id} is not on hold`)
  fo.holds = []
  fo.status = progressed(fo) ? 'IN_PROGRESS' : 'OPEN'
  fo.updatedAt = state.tick()
  return [{ topic: 'fulfillment_orders/hold_released', body: { fulfillment_order: restFulfillmentOrderRef(fo) } }]
}

/**
 * fulfillmentOrderMove's documented outcome: an untouched fulfillment order itself moves to the
 * new location; one with fulfilled items stays behind, closed, and a new one takes what remains.
 * [from the FulfillmentOrderMovePayload docs, not in shopify.md]
 */
export function moveFulfillmentOrder (state: StoreState, id: string, raw: { location: string }): { moved: SimFulfillmentOrder, events: SimEvent[] } {
  const input = moveInputSchema.parse(raw)
  const fo = findFulfillmentOrder(state, id)
  if (!['OPEN', 'IN_PROGRESS'].includes(fo.status)) throw new AppError('conflict', `fulfillment order ${id} is ${fo.status} and cannot be moved`)
  const destination = locationByName(state, input.location)
  if (destination === fo.locationId) throw new AppError('conflict', `fulfillment order ${id} is already at ${input.location}`)
  const source = fo.locationId
  const at = state.tick()
  const original = restFulfillmentOrderRef(fo)
  let moved = fo
  if (!progressed(fo)) {
    fo.locationId = destination
    fo.updatedAt = at
  } else {
    moved = {
      id: state.nextId(),
      orderId: fo.orderId,
      locationId: destination,
      status: 'OPEN',
      requestStatus: 'UNSUBMITTED',
      holds: [],
      lines: fo.lines.filter((l) => l.remainingQuantity > 0).map((l) => ({ id: state.nextId(), lineItemId: l.lineItemId, totalQuantity: l.remainingQuantity, remainingQuantity: l.remainingQuantity })),
      createdAt: at,
      updatedAt: at
    }
    for (const line of fo.lines) {
      line.totalQuantity -= line.remainingQuantity
      line.remainingQuantity = 0
    }
    fo.status = 'CLOSED'
    fo.updatedAt = at
    state.fulfillmentOrders.set(moved.id, moved)
    findOrder(state, fo.orderId).fulfillmentOrderIds.push(moved.id)
  }
  return {
    moved,
    events: [{
      topic: 'fulfillment_orders/moved',
      body: {
        original_fulfillment_order: original,
        moved_fulfillment_order: restFulfillmentOrderRef(moved),
        destination_location_id: gid('Location', destination),
        source_location: { id: gid('Location', source) },
        fulfillment_order_line_items_requested: []
      }
    }]
  }
}

export interface FulfillmentCreateArgs {
  lineItemsByFulfillmentOrder: Array<{ fulfillmentOrderId: string, fulfillmentOrderLineItems?: Array<{ id: string, quantity: number }> | null }>
  notifyCustomer?: boolean | null
  trackingInfo?: { company?: string | null, number?: string | null, numbers?: string[] | null, url?: string | null, urls?: string[] | null } | null
}

// fulfillmentTrackingInfoUpdate: "When company is a supported carrier name, Shopify generates
// tracking URLs itself" (shopify.md §3.3). A few carriers, enough to show the behaviour.
const carrierUrls: Record<string, (n: string) => string> = {
  USPS: (n) => `https://tools.usps.com/go/TrackConfirmAction?tLabels=${encodeURIComponent(n)}`,
  UPS: (n) => `https://www.ups.com/WebTracking?trackingNumber=${encodeURIComponent(n)}`,
  FedEx: (n) => `https://www.fedex.com/fedextrack/?trknbr=${encodeURIComponent(n)}`,
  'DHL Express': (n) => `https://www.dhl.com/en/express/tracking.html?AWB=${encodeURIComponent(n)}`
}

export function trackingList (info: FulfillmentCreateArgs['trackingInfo']): SimTracking[] {
  if (!info) return []
  const company = info.company ?? null
  const numbers = info.numbers && info.numbers.length > 0 ? info.numbers : info.number ? [info.number] : []
  const urls = info.urls && info.urls.length > 0 ? info.urls : info.url ? [info.url] : []
  if (numbers.length === 0) return company || urls[0] ? [{ company, number: null, url: urls[0] ?? null }] : []
  return numbers.map((number, i) => {
    const generated = company ? carrierUrls[company]?.(number) : undefined
    return { company, number, url: urls[i] ?? generated ?? null }
  })
}

const unfulfillable = ['CLOSED', 'CANCELLED', 'INCOMPLETE', 'SCHEDULED']

export function createFulfillment (state: StoreState, args: FulfillmentCreateArgs): { fulfillment: SimFulfillment, events: SimEvent[] } | { userErrors: UserError[] } {
  const groups = args.lineItemsByFulfillmentOrder
  const field = (i: number, ...rest: string[]): string[] => ['fulfillment', 'lineItemsByFulfillmentOrder', String(i), ...rest]
  if (groups.length === 0) return { userErrors: [{ field: ['fulfillment', 'lineItemsByFulfillmentOrder'], message: 'Line items by fulfillment order must not be empty.' }] }
  // Which fulfillment orders, first: all must exist and share one order and location.
  const fos: SimFulfillmentOrder[] = []
  for (const [i, group] of groups.entries()) {
    const fo = state.fulfillmentOrders.get(numericId(group.fulfillmentOrderId))
    // Messages follow Shopify's wording where known; the checks are what fulfillmentCreate enforces.
    if (!fo) return { userErrors: [{ field: field(i, 'fulfillmentOrderId'), message: 'Fulfillment order does not exist.' }] }
    const first = fos[0]
    if (first && (first.orderId !== fo.orderId || first.locationId !== fo.locationId)) {
      // shopify.md §3.3: "All FOs in one call must belong to the same order and the same location".
      return { userErrors: [{ field: field(i, 'fulfillmentOrderId'), message: 'All fulfillment orders must belong to the same order and be assigned to the same location.' }] }
    }
    fos.push(fo)
  }
  const plan: Array<{ fo: SimFulfillmentOrder, items: Array<{ item: SimFulfillmentOrder['lines'][number], quantity: number }> }> = []
  for (const [i, group] of groups.entries()) {
    const fo = fos[i]
    if (!fo) continue
    if (unfulfillable.includes(fo.status)) return { userErrors: [{ field: field(i, 'fulfillmentOrderId'), message: `Fulfillment order ${gid('FulfillmentOrder', fo.id)} has an unfulfillable status= ${fo.status.toLowerCase()}.` }] }
    if (fo.status === 'ON_HOLD') return { userErrors: [{ field: field(i, 'fulfillmentOrderId'), message: `Fulfillment order ${gid('FulfillmentOrder', fo.id)} is on hold.` }] }
    if (state.locations.get(fo.locationId)?.fulfillmentServiceHandle) {
      return { userErrors: [{ field: field(i, 'fulfillmentOrderId'), message: `Fulfillment order ${gid('FulfillmentOrder', fo.id)} is assigned to a fulfillment service location; only that service can fulfill it.` }] }
    }
    const requested = group.fulfillmentOrderLineItems ?? fo.lines.filter((l) => l.remainingQuantity > 0).map((l) => ({ id: gid('FulfillmentOrderLineItem', l.id), quantity: l.remainingQuantity }))
    const items: Array<{ item: SimFulfillmentOrder['lines'][number], quantity: number }> = []
    for (const [j, request] of requested.entries()) {
      const item = fo.lines.find((l) => l.id === numericId(request.id))
      if (!item) return { userErrors: [{ field: field(i, 'fulfillmentOrderLineItems', String(j), 'id'), message: 'Fulfillment order line item does not exist.' }] }
      if (request.quantity <= 0 || request.quantity > item.remainingQuantity) {
        return { userErrors: [{ field: field(i, 'fulfillmentOrderLineItems', String(j), 'quantity'), message: 'Invalid fulfillment order line item quantity requested.' }] }
      }
      items.push({ item, quantity: request.quantity })
    }
    if (items.length === 0) return { userErrors: [{ field: field(i, 'fulfillmentOrderId'), message: 'Fulfillment order has no line items left to fulfill.' }] }
    plan.push({ fo, items })
  }
  const firstFo = plan[0]?.fo
  if (!firstFo) return { userErrors: [{ field: ['fulfillment'], message: 'Nothing to fulfill.' }] }
  const order = findOrder(state, firstFo.orderId)
  const at = state.tick()
  const fulfillment: SimFulfillment = {
    id: state.nextId(),
    orderId: order.id,
    locationId: firstFo.locationId,
    status: 'SUCCESS',
    createdAt: at,
    updatedAt: at,
    tracking: trackingList(args.trackingInfo),
    notifyCustomer: args.notifyCustomer ?? false,
    lines: plan.flatMap(({ fo, items }) => items.map(({ item, quantity }) => ({ id: state.nextId(), lineItemId: item.lineItemId, fulfillmentOrderId: fo.id, quantity })))
  }
  for (const { fo, items } of plan) {
    for (const { item, quantity } of items) item.remainingQuantity -= quantity
    fo.status = fo.lines.every((l) => l.remainingQuantity === 0) ? 'CLOSED' : 'IN_PROGRESS'
    fo.updatedAt = at
  }
  order.fulfillments.push(fulfillment)
  state.fulfillments.set(fulfillment.id, fulfillment)
  order.updatedAt = at
  const orderBody = restOrder(order, state)
  return {
    fulfillment,
    events: [
      { topic: 'fulfillments/create', body: restFulfillment(order, fulfillment, state) },
      { topic: restFulfillmentStatus(order) === 'fulfilled' ? 'orders/fulfilled' : 'orders/partially_fulfilled', body: orderBody },
      { topic: 'orders/updated', body: orderBody }
    ]
  }
}

export function updateTracking (state: StoreState, fulfillmentId: string, info: FulfillmentCreateArgs['trackingInfo'], notifyCustomer: boolean | null | undefined): { fulfillment: SimFulfillment, events: SimEvent[] } | { userErrors: UserError[] } {
  const fulfillment = state.fulfillments.get(numericId(fulfillmentId))
  if (!fulfillment) return { userErrors: [{ field: ['fulfillmentId'], message: 'Fulfillment does not exist.' }] }
  if (fulfillment.status !== 'SUCCESS') return { userErrors: [{ field: ['fulfillmentId'], message: 'Fulfillment is cancelled and its tracking cannot be updated.' }] }
  fulfillment.tracking = trackingList(info)
  if (notifyCustomer) fulfillment.notifyCustomer = true
  fulfillment.updatedAt = state.tick()
  const order = findOrder(state, fulfillment.orderId)
  return { fulfillment, events: [{ topic: 'fulfillments/update', body: restFulfillment(order, fulfillment, state) }] }
}
