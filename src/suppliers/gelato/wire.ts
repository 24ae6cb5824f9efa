// Gelato's Order API v4 and Product API v3 wire format as the client reads it.
// Ids are UUID strings, times ISO-8601 with an offset, money decimal strings.
// Sources (read 2026-12-04):
//   create  https://dashboard.gelato.com/docs/orders/v4/create
//   get     https://dashboard.gelato.com/docs/orders/v4/get
//   search  https://dashboard.gelato.com/docs/orders/v4/search
//   cancel  https://dashboard.gelato.com/docs/orders/v4/cancel
//   split   https://dashboard.gelato.com/docs/orders/order_details/ ("connectedOrderIds")
//   hooks   https://dashboard.gelato.com/docs/webhooks/
//   catalog https://dashboard.gelato.com/docs/products/product/search/
import { z } from 'zod'

const text = z.string().nullish()

/**
 * One parcel of an order: the v4 get sample's shipment.packages[] is
 * {id, orderItemIds, trackingCode, trackingUrl}, orderItemIds naming the
 * order items (items[].id) it holds. Before anything ships the create already
 * answers a shipment with "packages": [] (order_details' split example);
 * `shipment` null or absent is read the same.
 */
export const gtPackageSchema = z.object({
  id: z.string(),
  orderItemIds: z.array(z.string()).nullish(),
  trackingCode: text,
  trackingUrl: text
}).loose()

export const gtItemSchema = z.object({
  id: z.string(),
  itemReferenceId: text,
  productUid: z.string(),
  quantity: z.number().int(),
  fulfillmentStatus: text
}).loose()

export const gtOrderSchema = z.object({
  id: z.string(),
  orderType: text,
  orderReferenceId: z.string(),
  customerReferenceId: text,
  /** created, uploading, passed, in_production, printed, draft, failed, canceled, pending_approval, ... (order_details); shipped, in_transit, delivered, returned (support article 8996125) */
  fulfillmentStatus: z.string(),
  financialStatus: text,
  currency: text,
  createdAt: z.string(),
  updatedAt: text,
  items: z.array(gtItemSchema),
  shipment: z.object({
    id: text,
    shipmentMethodName: text,
    shipmentMethodUid: text,
    packages: z.array(gtPackageSchema).nullish()
  }).loose().nullish(),
  /** Non-empty when Gelato split the order across production hubs (Order Version 3 and above). */
  connectedOrderIds: z.array(z.string()).nullish()
}).loose()
export type GtOrderWire = z.infer<typeof gtOrderSchema>

/** POST /v4/orders:search answers {orders: [summary]}: no items, no shipment (read each with GET). */
export const gtSearchSchema = z.object({
  orders: z.array(z.object({
    id: z.string(),
    orderReferenceId: z.string(),
    fulfillmentStatus: z.string(),
    orderType: text,
    connectedOrderIds: z.array(z.string()).nullish(),
    createdAt: z.string(),
    updatedAt: text
  }).loose())
})
export type GtOrderSummary = z.infer<typeof gtSearchSchema>['orders'][number]

/** Error answers carry a `message` (and often a `code`); anything else is read by its status. */
export const gtErrorSchema = z.object({ code: z.union([z.string(), z.number()]).optional(), message: z.string().optional() }).loose()

/** GET /v3/catalogs: the catalog list (an array, or {data: [...]} in newer answers: both are read). */
export const gtCatalogListSchema = z.union([
  z.array(z.object({ catalogUid: z.string(), title: z.string() })),
  z.object({ data: z.array(z.object({ catalogUid: z.string(), title: z.string() })) }).transform((page) => page.data)
])

/** POST /v3/catalogs/{catalogUid}/products:search {limit, offset} → {products: [{productUid, attributes}], hits}. */
export const gtProductPageSchema = z.object({
  products: z.array(z.object({ productUid: z.string(), attributes: z.record(z.string(), z.unknown()).nullish() }).loose())
}).loose()

/**
 * Webhook events (https://dashboard.gelato.com/docs/webhooks/): `event` is
 *   order_status_updated {id os_..., orderId, storeId, orderReferenceId, fulfillmentStatus,
 *     items[{itemReferenceId, fulfillmentStatus, fulfillments[{trackingCode, trackingUrl, shipmentMethodName, shipmentMethodUid, fulfillmentCountry, ...}]}]};
 *   order_item_status_updated {id is_..., itemReferenceId, orderReferenceId, orderId, storeId, fulfillmentCountry, ..., status, comment, created};
 *   order_item_tracking_code_updated {id tc_..., orderId, storeId, itemReferenceId, orderReferenceId, trackingCode, trackingUrl,
 *     shipmentMethodName, shipmentMethodUid, productionCountry, ..., created};
 * and order_delivery_estimate_updated, which the bridge only stores. Every
 * event names the Gelato order (orderId) and our reference; none is signed.
 */
export const gtWebhookSchema = z.object({
  id: z.string(),
  event: z.string(),
  orderId: z.string(),
  orderReferenceId: text,
  fulfillmentStatus: text,
  itemReferenceId: text,
  status: text,
  trackingCode: text,
  trackingUrl: text,
  shipmentMethodName: text,
  shipmentMethodUid: text,
  comment: text,
  created: text
}).loose()
export type GtWebhookEvent = z.infer<typeof gtWebhookSchema>

export interface GtOrderBody {
  orderType: 'order' | 'draft'
  orderReferenceId: string
  customerReferenceId: string
  currency: string
  items: { itemReferenceId: string, productUid: string, quantity: number, files?: { type: string, url: string }[] }[]
  shipmentMethodUid?: string
  shippingAddress: Record<string, string>
}
