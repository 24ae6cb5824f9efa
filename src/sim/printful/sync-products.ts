// The sync products of a simulated Manual/API store (suppliers.md §1.9) as
// the v1 Products API shows them (printful-v1-openapi.json: SyncProduct,
// SyncVariant), and what may change: a sync variant's external_id over PUT
// /store/variants/{id}, its retail price by the control API (the merchant's
// edit in Printful's dashboard).
import type { SimSyncProduct, SimSyncVariant } from './catalog.ts'
import { PrintfulSimError } from './orders.ts'

/**
 * The order external_id rule, "at most 32 characters: digits, Latin letters,
 * `-` and `_`" (§1.5). The docs give no rule for a sync variant's external_id
 * ("Variant ID from the Ecommerce platform"); the order's, and uniqueness in
 * the store (orders find the variant by it, `external_variant_id`), are the
 * stricter reading. A Shopify variant id (digits) always passes.
 */
const externalIdPattern = /^[A-Za-z0-9_-]{1,32}$/

export class SyncProductStore {
  /** Shared with the order state, which orders from it; a changed variant replaces its product here. */
  readonly products: SimSyncProduct[]

  constructor (products: readonly SimSyncProduct[]) {
    this.products = [...products]
  }

  /** By id, or by `@external_id` (§1.9). */
  find (ref: string): SimSyncProduct {
    const product = ref.startsWith('@')
      ? this.products.find((p) => p.externalId === decodeURIComponent(ref.slice(1)))
      : this.products.find((p) => p.id === Number(ref))
    if (!product) throw new PrintfulSimError(404, 'Not Found', 'NotFound')
    return product
  }

  variant (id: number): { product: SimSyncProduct, variant: SimSyncVariant } {
    for (const product of this.products) {
      const variant = product.variants.find((v) => v.id === id)
      if (variant) return { product, variant }
    }
    throw new PrintfulSimError(404, 'Not Found', 'NotFound')
  }

  setExternalId (id: number, externalId: string): SimSyncVariant {
    if (!externalIdPattern.test(externalId)) throw new PrintfulSimError(400, 'External ID must be at most 32 characters: Latin letters, digits, "-" and "_"')
    const taken = this.products.some((p) => p.variants.some((v) => v.id !== id && v.externalId === externalId))
    if (taken) throw new PrintfulSimError(400, `External ID ${externalId} is already used by another sync variant in this store`)
    return this.#change(id, { externalId })
  }

  /** A decimal string, as SyncVariant `retail_price` ("29.99"). */
  setRetailPrice (id: number, retailPrice: string): SimSyncVariant {
    if (!/^\d+(\.\d{1,2})?$/.test(retailPrice)) throw new PrintfulSimError(400, 'Retail price must be a decimal amount, e.g. "29.99"')
    return this.#change(id, { retailPrice })
  }

  productWire (product: SimSyncProduct): Record<string, unknown> {
    return {
      id: product.id, external_id: product.externalId, name: product.name, variants: product.variants.length, synced: product.variants.length,
      thumbnail_url: product.thumbnailUrl ?? null, is_ignored: false
    }
  }

  /** SyncVariant: `files` hold the preview (mockup) image with its `preview_url`; `product` is the catalog variant. */
  variantWire (product: SimSyncProduct, v: SimSyncVariant): Record<string, unknown> {
    return {
      id: v.id, external_id: v.externalId, sync_product_id: product.id, name: v.name, synced: true, variant_id: v.variantId,
      retail_price: v.retailPrice, currency: 'USD', is_ignored: false, sku: v.sku,
      product: { variant_id: v.variantId, product_id: v.productId, image: `https://files.cdn.printful.com/products/${String(v.variantId)}.jpg`, name: v.name },
      files: v.previewUrl
        ? [{ id: v.id * 10, type: 'preview', hash: null, url: v.previewUrl, filename: null, mime_type: 'image/png', size: 0, width: 1000, height: 1000, dpi: null, status: 'ok', created: 1_700_000_000, thumbnail_url: v.previewUrl.replace('_preview', '_thumb'), preview_url: v.previewUrl, visible: true, is_temporary: false }]
        : [],
      options: [], main_category_id: 24, warehouse_product_id: null, warehouse_product_variant_id: null,
      size: v.size ?? null, color: v.color ?? null, availability_status: 'active'
    }
  }

  #change (id: number, fields: Partial<SimSyncVariant>): SimSyncVariant {
    const { product } = this.variant(id)
    const variants = product.variants.map((v) => v.id === id ? { ...v, ...fields } : v)
    this.products[this.products.indexOf(product)] = { ...product, variants }
    return this.variant(id).variant
  }
}
