// Our domain to Gelato's Order API v4 and back. The domain never sees these shapes.
// One supplier order of ours can be several Gelato orders: Gelato may split an
// order across production hubs into connected orders sharing our
// orderReferenceId, each with its own id, status and parcels
// (https://dashboard.gelato.com/docs/orders/order_details/). They are merged
// here into one observation, so the domain keeps one supplier order per send.
import type { SupplierObservation, SupplierOrderDraft, SupplierShipment, SupplierStatus } from '../common/supplier.ts'
import { storedGelatoRef } from './item-ref.ts'
import type { GtOrderBody, GtOrderWire } from './wire.ts'

export function toGelatoOrder (draft: SupplierOrderDraft, opts: { confirm: boolean }): GtOrderBody {
  const r = draft.recipient
  const { first, last } = splitName(r.name)
  const address: Record<string, string> = { firstName: first, lastName: last, addressLine1: r.address1, city: r.city, postCode: r.zip ?? '', country: r.countryCode, email: r.email ?? '' }
  if (r.address2) address.addressLine2 = r.address2
  if (r.stateCode) address.state = r.stateCode
  if (r.company) address.companyName = r.company
  if (r.phone) address.phone = r.phone
  if (r.taxNumber) address.federalTaxId = r.taxNumber
  return {
    // "draft: orders that are not intended for immediate fulfillment" (order_details): a test order stays one.
    orderType: opts.confirm ? 'order' : 'draft',
    orderReferenceId: draft.externalId,
    // Required by v4/create; the draft carries no customer id of the store's, so the order's own reference stands in.
    customerReferenceId: draft.label ?? draft.externalId,
    currency: draft.currency ?? 'USD',
    items: draft.items.map((item) => {
      const ref = storedGelatoRef(item.ref)
      return {
        itemReferenceId: item.lineRef,
        productUid: ref?.productUid ?? '',
        quantity: item.quantity,
        ...(ref && ref.files.length > 0 ? { files: ref.files.map((f) => ({ type: f.type, url: f.url })) } : {})
      }
    }),
    // Absent: Gelato picks its method (v4/create shipmentMethodUid is optional).
    ...(typeof draft.shipping === 'string' ? { shipmentMethodUid: draft.shipping } : {}),
    shippingAddress: address
  }
}

/** Gelato wants first and last names; the last word is the last name. */
export function splitName (name: string): { first: string, last: string } {
  const words = name.trim().split(/\s+/)
  if (words.length < 2) return { first: words[0] ?? '', last: words[0] ?? '' }
  return { first: words.slice(0, -1).join(' '), last: words.at(-1) ?? '' }
}

/**
 * Order statuses (https://dashboard.gelato.com/docs/orders/order_details/
 * "Order statuses") to ours. Statuses the table does not list (a new one) are
 * `pending` with the word kept as the reason: nothing is assumed shipped.
 */
export function gelatoStatus (status: string): { status: SupplierStatus, reason?: string } {
  switch (status) {
    case 'created':
    case 'uploading':
    case 'passed':
      return { status: 'pending' }
    // Embroidery waiting for digitizing: still before production.
    case 'digitizing': return { status: 'pending', reason: 'digitizing' }
    case 'draft': return { status: 'draft' }
    // Waiting for a person at Gelato or the merchant: "will not be printed ... if it is not approved".
    case 'pending_approval':
    case 'pending_personalization':
    case 'not_connected':
    case 'on_hold':
      return { status: 'on_hold', reason: status }
    case 'in_production':
    case 'printed':
      return { status: 'in_production' }
    // "Shipped", "In transit", "Delivered", "Returned" in Gelato's status list
    // (https://support.gelato.com/en/articles/8996125), spelt as the API's
    // fulfillmentStatus values are (snake case, as in_production).
    case 'shipped':
    case 'in_transit':
    case 'delivered':
      return { status: 'shipped' }
    case 'returned': return { status: 'returned' }
    // "invalid shipping address, payment failure, ... Out of Stock": a refusal that may come after creation.
    case 'failed': return { status: 'failed', reason: 'failed' }
    case 'canceled': return { status: 'cancelled' }
    default: return { status: 'pending', reason: status }
  }
}

/** How far along an order is, for "the least advanced part" of a split order. */
const progress: Readonly<Record<SupplierStatus, number>> = {
  failed: 0, on_hold: 1, draft: 2, pending: 3, in_production: 4, partially_shipped: 5, shipped: 6, returned: 6, cancelled: 7
}

/**
 * The connected orders as one observation of our supplier order: the least
 * advanced part's status (a failed or held part puts the whole in front of a
 * person; a cancelled part counts only when every part is cancelled), and
 * `partially_shipped` while some parts have shipped and others not. Shipments
 * come from every part, each package by its own id. `primaryId` is the id we
 * stored at creation; the newest updatedAt of any part is the "as of" time.
 */
