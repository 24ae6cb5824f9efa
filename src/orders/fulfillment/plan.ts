// Pure planning for the write-back of one shipment (shopify.fulfill): which
// Shopify fulfillments already carry it, and which fulfillmentCreate calls
// would carry the rest. Quantities are keyed by the order's LineItem GID; the
// calls name fulfillment order line items, as fulfillmentCreate requires.
import type { TrackingInput } from '../../shopify/admin-client.ts'
import type { Fulfillment, FulfillmentOrder } from '../../shopify/order-snapshot.ts'

/** LineItem GID → quantity. */
export type LineQuantities = ReadonlyMap<string, number>

export interface TrackingFacts {
  readonly company: string | null
  readonly number: string | null
  readonly url: string | null
}

export interface PlannedCall {
  /** Location id, or its name where Shopify gives none: one call per location (fulfillmentCreate's rule). */
  readonly location: string
  readonly locationName: string
  readonly lineItemsByFulfillmentOrder: ReadonlyArray<{ readonly fulfillmentOrderId: string, readonly lineItems: ReadonlyArray<{ readonly id: string, readonly quantity: number }> }>
}

export interface Shortfall { readonly lineItemId: string, readonly wanted: number, readonly open: number, readonly why: string }

export interface Plan { readonly calls: readonly PlannedCall[], readonly shortfalls: readonly Shortfall[] }

/** Fulfillment orders that can take a fulfillment now (closed, held, scheduled ones cannot). */
const writable = new Set(['OPEN', 'IN_PROGRESS'])

export function subtract (from: LineQuantities, fulfillment: Fulfillment): Map<string, number> {
  const left = new Map(from)
  for (const item of fulfillment.lineItems) {
    const have = left.get(item.lineItemId)
    if (have === undefined) continue
    const rest = have - item.quantity
    if (rest > 0) left.set(item.lineItemId, rest)
    else left.delete(item.lineItemId)
  }
  return left
}

/**
 * Fulfillments already in Shopify that carry part of this shipment although we
 * recorded none of them: an earlier attempt whose answer was lost (a timeout
 * after Shopify created it). Same tracking number (none for none) and lines
 * within what is still to write; fulfillments another shipment owns are never taken.
 */
export function findAdoptable (fulfillments: readonly Fulfillment[], remainder: LineQuantities, trackingNumber: string | null, notOurs: ReadonlySet<string>): Fulfillment[] {
  const adopted: Fulfillment[] = []
  let left: LineQuantities = remainder
  for (const fulfillment of fulfillments) {
    if (notOurs.has(fulfillment.id) || fulfillment.status !== 'SUCCESS') continue
    if (primaryNumber(fulfillment) !== trackingNumber) continue
    if (fulfillment.lineItems.length === 0) continue
    const fits = fulfillment.lineItems.every((item) => (left.get(item.lineItemId) ?? 0) >= item.quantity)
    if (!fits) continue
    adopted.push(fulfillment)
    left = subtract(left, fulfillment)
  }
  return adopted
}

export function primaryNumber (fulfillment: Fulfillment): string | null {
  return fulfillment.tracking.find((t) => t.number !== null)?.number ?? null
}

/** Whether Shopify's tracking for this fulfillment differs from what the supplier now says. */
export function trackingDiffers (fulfillment: Fulfillment, wanted: TrackingFacts): boolean {
  // A reshipment's number may sit beside this parcel's, in any position: look for ours.
  const current = fulfillment.tracking.find((t) => t.number !== null && t.number === wanted.number) ?? fulfillment.tracking[0]
  if (!current) return wanted.number !== null || wanted.company !== null
  if ((current.number ?? null) !== wanted.number) return true
  if (wanted.company !== null && current.company !== wanted.company) return true
  // Shopify makes up a URL for carriers it knows: only a URL we were given is compared.
  return wanted.url !== null && current.url !== wanted.url
}

