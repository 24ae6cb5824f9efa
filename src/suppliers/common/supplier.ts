// What the domain sees of any supplier (STYLE.md §5). Everything particular to
// one supplier (wire names, number ids, its time formats, cents, the shape of
// its item references) stays behind these types, in the supplier's own folder.
// Ids are strings; times are ISO-8601 UTC.

import type { ProductSource, PublishRequest } from './product.ts'

/** A supplier's name as the registry knows it (src/suppliers/registry.ts); checked there at the edge. */
export type SupplierName = string

export interface SupplierRecipient {
  readonly name: string
  readonly company?: string
  readonly address1: string
  readonly address2?: string
  readonly city: string
  readonly stateCode?: string
  readonly countryCode: string
  readonly zip?: string
  readonly phone?: string
  readonly email?: string
  readonly taxNumber?: string
}

export interface SupplierOrderItem {
  /** Our order line id; sent as the supplier's item external id where it has one. */
  readonly lineRef: string
  readonly sku?: string
  readonly name?: string
  readonly quantity: number
  /** Decimal string in the order's currency, e.g. "19.99" (shown on packing slips). */
  readonly retailPrice?: string
  /** What the mapping says to order, in the supplier's own shape (its descriptor's `itemRef.schema`). */
  readonly ref?: unknown
}

export interface SupplierOrderDraft {
  readonly externalId: string
  /** Display label (Printify `label`, Printful packing slip order id), e.g. the Shopify order name. */
  readonly label?: string
  readonly recipient: SupplierRecipient
  readonly items: readonly SupplierOrderItem[]
  /** Supplier shipping method as configured in SHIPPING_METHODS (its descriptor's schema); absent = the supplier's standard. */
  readonly shipping?: string | number
  /** A test order: never confirmed for production (how, the supplier's `testOrders` capability says). */
  readonly test: boolean
  readonly currency?: string
  readonly retailCosts?: { readonly subtotal?: string, readonly discount?: string, readonly shipping?: string, readonly tax?: string }
  readonly packingSlip?: { readonly email?: string, readonly phone?: string, readonly message?: string, readonly storeName?: string, readonly logoUrl?: string, readonly customOrderId?: string }
}

/** Our normalized view of the supplier's order status (DESIGN.md "State model"). */
export type SupplierStatus = 'draft' | 'pending' | 'on_hold' | 'in_production' | 'partially_shipped' | 'shipped' | 'failed' | 'cancelled' | 'returned'

export interface SupplierAccepted {
  readonly supplierOrderId: string
  readonly externalId: string
  readonly status: SupplierStatus
}

export interface SupplierRef {
  readonly supplierOrderId: string
  readonly externalId: string
}

/**
 * A variant as the supplier names it in its order reads (Printify line_items[]
 * product_id, variant_id, print_provider_id, §2.4): matched against what we
 * ordered by, since the supplier's SKU need not be the store's.
 */
export interface SupplierVariantRef {
  readonly productId?: string
  readonly variantId: string
  readonly printProviderId?: string
}

/** One line of the supplier's order as it identifies it: its own SKU beside the variant we ordered. */
export interface SupplierLineIdentity {
  /** The supplier's SKU (Printify line_items[].metadata.sku): what its shipment webhooks name. */
  readonly sku?: string
  readonly variant?: SupplierVariantRef
}

export interface SupplierShipmentItem {
  /** Our line id where the supplier names the item (Printful item external_id). */
  readonly lineRef?: string
  /** The supplier's SKU where it names only SKUs (Printify webhooks): not necessarily the store's. */
  readonly sku?: string
  readonly variant?: SupplierVariantRef
  /** Absent where the supplier does not say (Printify's shipment webhook names SKUs only, suppliers.md §2.5). */
  readonly quantity?: number
}

export interface SupplierShipment {
  /** Printful's shipment id; Printify gives none (merge by carrier + tracking number). */
  readonly supplierShipmentId?: string
  readonly carrier: string
  readonly service?: string
  readonly trackingNumber?: string
  readonly trackingUrl?: string
  readonly shippedAt: string
  readonly deliveredAt?: string
  readonly reshipment?: boolean
  readonly items: readonly SupplierShipmentItem[]
}

export interface SupplierObservation {
  readonly supplierOrderId: string
  readonly externalId: string
  readonly status: SupplierStatus
  /** The supplier's own words or status name when they explain the status (hold reason, failure). */
  readonly statusReason?: string
  /** The supplier's own timestamp for this state: compare these, never our clock (DESIGN.md rule 3). */
  readonly observedAt: string
  readonly shipments: readonly SupplierShipment[]
  /** The order's lines as the supplier identifies them, where its shipments name items by its own SKU (Printify). */
  readonly lines?: readonly SupplierLineIdentity[]
}

