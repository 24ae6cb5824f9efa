// The one mapper from Shopify's order (as read by documents.ts) to our snapshot.
// Webhooks, reconciliation and replays all come through here (DESIGN.md), so the
// snapshot never depends on which trigger arrived or in what order.
import { AppError } from '../lib/errors.ts'
import type { FulfillmentOrderWire, FulfillmentWire, OrderWire } from './admin-wire.ts'
import { fulfillmentOrderSchema, fulfillmentSchema, orderSnapshotSchema, type Fulfillment, type FulfillmentOrder, type OrderSnapshot } from './order-snapshot.ts'

/** `order` must hold every page of its line items and fulfillment order line items. */
export function mapOrder (order: OrderWire): OrderSnapshot {
  const fulfillmentOrders = order.fulfillmentOrders.nodes.map(mapFulfillmentOrder)
  const remaining = new Map<string, number>()
  for (const fo of fulfillmentOrders) {
    for (const item of fo.lineItems) remaining.set(item.lineItemId, (remaining.get(item.lineItemId) ?? 0) + item.remainingQuantity)
  }
  const address = order.shippingAddress
  const snapshot = {
    id: order.id,
    legacyId: order.legacyResourceId,
    name: order.name,
    number: order.number,
    email: order.email,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    processedAt: order.processedAt,
    test: order.test,
    financialStatus: order.displayFinancialStatus,
    fulfillmentStatus: order.displayFulfillmentStatus,
    cancelledAt: order.cancelledAt,
    cancelReason: order.cancelReason,
    closed: order.closed,
    currencyCode: order.presentmentCurrencyCode,
    shippingAddress: address === null
      ? null
      : {
          firstName: address.firstName,
          lastName: address.lastName,
          name: address.name,
          company: address.company,
          address1: address.address1,
          address2: address.address2,
          city: address.city,
          province: address.province,
          provinceCode: address.provinceCode,
          country: address.country,
          countryCode: address.countryCodeV2,
          zip: address.zip,
          phone: address.phone
        },
    localizedFields: order.localizedFields.nodes.map((f) => ({ key: f.key, countryCode: f.countryCode, purpose: f.purpose, value: f.value })),
    shippingLines: order.shippingLines.nodes.map((s) => ({ id: s.id, title: s.title, code: s.code, source: s.source })),
    lines: order.lineItems.nodes.map((line) => ({
      id: line.id,
      name: line.name,
      title: line.title,
      variantTitle: line.variantTitle,
      vendor: line.vendor,
      sku: line.sku,
      variantId: line.variant?.id ?? null,
      productId: line.product?.id ?? null,
      quantity: line.quantity,
      currentQuantity: line.currentQuantity,
      requiresShipping: line.requiresShipping,
      isGiftCard: line.isGiftCard,
      properties: line.customAttributes.map((a) => ({ name: a.key, value: a.value ?? '' })),
      unitPrice: { amount: line.originalUnitPriceSet.shopMoney.amount, currencyCode: line.originalUnitPriceSet.shopMoney.currencyCode },
      remainingQuantity: remaining.get(line.id) ?? 0
    })),
    fulfillmentOrders,
    fulfillments: order.fulfillments.map(mapFulfillment)
  }
  return validated(orderSnapshotSchema, snapshot, order.id)
}

export function mapFulfillmentOrder (fo: FulfillmentOrderWire): FulfillmentOrder {
  const location = fo.assignedLocation.location
  return validated(fulfillmentOrderSchema, {
    id: fo.id,
    status: fo.status,
    requestStatus: fo.requestStatus,
    updatedAt: fo.updatedAt,
    location: {
      id: location?.id ?? null,
      name: fo.assignedLocation.name,
      fulfillmentServiceHandle: location?.isFulfillmentService ? location.fulfillmentService?.handle ?? fo.assignedLocation.name : null
    },
    holds: fo.fulfillmentHolds.map((h) => ({ id: h.id, reason: h.reason, reasonNotes: h.reasonNotes })),
    lineItems: fo.lineItems.nodes.map((item) => ({
      id: item.id,
      lineItemId: item.lineItem.id,
      totalQuantity: item.totalQuantity,
      remainingQuantity: item.remainingQuantity
    }))
  }, fo.id)
}

export function mapFulfillment (fulfillment: FulfillmentWire): Fulfillment {
  return validated(fulfillmentSchema, {
    id: fulfillment.id,
    status: fulfillment.status,
    createdAt: fulfillment.createdAt,
    updatedAt: fulfillment.updatedAt,
    tracking: fulfillment.trackingInfo.map((t) => ({ company: t.company, number: t.number, url: t.url })),
    lineItems: fulfillment.fulfillmentLineItems.nodes.map((item) => ({ id: item.id, lineItemId: item.lineItem.id, quantity: item.quantity ?? 0 }))
  }, fulfillment.id)
}

function validated<T> (schema: { safeParse: (value: unknown) => { success: true, data: T } | { success: false, error: Error } }, value: unknown, id: string): T {
  const result = schema.safeParse(value)
  if (!result.success) throw new AppError('upstream_invalid_response', `Shopify's ${id} did not map to a valid snapshot`, { cause: result.error, detail: { id } })
  return result.data
}
