// Printify's side of the product push (issue 18). Printify is a publishing
// channel: the merchant presses Publish (or we call publish.json), the
// product is locked and `product:publish:started` arrives; we read the
// product, make it in the store, and unlock it with publishing_succeeded.json
// or publishing_failed.json. Until one of them is called the merchant cannot
// edit the product, so every publish request must be answered
// (https://developers.printify.com/ Products, "Publish a product").
import type { Money, ProductSource, PushOutcome, SupplierProduct, SupplierProductImage } from '../common/product.ts'
import type { PrintifyApi } from './client.ts'
import { printifyTimeToIso, type PyProductWire } from './wire.ts'

/** Products per page of GET products.json (the list's documented maximum is not given; 50 is what the catalog import reads). */
const pageSize = 50

export class PrintifyProducts implements ProductSource {
  readonly trigger = 'publish' as const
  readonly #api: PrintifyApi
  readonly #currency: string

  /** `currency`: what the product's cents are in; Printify's product object does not say (see toSupplierProduct). */
  constructor (api: PrintifyApi, currency: string) {
    this.#api = api
    this.#currency = currency
  }

  async * list (from = 0): AsyncIterable<SupplierProduct> {
    for (let page = Math.floor(from / pageSize) + 1; ; page++) {
      const { products, lastPage } = await this.#api.products({ page, limit: pageSize })
      const first = (page - 1) * pageSize
      for (const [i, product] of products.entries()) {
        if (first + i >= from) yield toSupplierProduct(product, this.#currency)
      }
      if (page >= lastPage || products.length === 0) return
    }
  }

  async get (productId: string): Promise<SupplierProduct | undefined> {
    const product = await this.#api.getProduct(productId)
    return product ? toSupplierProduct(product, this.#currency) : undefined
  }

  /** external = { id: the store's product id, handle: its URL }, as the docs' example has it. */
  async acknowledge (product: SupplierProduct, outcome: PushOutcome): Promise<void> {
    if (outcome.ok) await this.#api.publishingSucceeded(product.id, { id: outcome.productId, handle: outcome.url })
    else await this.#api.publishingFailed(product.id, outcome.reason)
  }

  async withdrawn (productId: string): Promise<void> {
    await this.#api.unpublish(productId)
  }
}

/**
 * A Printify product in our words. Variant option values are value ids
 * (`variants[].options`), turned into titles in the order of the product's
 * `options`. Price and cost are cents: the price is the merchant's retail
 * price, always set at Printify; the cost is what Printify charges. The
 * product object names no currency: `currency` is the shop's (an option,
 * USD by default: Printify bills in USD).
 */
export function toSupplierProduct (product: PyProductWire, currency: string): SupplierProduct {
  const options = product.options ?? []
  const titleOf = new Map(options.flatMap((option) => option.values.map((value) => [value.id, value.title] as const)))
  const money = (cents: number | null | undefined): Money | undefined => typeof cents === 'number' ? { amount: cents, currency } : undefined
  const images: SupplierProductImage[] = [...(product.images ?? [])]
    .sort((a, b) => Number(b.is_default === true) - Number(a.is_default === true))
    .map((image) => ({ url: image.src, variantIds: (image.variant_ids ?? []).map(String), isDefault: image.is_default === true }))
  const updatedAt = printifyTimeToIso(product.updated_at)
  return {
    supplier: 'printify',
    id: product.id,
    title: product.title,
    descriptionHtml: product.description ?? '',
    tags: product.tags ?? [],
    options: options.map((option) => ({ name: option.name, values: option.values.map((value) => value.title) })),
    variants: product.variants.map((variant) => {
      const ids = new Set(variant.options ?? [])
      const price = money(variant.price)
      const cost = money(variant.cost)
      const image = images.find((i) => i.variantIds.includes(String(variant.id)))
      return {
        id: String(variant.id),
        title: variant.title,
        optionValues: options.map((option) => titleOf.get(option.values.find((value) => ids.has(value.id))?.id ?? -1) ?? ''),
        ...(variant.sku ? { sku: variant.sku } : {}),
        ...(price ? { price } : {}),
        ...(cost ? { cost } : {}),
        ...(typeof variant.grams === 'number' ? { weightGrams: variant.grams } : {}),
        ...(image ? { imageUrl: image.url } : {}),
        // "Only enabled variants are for sale": is_enabled is the merchant's choice; is_available is the provider's
        // stock, and an out-of-stock variant can still be sold (routed to another provider, or shown as the merchant
        // chooses: https://help.printify.com/hc/en-us/articles/4483616024721-What-happens-when-some-product-variants-go-out-of-stock).
        enabled: variant.is_enabled !== false,
        ref: { productId: product.id, variantId: String(variant.id) }
      }
    }),
    images,
    ...(updatedAt ? { updatedAt } : {})
  }
}
