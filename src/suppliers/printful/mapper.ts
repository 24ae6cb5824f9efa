// Our domain to Printful v1 and back. The domain never sees these shapes.
import type { SupplierAccepted, SupplierObservation, SupplierOrderDraft, SupplierShipment, SupplierStatus } from '../common/supplier.ts'
import { storedPrintfulRef, type PrintfulItemRef } from './item-ref.ts'
import type { PfOrderBody, PfOrderWire, PfShipmentWire } from './wire.ts'

export function toPrintfulOrder (draft: SupplierOrderDraft): PfOrderBody {
  const r = draft.recipient
  const recipient: Record<string, string> = { name: r.name, address1: r.address1, city: r.city, country_code: r.countryCode }
  if (r.company) recipient.company = r.company
  if (r.address2) recipient.address2 = r.address2
  if (r.stateCode) recipient.state_code = r.stateCode
  if (r.zip) recipient.zip = r.zip
  if (r.phone) recipient.phone = r.phone
  if (r.email) recipient.email = r.email
  if (r.taxNumber) recipient.tax_number = r.taxNumber
  const body: PfOrderBody = {
    external_id: draft.externalId,
    recipient,
    items: draft.items.map((item) => ({
      // Our line id as the item external_id: it names the line in shipments (§1.7 items[].item_id → external_id).
      external_id: item.lineRef,
      quantity: item.quantity,
      ...(item.retailPrice ? { retail_price: item.retailPrice } : {}),
      ...(item.name ? { name: item.name } : {}),
      ...(item.sku ? { sku: item.sku } : {}),
      ...refFields(storedPrintfulRef(item.ref))
    }))
  }
  if (typeof draft.shipping === 'string') body.shipping = draft.shipping
  if (draft.retailCosts) {
    body.retail_costs = compact({ currency: draft.currency, subtotal: draft.retailCosts.subtotal, discount: draft.retailCosts.discount, shipping: draft.retailCosts.shipping, tax: draft.retailCosts.tax })
  }
  const slip = draft.packingSlip
  if (slip) {
    body.packing_slip = compact({ email: slip.email, phone: slip.phone, message: slip.message, store_name: slip.storeName, logo_url: slip.logoUrl, custom_order_id: slip.customOrderId ?? draft.label })
  }
  return body
}

function refFields (ref: PrintfulItemRef | undefined): Record<string, unknown> {
  if (!ref) return {}
  if ('syncVariantId' in ref) return { sync_variant_id: Number(ref.syncVariantId) }
  if ('externalVariantId' in ref) return { external_variant_id: ref.externalVariantId }
  return { variant_id: Number(ref.variantId), files: ref.files.map((file) => ({ type: file.type, url: file.url })) }
}

function compact (values: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(values)) if (value !== undefined && value !== '') out[key] = value
  return out
}

/** v1 statuses (§1.4) to ours. */
export function printfulStatus (order: Pick<PfOrderWire, 'status' | 'shipments'>): SupplierStatus {
  switch (order.status) {
    case 'draft': return 'draft'
    case 'pending': return 'pending'
    case 'failed': return 'failed'
    case 'canceled': return 'cancelled'
    case 'inprocess': return 'in_production'
    case 'onhold': return 'on_hold'
    case 'partial': return 'partially_shipped'
    case 'fulfilled': return 'shipped'
    // "archived" (v1 only) hides an old order: it shipped if it has shipments, otherwise it never will.
    case 'archived': return (order.shipments?.length ?? 0) > 0 ? 'shipped' : 'cancelled'
    default: return 'pending'
  }
}

export function toAccepted (order: PfOrderWire, externalId: string): SupplierAccepted {
  return { supplierOrderId: String(order.id), externalId: order.external_id ?? externalId, status: printfulStatus(order) }
}

export function toObservation (order: PfOrderWire, externalId?: string): SupplierObservation {
  const status = printfulStatus(order)
  const reason = order.error ?? (status === 'on_hold' ? 'onhold' : undefined)
  return {
    supplierOrderId: String(order.id),
    externalId: order.external_id ?? externalId ?? '',
    status,
    ...(reason ? { statusReason: reason } : {}),
    observedAt: unixToIso(order.updated),
    shipments: (order.shipments ?? []).map((shipment) => toShipment(shipment, order))
  }
}

export function toShipment (shipment: PfShipmentWire, order?: Pick<PfOrderWire, 'items'>): SupplierShipment {
  const tracking = shipment.tracking_number === null || shipment.tracking_number === undefined ? '' : String(shipment.tracking_number)
  const shippedAt = shipment.shipped_at ?? shipment.created
  return {
    supplierShipmentId: String(shipment.id),
    carrier: shipment.carrier ?? '',
    ...(shipment.service ? { service: shipment.service } : {}),
    ...(tracking !== '' ? { trackingNumber: tracking } : {}),
    ...(shipment.tracking_url ? { trackingUrl: shipment.tracking_url } : {}),
    shippedAt: shippedAt === null || shippedAt === undefined ? unixToIso(0) : timeToIso(shippedAt, shipment.ship_date),
    ...(shipment.reshipment ? { reshipment: true } : {}),
    items: (shipment.items ?? []).map((item) => {
      const line = order?.items.find((candidate) => candidate.id === item.item_id)
      return { ...(line?.external_id ? { lineRef: line.external_id } : {}), ...(line?.sku ? { sku: line.sku } : {}), quantity: item.quantity }
    })
  }
}

export function unixToIso (seconds: number): string {
  return new Date(seconds * 1000).toISOString()
}

/** shipped_at is "UNIX" but typed string (§1.7): a number, a numeric string, or else the ship date. */
function timeToIso (value: number | string, shipDate: string | null | undefined): string {
  if (typeof value === 'number') return unixToIso(value)
  // Each reading must make a real Date: an out-of-range one would throw in toISOString (found by fuzzing).
  const candidates = [/^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value), shipDate ? Date.parse(`${shipDate}T00:00:00Z`) : Number.NaN]
  const ms = candidates.find((candidate) => Math.abs(candidate) <= 8.64e15)
  return ms === undefined ? unixToIso(0) : new Date(ms).toISOString()
}
