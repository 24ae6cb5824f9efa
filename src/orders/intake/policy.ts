// DESIGN.md's routing policy as pure functions of the order snapshot: which
// lines pod-bridge may route, and whether the order may go now. order.sync
// records each decision; the router (order.route) picks destinations.
import type { FulfillmentOrder, OrderLine, OrderSnapshot } from '../../shopify/order-snapshot.ts'

export interface LineDecision {
  readonly line: OrderLine
  /** Quantity still to fulfil on merchant-managed fulfillment orders: what a supplier may print. */
  readonly routableQuantity: number
  readonly state: 'pending' | 'skipped'
  readonly reason: string | null
  /** Set when a fulfillment service (a supplier's own app, say) owns the line: listed in the unmapped report. */
  readonly ownedBy: string | null
}

/** Fulfillment orders that can no longer take a fulfillment. */
const closedStatuses = new Set(['CLOSED', 'CANCELLED', 'INCOMPLETE'])

export function lineDecisions (order: OrderSnapshot): LineDecision[] {
  return order.lines.map((line) => decideLine(line, order.fulfillmentOrders))
}

function decideLine (line: OrderLine, fulfillmentOrders: readonly FulfillmentOrder[]): LineDecision {
  let merchant = 0
  let service: string | null = null
  for (const fo of fulfillmentOrders) {
    if (closedStatuses.has(fo.status)) continue
    for (const item of fo.lineItems) {
      if (item.lineItemId !== line.id) continue
      if (fo.location.fulfillmentServiceHandle) service = fo.location.fulfillmentServiceHandle
      else merchant += item.remainingQuantity
    }
  }
  const skip = (reason: string): LineDecision => ({ line, routableQuantity: 0, state: 'skipped', reason, ownedBy: service })
  if (line.isGiftCard) return skip('gift card')
  if (!line.requiresShipping) return skip('does not require shipping')
  if (merchant === 0 && service) return skip(`owned by fulfillment service ${service}`)
  if (merchant === 0) return skip(line.currentQuantity === 0 ? 'removed or refunded' : 'nothing left to fulfil')
  return { line, routableQuantity: merchant, state: 'pending', reason: null, ownedBy: service }
}

export type RouteWhen = 'paid' | 'authorized'

export interface GateInput {
  readonly routeWhen: RouteWhen
  /** Orders created before this are recorded but not routed unless approved by hand. */
  readonly cutover: Date
  readonly approvedAt: Date | null
}

export type Gate =
  | { readonly go: true }
  | { readonly go: false, readonly state: 'pending_payment' | 'held' | 'cancelled', readonly reason: string }

const paidStatuses = new Set(['PAID', 'PARTIALLY_REFUNDED'])
const authorizedStatuses = new Set(['AUTHORIZED', 'PARTIALLY_PAID', 'PAID', 'PARTIALLY_REFUNDED'])

/** Whether the order may be routed now, and if not, the state it waits in and why. */
export function orderGate (order: OrderSnapshot, decisions: readonly LineDecision[], input: GateInput): Gate {
  if (order.cancelledAt) return { go: false, state: 'cancelled', reason: `cancelled in Shopify${order.cancelReason ? ` (${order.cancelReason.toLowerCase()})` : ''}` }
  const financial = order.financialStatus ?? 'PENDING'
  if (financial === 'REFUNDED' || financial === 'VOIDED') return { go: false, state: 'cancelled', reason: `payment ${financial.toLowerCase()}: nothing to send` }
  const allowed = input.routeWhen === 'paid' ? paidStatuses : authorizedStatuses
  if (!allowed.has(financial)) return { go: false, state: 'pending_payment', reason: `payment is ${financial.toLowerCase()}; routed once ${input.routeWhen} (ROUTE_WHEN)` }
  if (!input.approvedAt && new Date(order.createdAt) < input.cutover) {
    return { go: false, state: 'held', reason: `created before the cut-over (${input.cutover.toISOString()}, ROUTE_ORDERS_CREATED_AFTER): approve it to route it` }
  }
  const routableLineIds = new Set(decisions.filter((d) => d.state === 'pending').map((d) => d.line.id))
  const held = order.fulfillmentOrders.find((fo) => fo.status === 'ON_HOLD' && fo.lineItems.some((item) => routableLineIds.has(item.lineItemId)))
  if (held) {
    const reasons = held.holds.map((hold) => hold.reason.toLowerCase().replaceAll('_', ' ')).join(', ') || 'on hold'
    return { go: false, state: 'held', reason: `fulfillment order on hold in Shopify (${reasons})` }
  }
  return { go: true }
}
