// Webhook bodies in Shopify's REST shape (shopify.md §2.2; samples in
// test/fixtures/shopify). Ids are JSON numbers, as Shopify sends them, written
// with JSON.rawJSON so ids above 2^53 reach the wire exact: never through a JS number.
import { gid, type SimFulfillment, type SimFulfillmentOrder, type SimLineItem, type SimOrder, type SimRefund, type StoreState } from './store-model.ts'

const rawJSON = (JSON as unknown as { rawJSON: (text: string) => unknown }).rawJSON

/** A numeric id as an exact JSON number. */
export function idNumber (id: string): unknown {
  return rawJSON(id)
}

/** REST times carry an offset, not Z (the samples show "2021-12-31T19:00:00-05:00"); the sim's shop runs on UTC. */
function restTime (iso: string | null): string | null {
  return iso === null ? null : iso.replace(/Z$/, '+00:00')
}

function cents (amount: string): number {
  return Math.round(Number(amount) * 100)
}

function money (value: number): string {
  return (value / 100).toFixed(2)
}

function fulfilledQuantity (order: SimOrder, lineItemId: string): number {
  return order.fulfillments.filter((f) => f.status === 'SUCCESS')
    .flatMap((f) => f.lines).filter((l) => l.lineItemId === lineItemId).reduce((sum, l) => sum + l.quantity, 0)
}

export function restFulfillmentStatus (order: SimOrder): string | null {
  const ordered = order.lines.filter((l) => l.requiresShipping).reduce((sum, l) => sum + l.currentQuantity, 0)
  const fulfilled = order.lines.reduce((sum, l) => sum + fulfilledQuantity(order, l.id), 0)
  if (fulfilled === 0) return null
  return fulfilled >= ordered ? 'fulfilled' : 'partial'
}

function restLine (order: SimOrder, line: SimLineItem, state: StoreState): Record<string, unknown> {
  const fulfilled = fulfilledQuantity(order, line.id)
  const remaining = order.fulfillmentOrderIds.map((id) => state.fulfillmentOrders.get(id))
    .flatMap((fo) => fo?.lines ?? []).filter((l) => l.lineItemId === line.id).reduce((sum, l) => sum + l.remainingQuantity, 0)
  return {
    id: idNumber(line.id),
    admin_graphql_api_id: gid('LineItem', line.id),
    current_quantity: line.currentQuantity,
    fulfillable_quantity: remaining,
    fulfillment_service: 'manual',
    fulfillment_status: fulfilled === 0 ? null : fulfilled >= line.currentQuantity ? 'fulfilled' : 'partial',
    gift_card: line.giftCard,
    grams: 100,
    name: line.variantTitle ? `${line.title} - ${line.variantTitle}` : line.title,
    price: line.price,
    product_exists: line.productId !== null,
    product_id: line.productId === null ? null : idNumber(line.productId),
    properties: line.properties,
    quantity: line.quantity,
    requires_shipping: line.requiresShipping,
    sku: line.sku,
    taxable: true,
    title: line.title,
    total_discount: '0.00',
    variant_id: line.variantId === null ? null : idNumber(line.variantId),
    variant_inventory_management: null,
    variant_title: line.variantTitle,
    vendor: line.vendor,
    tax_lines: [],
    duties: [],
    discount_allocations: []
  }
}

function restAddress (order: SimOrder): Record<string, unknown> | null {
  const a = order.shippingAddress
  if (!a) return null
  return {
    first_name: a.firstName,
    last_name: a.lastName,
    name: [a.firstName, a.lastName].filter(Boolean).join(' '),
    company: a.company,
    address1: a.address1,
    address2: a.address2,
    city: a.city,
    province: a.province,
    province_code: a.provinceCode,
    country: a.country,
    country_code: a.countryCode,
    zip: a.zip,
    phone: a.phone,
    latitude: null,
    longitude: null
  }
}

