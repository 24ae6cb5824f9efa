// Our domain to Printify v1 and back. The domain never sees these shapes.
import type { SupplierLineIdentity, SupplierObservation, SupplierOrderDraft, SupplierShipment, SupplierStatus } from '../common/supplier.ts'
import { storedPrintifyRef, type PrintifyItemRef } from './item-ref.ts'
import { printifyTimeToIso, type PyOrderBody, type PyOrderWire } from './wire.ts'

export function toPrintifyOrder (draft: SupplierOrderDraft): PyOrderBody {
  const r = draft.recipient
  const { first, last } = splitName(r.name)
  const address: Record<string, string> = { first_name: first, last_name: last, country: r.countryCode, region: r.stateCode ?? '', address1: r.address1, city: r.city, zip: r.zip ?? '' }
  if (r.address2) address.address2 = r.address2
  if (r.email) address.email = r.email
  if (r.phone) address.phone = r.phone
  if (r.company) address.company = r.company
  return {
    external_id: draft.externalId,
    label: labelFor(draft),
    line_items: draft.items.map((item) => ({ ...lineRef(storedPrintifyRef(item.ref)), quantity: item.quantity })),
    // 1 = standard (§2.4 shipping_method).
    shipping_method: typeof draft.shipping === 'number' ? draft.shipping : 1,
    // Shopify tells the customer when we write the fulfillment.
    send_shipping_notification: false,
    address_to: address
  }
}

/**
 * The Shopify order name followed by our external id ("#1001 pb-1001-y1"):
 * merchants still see the name, and `find` can match the id even where
 * Printify does not give the external_id back in metadata.shop_order_id (a
 * number in the documented sample, §2.4).
 */
export function labelFor (draft: SupplierOrderDraft): string {
  return draft.label ? `${draft.label} ${draft.externalId}` : draft.externalId
}

/** Ours when metadata.shop_order_id is our external id, or the label's last word is (labelFor). */
export function isOrderFor (order: PyOrderWire, externalId: string): boolean {
  const id = order.metadata?.shop_order_id
  if (id !== null && id !== undefined && String(id) === externalId) return true
  return labelId(order) === externalId
}

function labelId (order: PyOrderWire): string | undefined {
  return order.metadata?.shop_order_label?.trim().split(/\s+/).at(-1) || undefined
}

function lineRef (ref: PrintifyItemRef | undefined): Record<string, unknown> {
  if (!ref) return {}
  if ('sku' in ref) return { sku: ref.sku }
  if ('blueprintId' in ref) return { blueprint_id: Number(ref.blueprintId), print_provider_id: Number(ref.printProviderId), variant_id: Number(ref.variantId), print_areas: ref.printAreas }
  return { product_id: ref.productId, variant_id: Number(ref.variantId) }
}

/** Printify wants first and last names; Shopify gives both, our draft one: the last word is the last name. */
export function splitName (name: string): { first: string, last: string } {
  const words = name.trim().split(/\s+/)
  if (words.length < 2) return { first: words[0] ?? '', last: words[0] ?? '' }
  return { first: words.slice(0, -1).join(' '), last: words.at(-1) ?? '' }
}

/** Order statuses (§2.4) to ours. */
export function printifyStatus (status: string): { status: SupplierStatus, reason?: string } {
  switch (status) {
    case 'pending': return { status: 'pending' }
    // Waiting for approval, or for the shop's auto-send (default 24 h).
    case 'on-hold': return { status: 'on_hold', reason: 'on-hold' }
    case 'payment-not-received': return { status: 'on_hold', reason: 'payment-not-received' }
    case 'sending-to-production': return { status: 'pending', reason: 'sending-to-production' }
    case 'in-production': return { status: 'in_production' }
    case 'partially-fulfilled': return { status: 'partially_shipped' }
    case 'fulfilled': return { status: 'shipped' }
    case 'canceled': return { status: 'cancelled' }
    case 'had-issues': return { status: 'failed', reason: 'had-issues' }
    default: return { status: 'pending', reason: status }
  }
}

/** Our external id: the label's last word (labelFor), which we wrote; else metadata.shop_order_id. */
export function externalIdOf (order: PyOrderWire): string | undefined {
  const fromLabel = labelId(order)
  if (fromLabel) return fromLabel
  const id = order.metadata?.shop_order_id
  return id === null || id === undefined ? undefined : String(id)
}

export function toObservation (order: PyOrderWire, externalId?: string): SupplierObservation {
  const { status, reason } = printifyStatus(order.status)
  // Printify has no updated_at: the latest of its own timestamps stands for "as of" (DESIGN.md rule 3).
  const times = [order.created_at, order.sent_to_production_at, order.fulfilled_at,
    ...order.line_items.flatMap((l) => [l.sent_to_production_at, l.fulfilled_at]),
    ...(order.shipments ?? []).map((s) => s.delivered_at)].map(printifyTimeToIso).filter((t): t is string => t !== undefined).sort()
  const observedAt = times.at(-1) ?? new Date(0).toISOString()
  return {
    supplierOrderId: order.id,
    externalId: externalId !== undefined && isOrderFor(order, externalId) ? externalId : externalIdOf(order) ?? externalId ?? '',
    status,
    ...(reason ? { statusReason: reason } : {}),
    observedAt,
    shipments: toShipments(order, observedAt),
    lines: order.line_items.map(lineIdentity)
  }
}

type PyLine = PyOrderWire['line_items'][number]

/**
 * metadata.sku is Printify's own variant SKU (the documented sample's "168699843",
 * §2.6), the store's SKU only for products published from Printify; product_id +
 * variant_id (and print_provider_id, for products made from the order) name what we ordered.
 */
function lineIdentity (line: PyLine): SupplierLineIdentity {
  const sku = line.metadata?.sku
  const variantId = line.variant_id
  return {
    ...(sku ? { sku } : {}),
    ...(variantId === null || variantId === undefined
      ? {}
      : { variant: { variantId: String(variantId), ...(line.product_id ? { productId: line.product_id } : {}), ...(line.print_provider_id === null || line.print_provider_id === undefined ? {} : { printProviderId: String(line.print_provider_id) }) } })
  }
}

/**
 * The order's shipments carry no id, no ship time and no items (§2.4): the ship
 * time is estimated from the fulfilled lines, and items are named only when one
 * shipment holds every fulfilled line. Webhooks give the real ship time and SKUs.
 */
function toShipments (order: PyOrderWire, observedAt: string): SupplierShipment[] {
  const shipments = order.shipments ?? []
  const fulfilled = order.line_items.filter((line) => line.status === 'fulfilled')
  const shippedAt = [printifyTimeToIso(order.fulfilled_at), ...fulfilled.map((l) => printifyTimeToIso(l.fulfilled_at))].filter((t): t is string => t !== undefined).sort()[0] ?? observedAt
  return shipments.map((shipment) => {
    const number = shipment.number === null || shipment.number === undefined ? '' : String(shipment.number)
    const deliveredAt = printifyTimeToIso(shipment.delivered_at)
    return {
      carrier: shipment.carrier,
      ...(number ? { trackingNumber: number } : {}),
      ...(shipment.url ? { trackingUrl: shipment.url } : {}),
      shippedAt,
      ...(deliveredAt ? { deliveredAt } : {}),
      items: shipments.length === 1 ? fulfilled.map((line) => ({ ...lineIdentity(line), quantity: line.quantity })) : []
    }
  })
}
