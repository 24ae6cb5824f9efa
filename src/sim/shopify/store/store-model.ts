// The simulated store's state: plain records keyed by numeric id strings, a
// deterministic id sequence and clock, and the webhooks each change produces.
// Operations live in store-orders.ts and store-fulfillment.ts.

export type FinancialStatus = 'PENDING' | 'AUTHORIZED' | 'PAID' | 'PARTIALLY_PAID' | 'PARTIALLY_REFUNDED' | 'REFUNDED' | 'VOIDED' | 'EXPIRED'
export type FulfillmentOrderStatus = 'OPEN' | 'IN_PROGRESS' | 'ON_HOLD' | 'SCHEDULED' | 'INCOMPLETE' | 'CLOSED' | 'CANCELLED'

export interface SimAddress {
  firstName: string | null
  lastName: string | null
  company: string | null
  address1: string | null
  address2: string | null
  city: string | null
  province: string | null
  provinceCode: string | null
  country: string | null
  countryCode: string | null
  zip: string | null
  phone: string | null
}

export interface SimLocation { id: string, name: string, fulfillmentServiceHandle: string | null }

export interface SimVariant { id: string, productId: string, sku: string | null, title: string, productTitle: string, vendor: string }

export interface SimLineItem {
  id: string
  productId: string | null
  variantId: string | null
  sku: string | null
  title: string
  variantTitle: string | null
  vendor: string | null
  quantity: number
  /** After edits and refunds, as Shopify's current_quantity. */
  currentQuantity: number
  price: string
  requiresShipping: boolean
  giftCard: boolean
  properties: Array<{ name: string, value: string }>
}

export interface SimFulfillmentOrderLine { id: string, lineItemId: string, totalQuantity: number, remainingQuantity: number }
export interface SimHold { id: string, reason: string, reasonNotes: string | null }

export interface SimFulfillmentOrder {
  id: string
  orderId: string
  locationId: string
  status: FulfillmentOrderStatus
  requestStatus: string
  holds: SimHold[]
  lines: SimFulfillmentOrderLine[]
  createdAt: string
  updatedAt: string
}

export interface SimTracking { company: string | null, number: string | null, url: string | null }

export interface SimFulfillment {
  id: string
  orderId: string
  locationId: string
  status: 'SUCCESS' | 'CANCELLED'
  createdAt: string
  updatedAt: string
  tracking: SimTracking[]
  notifyCustomer: boolean
  lines: Array<{ id: string, lineItemId: string, fulfillmentOrderId: string, quantity: number }>
}

export interface SimRefund { id: string, createdAt: string, note: string | null, lines: Array<{ id: string, lineItemId: string, quantity: number }> }

export interface SimOrder {
  id: string
  orderNumber: number
  email: string | null
  createdAt: string
  updatedAt: string
  processedAt: string
  test: boolean
  financialStatus: FinancialStatus
  cancelledAt: string | null
  cancelReason: string | null
  closedAt: string | null
  currency: string
  note: string | null
  tags: string[]
  shippingAddress: SimAddress | null
  localizedFields: Array<{ key: string, countryCode: string, purpose: string, title: string, value: string }>
  shippingLines: Array<{ id: string, title: string, code: string | null, source: string, price: string }>
  lines: SimLineItem[]
  fulfillmentOrderIds: string[]
  fulfillments: SimFulfillment[]
  refunds: SimRefund[]
}

export interface SimWebhookSubscription { id: string, topic: string, uri: string, createdAt: string }

export type ProductStatus = 'ACTIVE' | 'DRAFT' | 'ARCHIVED' | 'UNLISTED'

export interface SimProductOption { id: string, name: string, values: Array<{ id: string, name: string }> }

export interface SimProductVariant {
  id: string
  inventoryItemId: string
  sku: string | null
  price: string
  compareAtPrice: string | null
  optionValues: Array<{ optionName: string, name: string }>
  tracked: boolean
  weight: { unit: string, value: number } | null
  /** The product media shown for this variant. */
  mediaId: string | null
}

export interface SimMedia { id: string, originalSource: string, alt: string | null }