export interface FindContext {
  /** When the previous submission attempt for this external id began (ISO-8601), from our timeline. */
  readonly lastAttemptAt?: string
}

/** A rule broken before any request is made; `field` is a path into SupplierOrderDraft. */
export interface Problem {
  readonly field: string
  readonly message: string
}

/** One orderable variant of the supplier's catalog, for mapping import. */
export interface CatalogVariant {
  readonly supplier: SupplierName
  readonly productId: string
  readonly productName: string
  readonly variantId: string
  readonly variantName: string
  readonly sku?: string
  /** Printful sync variant external_id (the Shopify variant id in a linked store). */
  readonly externalId?: string
  readonly retailPrice?: string
  readonly currency?: string
  /** What a mapping stores to order this variant, in the supplier's item reference shape. */
  readonly ref: unknown
  /** The product's position in the catalog (0-based): where an interrupted import resumes. */
  readonly productIndex?: number
}

export interface CatalogOptions {
  /** Resume after this many products (their details are not fetched again). */
  readonly skipProducts?: number
}

export interface Supplier {
  readonly name: SupplierName
  /** Address and item rules, before any request. */
  check (order: SupplierOrderDraft): Problem[]
  /** Idempotent on order.externalId where the supplier allows it (Printful OR-13 adoption). */
  submit (order: SupplierOrderDraft, opts: { confirm: boolean }): Promise<SupplierAccepted>
  /**
   * Look-up before creating again; `draft` (what was sent) lets a supplier narrow its search, and
   * `context.lastAttemptAt` says when the previous attempt (possibly another process) began, for a
   * supplier whose search shows a new order only after a delay.
   */
  find (externalId: string, draft?: SupplierOrderDraft, context?: FindContext): Promise<SupplierAccepted | undefined>
  /** Many orders per request where the API allows; orders the supplier does not know are left out. */
  statuses (refs: readonly SupplierRef[]): Promise<SupplierObservation[]>
  cancel (ref: SupplierRef): Promise<'cancelled' | 'too_late'>
  /** Sends an order created unconfirmed (or sent back to draft) to production. */
  confirm (ref: SupplierRef): Promise<SupplierAccepted>
  /** Where the account is linked to a store (the double-import guard); absent where the supplier has no such link. */
  storeInfo? (): Promise<SupplierStoreInfo>
  /** Where the supplier lists its orders by status: many status reads in one request (the polling sweeper). */
  readonly orderList?: SupplierOrderList
  /** For mapping import. */
  catalog (options?: CatalogOptions): AsyncIterable<CatalogVariant>
  /** Where the supplier has products to push into the store (issue 18, ./product.ts). */
  readonly products?: ProductSource
}

/**
 * A supplier's order list, filtered by one of its own status names and read a
 * page at a time. The sweeper reads it instead of one order at a time; any
 * order it does not find there is read on its own, so the list's ordering and
 * completeness are an optimisation, never a correctness assumption.
 */
export interface SupplierOrderList {
  /** Orders per page at the supplier's maximum (Printful 100, Printify 10). */
  readonly pageSize: number
  /** The supplier's status filter under which an order we last saw in `status` is listed; undefined: not listable. */
  filterFor (status: SupplierStatus, reason: string | null): string | undefined
  /** Page `index` (0-based) of the orders in status `filter`; `last` when no page follows. */
  page (filter: string, index: number): Promise<{ observations: SupplierObservation[], last: boolean }>
}

/** Where the supplier account is linked to a store that imports orders by itself (double-import guard). */
export interface SupplierStoreInfo {
  readonly supplier: SupplierName
  readonly id: string
  readonly name: string
  /** The supplier's own word: Printful store type, Printify sales channel. */
  readonly kind: string
  /** True when the supplier imports the Shopify store's orders itself. */
  readonly importsOrdersItself: boolean
  /** The store in the supplier's words, e.g. 'Printful store 10 ("x") is of type "shopify"'. */
  readonly description: string
  /** The kind of store to use instead. */
  readonly remedy: string
}

/** A supplier webhook, parsed: a trigger to re-read the order (DESIGN.md: a webhook is a trigger and an audit record). */
export interface SupplierEvent {
  readonly supplier: SupplierName
  /** The supplier's event id where it sends one (Printify), for dedupe. */
  readonly eventId?: string
  /** The supplier's own event type, e.g. package_shipped, order:shipment:created. */
  readonly type: string
  readonly supplierOrderId?: string
  readonly externalId?: string
  readonly occurredAt: string
  readonly status?: SupplierStatus
  readonly reason?: string
  readonly shipment?: SupplierShipment
  /** A product event (no order): a publish request, or the product deleted at the supplier. */
  readonly product?: ProductEvent
}

export type ProductEvent =
  | { readonly kind: 'publish', readonly request: PublishRequest }
  | { readonly kind: 'deleted', readonly productId: string }
