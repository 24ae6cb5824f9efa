// Printful's side of the product push (issue 18), for Manual/API stores.
// Their sync products live at /store/products; Printful sends
// product_synced / product_updated only for stores linked to a platform
// (suppliers.md §1.8, §1.9), so the push reads them when told ('on_demand').
// The store's variant ids are written back as each sync variant's
// `external_id` ("Variant ID from the Ecommerce platform",
// printful-v1-openapi.json SyncVariant), which orders can then name as
// `external_variant_id`.
import { AppError } from '../../lib/errors.ts'
import type { Money, ProductSource, PushOutcome, SupplierProduct, SupplierProductImage, SupplierProductOption } from '../common/product.ts'
import type { PrintfulApi } from './client.ts'
import type { PfSyncProductDetail, PfSyncVariantWire } from './wire.ts'

/** "limit at most 100" (§1.5). */
const pageSize = 100

export class PrintfulProducts implements ProductSource {
  readonly trigger = 'on_demand' as const
  readonly #api: PrintfulApi

  constructor (api: PrintfulApi) {
    this.#api = api
  }

  /** The list names products only: one more request per product reads its variants. */
  async * list (from = 0): AsyncIterable<SupplierProduct> {
    for (let offset = from - (from % pageSize); ; offset += pageSize) {
      const page = await this.#api.syncProducts({ offset, limit: pageSize })
      for (const [i, product] of page.products.entries()) {
        if (offset + i >= from) yield toSupplierProduct(await this.#api.syncProduct(String(product.id)))
      }
      if (page.products.length < pageSize || offset + pageSize >= page.total) return
    }
  }

  async get (productId: string): Promise<SupplierProduct | undefined> {
    try {
      return toSupplierProduct(await this.#api.syncProduct(productId))
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') return undefined
      throw err
    }
  }

  /**
   * Writes the store's variant id as each sync variant's external_id. Every
   * variant is tried; those Printful refuses are named in one error after the
   * rest are written. A failed push has nothing to tell: Printful has no
   * publishing state for Manual/API stores.
   */
  async acknowledge (product: SupplierProduct, outcome: PushOutcome): Promise<void> {
    if (!outcome.ok) return
    const refused: string[] = []
    let first: unknown
    for (const variant of product.variants) {
      const storeVariantId = outcome.variants.get(variant.id)
      if (storeVariantId === undefined) continue
      try {
        await this.#api.updateSyncVariant(variant.id, { external_id: storeVariantId })
      } catch (err) {
        if (!(err instanceof AppError) || err.retryable) throw err
        first ??= err
        refused.push(`${variant.id} (${err.message})`)
      }
    }
    if (refused.length > 0) {
      throw new AppError('upstream_rejected', `Printful refused the external_id of sync variant(s) ${refused.join('; ')}`, { cause: first, detail: { product: product.id } })
    }
  }

  /**
   * Printful v1 has no call telling a Manual/API store that a product left the
   * shop (its product_deleted webhook goes the other way, for linked stores):
   * nothing to do. The sync variants keep their external_id; an order for them
   * cannot come from a store product that no longer exists.
   */
  async withdrawn (_productId: string): Promise<void> {
    // Deliberately empty: see above.
  }
}

/**
 * A sync product in our words. Options come from the sync variants' `size`
 * and `color` (the catalog variant's, documented on SyncVariant), Color
 * first as Printful's own names have it ("White / S"). Where no variant has
 * either, several variants are told apart by their names. Images: the
 * product's thumbnail, then each variant's "preview" file. No cost (see
 * PfSyncVariantWire): the retail price must be set.
 */
export function toSupplierProduct (detail: PfSyncProductDetail): SupplierProduct {
  const product = detail.sync_product
  const variants = detail.sync_variants
  const title = (variant: PfSyncVariantWire) => variant.name.startsWith(`${product.name} - `) ? variant.name.slice(product.name.length + 3) : variant.name
  const axes: Array<{ name: string, read: (variant: PfSyncVariantWire) => string }> = []
  if (variants.some((v) => v.color)) axes.push({ name: 'Color', read: (v) => v.color ?? 'Default' })
  if (variants.some((v) => v.size)) axes.push({ name: 'Size', read: (v) => v.size ?? 'One size' })
  if (axes.length === 0 && variants.length > 1) axes.push({ name: 'Title', read: title })
  const options: SupplierProductOption[] = axes.map((axis) => ({ name: axis.name, values: [...new Set(variants.map(axis.read))] }))

  const images: SupplierProductImage[] = product.thumbnail_url ? [{ url: product.thumbnail_url, variantIds: [], isDefault: true }] : []
  const previewOf = (variant: PfSyncVariantWire) => {
    const file = variant.files?.find((f) => f.type === 'preview' && (f.preview_url ?? f.url))
    return file ? (file.preview_url ?? file.url ?? undefined) : undefined
  }
  for (const variant of variants) {
    const url = previewOf(variant)
    if (!url) continue
    const known = images.find((image) => image.url === url && !image.isDefault)
    if (known) images[images.indexOf(known)] = { ...known, variantIds: [...known.variantIds, String(variant.id)] }
    else images.push({ url, variantIds: [String(variant.id)], isDefault: false })
  }

  return {
    supplier: 'printful',
    id: String(product.id),
    title: product.name,
    // v1 sync products carry no description or tags.
    descriptionHtml: '',
    tags: [],
    options,
    variants: variants.map((variant) => {
      const price = toMoney(variant.retail_price, variant.currency)
      const imageUrl = previewOf(variant)
      return {
        id: String(variant.id),
        title: title(variant),
        optionValues: axes.map((axis) => axis.read(variant)),
        ...(variant.sku ? { sku: variant.sku } : {}),
        ...(price ? { price } : {}),
        ...(imageUrl ? { imageUrl } : {}),
        // An ignored variant is not fulfilled by Printful; a discontinued one cannot be ordered (SyncVariant availability_status).
        enabled: variant.is_ignored !== true && variant.availability_status !== 'discontinued',
        ref: { syncVariantId: String(variant.id) }
      }
    }),
    images
  }
}

/** "29.99" in the sync variant's `currency` → 2999 minor units; undefined when either is missing or the text is not a price. */
export function toMoney (decimal: string | null | undefined, currency: string | null | undefined): Money | undefined {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(decimal?.trim() ?? '')
  if (!match || !currency) return undefined
  return { amount: Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')), currency }
}
