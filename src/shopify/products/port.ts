// Product push (issue 18): what the push asks of the store, in our words. The
// client behind it (./client.ts) turns a StoreProductInput into one
// `productSet` (Admin GraphQL 2026-10) keyed by `identifier.customId`, so a
// second push of the same supplier product updates it in place.
//
// productSet's list fields replace what is there (entries left out are
// deleted), so every list here is optional: undefined means "not ours to
// write this time" and is left out of the mutation, never sent empty.

export interface StoreProductOptionInput {
  readonly name: string
  readonly values: readonly string[]
}

export interface StoreVariantInput {
  /** The Shopify variant (gid) this updates in place; undefined creates one. */
  readonly id?: string
  /** One per option, in the options' order. */
  readonly optionValues: readonly { readonly optionName: string, readonly name: string }[]
  /** Decimal string in the store's currency, e.g. "24.00". */
  readonly price: string
  readonly compareAtPrice?: string
  readonly sku?: string
  readonly weightGrams?: number
  /** One of `images`' URLs (Shopify requires a variant's file among the product's files: send `images` too). */
  readonly imageUrl?: string
}

export interface StoreImageInput {
  /** The existing media's file id (gid) to keep it in place; undefined uploads from `url`. */
  readonly id?: string
  readonly url: string
  readonly alt?: string
}

export interface StoreProductInput {
  /** Our key for the product, e.g. "printify:5d39b4…": the `customId` identifier (a metafield of type id). */
  readonly customId: string
  readonly title?: string
  readonly descriptionHtml?: string
  readonly tags?: readonly string[]
  readonly vendor?: string
  readonly productType?: string
  /** Only on create: a re-push never moves a product the merchant made active back to draft. */
  readonly status?: 'ACTIVE' | 'DRAFT'
  /** Sent with `variants` (productSet requires the options a variant list names). */
  readonly options?: readonly StoreProductOptionInput[]
  readonly variants?: readonly StoreVariantInput[]
  readonly images?: readonly StoreImageInput[]
}

export interface StoreVariant {
  /** gid://shopify/ProductVariant/… */
  readonly id: string
  readonly sku: string | null
  readonly price: string
  readonly optionValues: readonly { readonly optionName: string, readonly name: string }[]
}

export interface StoreProduct {
  /** gid://shopify/Product/… */
  readonly id: string
  readonly handle: string
  /** UNLISTED: a merchant's choice (2026-10 ProductStatus), not one the push makes. */
  readonly status: 'ACTIVE' | 'DRAFT' | 'ARCHIVED' | 'UNLISTED'
  readonly title: string
  /** The storefront URL: null while the product is not published (then the push reports the URL its handle will have). */
  readonly onlineStoreUrl: string | null
  readonly variants: readonly StoreVariant[]
  /** `id` is the MediaImage gid to send back as StoreImageInput.id; `url` is Shopify's CDN copy, not the URL it came from. */
  readonly images: readonly { readonly id: string, readonly url: string }[]
}

export interface StoreProducts {
  /** Creates the `id`-typed metafield definition the customId identifier needs, once; keeps one that exists. */
  ensureIdentifier (): Promise<void>
  /**
   * One productSet (synchronous); throws ShopifyUserErrors (upstream_rejected) naming Shopify's userErrors,
   * and AppError upstream_rate_limited with detail.limit 'daily_variant_creation' when the store may create
   * no more variants today (1,000 a day once it has 50,000).
   */
  set (input: StoreProductInput): Promise<StoreProduct>
  /** The product pushed under `customId`, undefined when there is none. */
  find (customId: string): Promise<StoreProduct | undefined>
  /** publishablePublish to the Online Store publication (scope write_publications). */
  publishToOnlineStore (productId: string): Promise<void>
  /**
   * Adds and removes tags one by one (tagsAdd, tagsRemove), keeping the ones the merchant added:
   * on an update the push sends tags this way, never as productSet's `tags`, which replaces them all.
   */
  retag (productId: string, change: { readonly add: readonly string[], readonly remove: readonly string[] }): Promise<void>
  /** Status ARCHIVED: the product left the supplier; orders keep their history. */
  archive (productId: string): Promise<void>
  /** The store's primary domain without a trailing slash, for the URL a draft's handle will have (https://<domain>/products/<handle>). */
  storefrontOrigin (): Promise<string>
}
