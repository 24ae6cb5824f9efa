// The part of the order's derived state that comes from the write-back
// (DESIGN.md "State model": `fulfilled` = every routed line's tracking is in
// Shopify). Pure: order-state.ts loads the facts and combines the answer with
// what the supplier orders say.
import { z } from 'zod'
import type { OrderState } from '../../db/schema.ts'

/** shipments.items, as status sync writes it: our order line ids and how many of each are in the parcel. */
export const shipmentItemsSchema = z.array(z.object({ orderLineId: z.uuid(), quantity: z.number().int().positive() }))

export interface SentLine {
  readonly orderLineId: string
  /** What the live (not cancelled) supplier orders were asked to print. */
  readonly quantity: number
}

export interface ShipmentFacts {
  readonly syncState: 'pending' | 'synced' | 'failed'
  readonly error: string | null
  readonly items: ReadonlyArray<{ readonly orderLineId: string, readonly quantity: number }>
}

export type Derived = { readonly state: OrderState, readonly reason: string | null } | undefined

/**
 * `fulfilled` when every line sent to a supplier has its whole quantity in
 * shipments written to Shopify; `needs_attention` when a write-back failed.
 * Lines the merchant ships (supplier none) were never sent, so they never hold
 * this up and stay open in Shopify for the merchant.
 */
export function deriveFromShipments (sent: readonly SentLine[], shipments: readonly ShipmentFacts[]): Derived {
  const failed = shipments.find((s) => s.syncState === 'failed')
  if (failed) return { state: 'needs_attention', reason: `Shopify write-back failed: ${failed.error ?? 'see the timeline'}` }
  if (sent.length === 0) return undefined
  const written = new Map<string, number>()
  for (const shipment of shipments) {
    if (shipment.syncState !== 'synced') continue
    for (const item of shipment.items) written.set(item.orderLineId, (written.get(item.orderLineId) ?? 0) + item.quantity)
  }
  const open = sent.filter((line) => (written.get(line.orderLineId) ?? 0) < line.quantity)
  return open.length === 0 ? { state: 'fulfilled', reason: null } : undefined
}

/**
 * The supplier orders' word first where it is about a problem or the end of the
 * order (cancelled, needs_attention, held); then a failed write-back; then
 * `fulfilled`; otherwise whatever the supplier orders say.
 */
export function combineStates (fromSuppliers: Derived, fromShipments: Derived): Derived {
  const overriding = new Set<OrderState>(['cancelled', 'needs_attention', 'held'])
  if (fromSuppliers && overriding.has(fromSuppliers.state)) return fromSuppliers
  return fromShipments ?? fromSuppliers
}