/** Spreads the quantities over the open line items of merchant-managed fulfillment orders, grouped by location. */
export function planCalls (fulfillmentOrders: readonly FulfillmentOrder[], remainder: LineQuantities): Plan {
  const byLocation = new Map<string, { name: string, perFo: Map<string, Array<{ id: string, quantity: number }>> }>()
  const shortfalls: Shortfall[] = []
  for (const [lineItemId, wanted] of remainder) {
    let left = wanted
    for (const fo of fulfillmentOrders) {
      if (!writable.has(fo.status) || fo.location.fulfillmentServiceHandle !== null) continue
      for (const item of fo.lineItems) {
        if (item.lineItemId !== lineItemId || item.remainingQuantity === 0 || left === 0) continue
        const quantity = Math.min(left, item.remainingQuantity)
        left -= quantity
        const key = fo.location.id ?? fo.location.name
        const group = byLocation.get(key) ?? { name: fo.location.name, perFo: new Map<string, Array<{ id: string, quantity: number }>>() }
        byLocation.set(key, group)
        group.perFo.set(fo.id, [...group.perFo.get(fo.id) ?? [], { id: item.id, quantity }])
      }
    }
    if (left > 0) shortfalls.push({ lineItemId, wanted, open: wanted - left, why: whyNotOpen(fulfillmentOrders, lineItemId) })
  }
  const calls = [...byLocation].map(([location, group]) => ({
    location,
    locationName: group.name,
    lineItemsByFulfillmentOrder: [...group.perFo].map(([fulfillmentOrderId, lineItems]) => ({ fulfillmentOrderId, lineItems }))
  }))
  return { calls, shortfalls }
}

function whyNotOpen (fulfillmentOrders: readonly FulfillmentOrder[], lineItemId: string): string {
  const holding = fulfillmentOrders.filter((fo) => fo.lineItems.some((item) => item.lineItemId === lineItemId && item.remainingQuantity > 0))
  const held = holding.find((fo) => fo.status === 'ON_HOLD')
  if (held) return `its fulfillment order is on hold in Shopify (${held.holds.map((h) => h.reason.toLowerCase()).join(', ') || 'no reason given'})`
  const service = holding.find((fo) => fo.location.fulfillmentServiceHandle !== null)
  if (service) return `it is assigned to fulfillment service ${service.location.fulfillmentServiceHandle ?? ''}`
  const other = holding.find((fo) => !writable.has(fo.status))
  if (other) return `its fulfillment order is ${other.status.toLowerCase()}`
  return 'Shopify has nothing left to fulfil of it (fulfilled elsewhere, refunded or cancelled)'
}

/**
 * The fulfillment order a fulfillment's line was taken from, for fulfillments we adopt
 * (the order read names no fulfillment order per fulfillment line): the first that holds the line.
 */
export function fulfillmentOrderOf (fulfillmentOrders: readonly FulfillmentOrder[], lineItemId: string): string | undefined {
  return fulfillmentOrders.find((fo) => fo.lineItems.some((item) => item.lineItemId === lineItemId && item.totalQuantity > item.remainingQuantity))?.id ??
    fulfillmentOrders.find((fo) => fo.lineItems.some((item) => item.lineItemId === lineItemId))?.id
}

/**
 * The tracking of a fulfillment with a reshipped parcel's number added, for
 * fulfillmentTrackingInfoUpdate, which replaces what is there: the existing
 * numbers are sent again. One `company` applies to every number, and Shopify
 * matches `urls` to `numbers` by position, building links for the rest from the
 * company (2026-10 schema, FulfillmentTrackingInput.company, .numbers, .urls):
 * numbers with a URL go first, so each keeps its own. `note` says when the new
 * number will be linked as the wrong carrier's (another carrier, no URL given).
 */
export function withAddedNumber (current: Fulfillment['tracking'], added: TrackingFacts & { readonly number: string }): { readonly tracking: TrackingInput, readonly note?: string } {
  const entries = current.flatMap((t) => t.number === null ? [] : [{ number: t.number, url: t.url }])
  entries.push({ number: added.number, url: added.url })
  const company = current.find((t) => t.company !== null)?.company ?? added.company
  const linked = entries.filter((e) => e.url !== null)
  const ordered = [...linked, ...entries.filter((e) => e.url === null)]
  const tracking: TrackingInput = {
    ...(company === null ? {} : { company }),
    numbers: ordered.map((e) => e.number),
    ...(linked.length > 0 ? { urls: linked.map((e) => e.url ?? '') } : {})
  }
  const otherCarrier = added.company !== null && company !== null && added.company.toLowerCase() !== company.toLowerCase()
  if (!otherCarrier || added.url !== null) return { tracking }
  return { tracking, note: `${added.company ?? ''} carries ${added.number} but the fulfillment's company is ${company ?? ''} and the supplier gave no tracking URL: Shopify links the number as ${company ?? ''}'s` }
}
