// Product push (issue 18): a supplier's product as the push reads it, in our
// words, and what a supplier does to take part. Each supplier folder maps its
// own wire shape to SupplierProduct (Printify products, Printful sync
// products); the push (src/products/) turns it into the store's product and
// mappings, and tells the supplier the outcome through `ProductSource.acknowledge`.
import type { SupplierName } from './supplier.ts'

/** An amount in the currency's minor units (cents): Printify's prices are cents, Printful's strings are converted. */
export interface Money {
  readonly amount: number
  /** ISO 4217, e.g. USD. */
  readonly currency: string
}

/** The fields a push writes; a publish request may name fewer (Printify's `title`, `description`, ...). */
export type ProductField = 'title' | 'description' | 'images' | 'variants' | 'tags'
export const productFields: readonly ProductField[] = ['title', 'description', 'images', 'variants', 'tags']

export interface SupplierProductOption {
  /** As the store shows it, e.g. "Size", "Color". */
  readonly name: string
  /** Every value in the supplier's order (the store keeps that order). */
  readonly values: readonly string[]
}

export interface SupplierProductVariant {
  /** The supplier's variant id (Printify variant id, Printful sync variant id). */
  readonly id: string
  readonly title: string
  /** One value per product option, in the options' order. */
  readonly optionValues: readonly string[]
  readonly sku?: string
  /** The supplier's retail price where the merchant set one there; otherwise PRICE_MARKUP applies to `cost`. */
  readonly price?: Money
  readonly compareAtPrice?: Money
  /** What the merchant pays the supplier; undefined where the supplier does not say (then a set price is required). */
  readonly cost?: Money
  readonly weightGrams?: number
  /** The image shown for this variant (a URL among the product's images). */
  readonly imageUrl?: string
  /** Only enabled variants are for sale (Printify `is_enabled`). */
  readonly enabled: boolean
  /** What a mapping stores to order this variant, in the supplier's item reference shape (its item-ref.ts). */
  readonly ref: unknown
}

export interface SupplierProductImage {
  readonly url: string
  readonly alt?: string
  /** The variants this image shows (empty: all). */
  readonly variantIds: readonly string[]
  readonly isDefault: boolean
}

export interface SupplierProduct {
  readonly supplier: SupplierName
  readonly id: string
  readonly title: string
  readonly descriptionHtml: string
  readonly tags: readonly string[]
  readonly vendor?: string
  readonly productType?: string
  readonly options: readonly SupplierProductOption[]
  readonly variants: readonly SupplierProductVariant[]
  readonly images: readonly SupplierProductImage[]
  /** The supplier's last change, ISO-8601 UTC, where it says. */
  readonly updatedAt?: string
}

/** A product published at the supplier and waiting for the store (Printify's `product:publish:started`). */
export interface PublishRequest {
  readonly productId: string
  /** The fields the merchant asked to sync; the push writes these and leaves the rest as the store has them. */
  readonly fields: readonly ProductField[]
}

/** What the push did, told back to the supplier. */
export type PushOutcome =
  | {
    readonly ok: true
    /** Shopify product id, numeric (Printify's `external.id`). */
    readonly productId: string
    readonly handle: string
    /** The product's storefront URL (the URL its handle will have while it is a draft). */
    readonly url: string
    /** Supplier variant id → Shopify variant id (numeric). */
    readonly variants: ReadonlyMap<string, string>
  }
  | { readonly ok: false, readonly reason: string }

/** How a supplier takes part in the product push. Absent on suppliers that have no products to push. */
export interface ProductSource {
  /** `publish`: the supplier asks (a publishing channel, Printify); `on_demand`: we read its products when told (Printful). */
  readonly trigger: 'publish' | 'on_demand'
  /**
   * Every product, a page at a time, for `products push` without `--product`; from the
   * `from`-th on (0 is the first), the ones before it not read, so a listing cut short by the
   * request budget goes on where it stopped.
   */
  list (from?: number): AsyncIterable<SupplierProduct>
  /** One product; undefined when the supplier does not know it. */
  get (productId: string): Promise<SupplierProduct | undefined>
  /** Tells the supplier how the push went (Printify publishing_succeeded / _failed, Printful sync variants' external_id). */
  acknowledge (product: SupplierProduct, outcome: PushOutcome): Promise<void>
  /** The store removed the product (Shopify products/delete): Printify `unpublish.json`; a no-op where the supplier has no such call. */
  withdrawn (productId: string): Promise<void>
}