export function toObservation (parts: readonly GtOrderWire[], primaryId: string, externalId: string): SupplierObservation {
  const read = parts.map((order) => ({ order, ...gelatoStatus(order.fulfillmentStatus) }))
  const live = read.filter((p) => p.status !== 'cancelled')
  const considered = live.length > 0 ? live : read
  const least = [...considered].sort((a, b) => progress[a.status] - progress[b.status])[0]
  const anyShipped = considered.some((p) => p.status === 'shipped' || p.status === 'partially_shipped')
  let status: SupplierStatus = least?.status ?? 'pending'
  if (anyShipped && (status === 'pending' || status === 'in_production' || status === 'draft')) status = 'partially_shipped'
  const reasons = considered.filter((p) => p.status === status && p.reason).map((p) => considered.length > 1 ? `${p.order.id}: ${p.reason ?? ''}` : p.reason ?? '')
  const times = parts.map((o) => o.updatedAt ?? o.createdAt).map(toIso).sort()
  const observedAt = times.at(-1) ?? new Date(0).toISOString()
  return {
    supplierOrderId: primaryId,
    externalId,
    status,
    ...(reasons.length > 0 ? { statusReason: reasons.join('; ') } : {}),
    observedAt,
    shipments: parts.flatMap((order) => toShipments(order))
  }
}

/** Each package with a tracking code is one parcel; its items are ours by itemReferenceId (our line id). */
function toShipments (order: GtOrderWire): SupplierShipment[] {
  const packages = order.shipment?.packages ?? []
  const shippedAt = toIso(order.updatedAt ?? order.createdAt)
  const method = order.shipment?.shipmentMethodName ?? order.shipment?.shipmentMethodUid ?? ''
  const { carrier, service } = gelatoCarrier(method)
  return packages.filter((p) => p.trackingCode).map((p) => ({
    supplierShipmentId: p.id,
    carrier,
    ...(service ? { service } : {}),
    ...(p.trackingCode ? { trackingNumber: p.trackingCode } : {}),
    ...(p.trackingUrl ? { trackingUrl: p.trackingUrl } : {}),
    shippedAt,
    ...(order.fulfillmentStatus === 'delivered' ? { deliveredAt: shippedAt } : {}),
    items: (p.orderItemIds ?? order.items.map((i) => i.id)).flatMap((id) => {
      const item = order.items.find((i) => i.id === id)
      return item?.itemReferenceId ? [{ lineRef: item.itemReferenceId, quantity: item.quantity }] : []
    })
  }))
}

// Carrier names at the start of Gelato's shipment method names ("DHL Express
// Domestic BR" in the webhooks page's sample, "UPS Standard", "Royal Mail 48"):
// the carrier as the write-back's table (src/shopify/carriers.ts) knows it, the
// method name kept as the service so "DHL" is settled by it.
const carrierPrefixes: readonly [RegExp, string][] = [
  [/^dhl\b/i, 'DHL'], [/^ups\b/i, 'UPS'], [/^usps\b/i, 'USPS'], [/^fedex\b/i, 'FedEx'], [/^royal mail\b/i, 'Royal Mail'],
  [/^dpd\b/i, 'DPD'], [/^gls\b/i, 'GLS'], [/^postnl\b/i, 'PostNL'], [/^deutsche post\b/i, 'Deutsche Post'], [/^canada post\b/i, 'Canada Post'],
  [/^australia post\b/i, 'Australia Post'], [/^correos\b/i, 'Correos'], [/^colissimo\b/i, 'Colissimo'], [/^la poste\b/i, 'La Poste Colissimo'],
  [/^poste italiane\b/i, 'Poste Italiane'], [/^(evri|hermes)\b/i, 'Evri'], [/^tnt\b/i, 'TNT'], [/^purolator\b/i, 'Purolator'],
  [/^new zealand post\b/i, 'New Zealand Post'], [/^japan post\b/i, 'Japan Post (EN)'], [/^correios\b/i, 'Correios'], [/^bpost\b/i, 'BPost']
]

export function gelatoCarrier (method: string): { carrier: string, service?: string } {
  const name = method.trim()
  const found = carrierPrefixes.find(([pattern]) => pattern.test(name))
  if (!found) return { carrier: name }
  return { carrier: found[1], ...(name !== found[1] ? { service: name } : {}) }
}

/** "2021-01-14T12:32:03+00:00" → ISO UTC. */
export function toIso (value: string): string {
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? new Date(0).toISOString() : new Date(ms).toISOString()
}