export function restFulfillment (order: SimOrder, fulfillment: SimFulfillment, state: StoreState): Record<string, unknown> {
  const first = fulfillment.tracking[0]
  return {
    id: idNumber(fulfillment.id),
    admin_graphql_api_id: gid('Fulfillment', fulfillment.id),
    order_id: idNumber(order.id),
    location_id: idNumber(fulfillment.locationId),
    status: fulfillment.status === 'SUCCESS' ? 'success' : 'cancelled',
    created_at: restTime(fulfillment.createdAt),
    updated_at: restTime(fulfillment.updatedAt),
    service: 'manual',
    shipment_status: null,
    tracking_company: first?.company ?? null,
    tracking_number: first?.number ?? null,
    tracking_numbers: fulfillment.tracking.map((t) => t.number).filter((n) => n !== null),
    tracking_url: first?.url ?? null,
    tracking_urls: fulfillment.tracking.map((t) => t.url).filter((u) => u !== null),
    name: `#${order.orderNumber}.${order.fulfillments.indexOf(fulfillment) + 1}`,
    line_items: fulfillment.lines.map((fl) => {
      const line = order.lines.find((l) => l.id === fl.lineItemId)
      return line ? { ...restLine(order, line, state), quantity: fl.quantity } : { id: idNumber(fl.lineItemId), quantity: fl.quantity }
    })
  }
}

function restRefund (order: SimOrder, refund: SimRefund, state: StoreState): Record<string, unknown> {
  return {
    id: idNumber(refund.id),
    admin_graphql_api_id: gid('Refund', refund.id),
    order_id: idNumber(order.id),
    created_at: restTime(refund.createdAt),
    processed_at: restTime(refund.createdAt),
    note: refund.note,
    restock: true,
    refund_line_items: refund.lines.map((rl) => {
      const line = order.lines.find((l) => l.id === rl.lineItemId)
      return {
        id: idNumber(rl.id),
        line_item_id: idNumber(rl.lineItemId),
        quantity: rl.quantity,
        restock_type: 'cancel',
        subtotal: line ? money(cents(line.price) * rl.quantity) : '0.00',
        line_item: line ? restLine(order, line, state) : null
      }
    }),
    transactions: [],
    order_adjustments: []
  }
}

/** The REST Order resource as orders/* webhooks carry it. */
export function restOrder (order: SimOrder, state: StoreState): Record<string, unknown> {
  const subtotal = order.lines.reduce((sum, l) => sum + cents(l.price) * l.currentQuantity, 0)
  const shipping = order.shippingLines.reduce((sum, s) => sum + cents(s.price), 0)
  return {
    id: idNumber(order.id),
    admin_graphql_api_id: gid('Order', order.id),
    name: `#${order.orderNumber}`,
    order_number: order.orderNumber,
    number: order.orderNumber - 1000,
    email: order.email,
    contact_email: order.email,
    created_at: restTime(order.createdAt),
    updated_at: restTime(order.updatedAt),
    processed_at: restTime(order.processedAt),
    cancelled_at: restTime(order.cancelledAt),
    cancel_reason: order.cancelReason?.toLowerCase() ?? null,
    closed_at: restTime(order.closedAt),
    confirmed: true,
    currency: order.currency,
    presentment_currency: order.currency,
    financial_status: order.financialStatus.toLowerCase(),
    fulfillment_status: restFulfillmentStatus(order),
    test: order.test,
    note: order.note,
    note_attributes: [],
    tags: order.tags.join(', '),
    source_name: 'web',
    subtotal_price: money(subtotal),
    current_subtotal_price: money(subtotal),
    total_price: money(subtotal + shipping),
    current_total_price: money(subtotal + shipping),
    total_tax: '0.00',
    total_discounts: '0.00',
    shipping_address: restAddress(order),
    billing_address: restAddress(order),
    shipping_lines: order.shippingLines.map((s) => ({
      id: idNumber(s.id), title: s.title, code: s.code, price: s.price, discounted_price: s.price, source: s.source,
      carrier_identifier: null, requested_fulfillment_service_id: null, is_removed: false, phone: null, tax_lines: [], discount_allocations: []
    })),
    line_items: order.lines.map((l) => restLine(order, l, state)),
    fulfillments: order.fulfillments.map((f) => restFulfillment(order, f, state)),
    refunds: order.refunds.map((r) => restRefund(order, r, state))
  }
}

export function restRefundEvent (order: SimOrder, refund: SimRefund, state: StoreState): Record<string, unknown> {
  return restRefund(order, refund, state)
}

/** fulfillment_orders/* bodies name the fulfillment order by GID, in lowercase statuses. */
export function restFulfillmentOrderRef (fo: SimFulfillmentOrder): Record<string, unknown> {
  return {
    id: gid('FulfillmentOrder', fo.id),
    status: fo.status.toLowerCase(),
    assigned_location_id: gid('Location', fo.locationId),
    fulfillment_holds: fo.holds.map((h) => ({ id: gid('FulfillmentHold', h.id), reason: h.reason.toLowerCase(), reason_notes: h.reasonNotes }))
  }
}