export interface SimProduct {
  id: string
  handle: string
  title: string
  descriptionHtml: string
  vendor: string
  productType: string
  tags: string[]
  status: ProductStatus
  seo: { title: string | null, description: string | null }
  /** The `id`-typed metafield productSet's customId identifier names. */
  customId: { namespace: string, key: string, value: string } | null
  options: SimProductOption[]
  variants: SimProductVariant[]
  media: SimMedia[]
  publicationIds: string[]
  createdAt: string
  updatedAt: string
}

export interface SimMetafieldDefinition { id: string, name: string, ownerType: string, namespace: string, key: string, type: string }

export interface SimPublication { id: string, title: string }

export interface ProductCounters {
  /** productSet documents received (a test asserts an unchanged re-push sends none). */
  productSetCalls: number
  /** Variants the store has beyond those modelled here (the control that stands in for a big catalog). */
  otherVariants: number
  /** When each variant was created over the API, ms: the rolling day of the variant creation limit. */
  variantCreations: number[]
}

/** A change the store announces: REST topic (orders/paid) and the body built for it. */
export interface SimEvent { topic: string, body: unknown }

/** The shop's own settings, as the merchant set them in the admin. */
export interface ShopSettings {
  /** Shop.currencyCode: "the three letter code for the currency that the shop sells in" (2026-10 schema). */
  currencyCode: string
}

export interface StoreState {
  readonly shopDomain: string
  readonly shop: ShopSettings
  readonly orders: Map<string, SimOrder>
  readonly fulfillmentOrders: Map<string, SimFulfillmentOrder>
  readonly fulfillments: Map<string, SimFulfillment>
  readonly locations: Map<string, SimLocation>
  readonly variants: Map<string, SimVariant>
  readonly subscriptions: SimWebhookSubscription[]
  readonly products: Map<string, SimProduct>
  readonly metafieldDefinitions: SimMetafieldDefinition[]
  readonly publications: SimPublication[]
  readonly productCounters: ProductCounters
  readonly primaryLocationId: string
  /** The store's clock, ms. */
  now (): number
  nextId (): string
  nextOrderNumber (): number
  /** A timestamp strictly later than the previous one, so every change moves updated_at. */
  tick (): string
  /** The time of the latest change (what its webhooks carry as X-Shopify-Triggered-At). */
  lastTick (): string
}

// Ids start above 2^53 so anything that rounds them through a JS number shows up in tests
// (shopify.md §2.2: real sample ids such as 820982911946154508 exceed Number.MAX_SAFE_INTEGER).
const firstId = 9_007_199_254_741_000n

export function createStoreState (shopDomain: string, clock: () => number, shop: ShopSettings = { currencyCode: 'USD' }): StoreState {
  let id = firstId
  let orderNumber = 1000
  let last = 0
  const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z')
  const locations = new Map<string, SimLocation>()
  const primary: SimLocation = { id: String(id++), name: 'Shop location', fulfillmentServiceHandle: null }
  locations.set(primary.id, primary)
  // A new shop's sales channels: the Online Store and Point of Sale, each with its publication
  // (https://shopify.dev/docs/api/admin-graphql/latest/objects/Publication). Their ids sit below the
  // sequence, so adding them moved no other id.
  const publications: SimPublication[] = [{ id: String(firstId - 10n), title: 'Online Store' }, { id: String(firstId - 9n), title: 'Point of Sale' }]
  return {
    shopDomain,
    shop: { ...shop },
    orders: new Map(),
    fulfillmentOrders: new Map(),
    fulfillments: new Map(),
    locations,
    variants: new Map(),
    subscriptions: [],
    products: new Map(),
    metafieldDefinitions: [],
    publications,
    productCounters: { productSetCalls: 0, otherVariants: 0, variantCreations: [] },
    primaryLocationId: primary.id,
    now: clock,
    nextId: () => String(id++),
    nextOrderNumber: () => ++orderNumber,
    tick () {
      // Shopify's timestamps have whole seconds.
      const now = Math.floor(clock() / 1000) * 1000
      last = Math.max(now, last + 1000)
      return iso(last)
    },
    lastTick: () => iso(last === 0 ? Math.floor(clock() / 1000) * 1000 : last)
  }
}

export function gid (type: string, id: string): string {
  return `gid://shopify/${type}/${id}`
}

/** Accepts a GID or a bare numeric id; returns the numeric part. */
export function numericId (id: string): string {
  const match = /^(?:gid:\/\/shopify\/\w+\/)?(\d+)$/.exec(id)
  return match?.[1] ?? id
}
