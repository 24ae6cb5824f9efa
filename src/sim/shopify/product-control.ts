// The store's products for tests and the demo: read them back as productSet left them, edit one as
// the merchant would, delete one (products/delete is sent), count productSet calls, and stand in for a
// big catalog (the daily variant creation limit applies from 50,000 variants).
import type { ProductEditInput } from './store/control-inputs.ts'
import { productEditInputSchema } from './store/control-inputs.ts'
import { gid, type SimEvent, type SimProduct, type StoreState } from './store/store-model.ts'
import { deleteProduct, editProduct, findProduct, onlineStoreUrl, storeVariantCount } from './store/store-products.ts'

export interface SimProductInfo {
  id: string
  handle: string
  title: string
  status: string
  vendor: string
  productType: string
  descriptionHtml: string
  tags: string[]
  seoTitle: string | null
  customId: { namespace: string, key: string, value: string } | null
  onlineStoreUrl: string | null
  publications: string[]
  options: Array<{ name: string, values: string[] }>
  variants: Array<{ id: string, sku: string | null, price: string, compareAtPrice: string | null, optionValues: Array<{ optionName: string, name: string }>, tracked: boolean, weight: { unit: string, value: number } | null, mediaId: string | null }>
  media: Array<{ id: string, originalSource: string, alt: string | null }>
}

export interface ProductControl {
  products (): SimProductInfo[]
  product (productId: string): SimProductInfo
  /** The merchant edits the product in the admin (no webhook: products/update is not modelled). */
  editProduct (productId: string, edit: ProductEditInput): Promise<SimProductInfo>
  /** The merchant deletes the product; products/delete is sent with `{ id }`. */
  deleteProduct (productId: string): Promise<void>
  /** productSet documents received so far. */
  productSetCalls (): number
  /** The store's variant count, as if it had this many (never fewer than the modelled ones). */
  setVariantCount (count: number): void
  variantCount (): number
}

function info (state: StoreState, product: SimProduct): SimProductInfo {
  return {
    id: gid('Product', product.id),
    handle: product.handle,
    title: product.title,
    status: product.status,
    vendor: product.vendor,
    productType: product.productType,
    descriptionHtml: product.descriptionHtml,
    tags: [...product.tags],
    seoTitle: product.seo.title,
    customId: product.customId && { ...product.customId },
    onlineStoreUrl: onlineStoreUrl(state, product),
    publications: product.publicationIds.map((id) => state.publications.find((p) => p.id === id)?.title ?? id),
    options: product.options.map((o) => ({ name: o.name, values: o.values.map((v) => v.name) })),
    variants: product.variants.map((v) => ({
      id: gid('ProductVariant', v.id),
      sku: v.sku,
      price: v.price,
      compareAtPrice: v.compareAtPrice,
      optionValues: v.optionValues.map((o) => ({ ...o })),
      tracked: v.tracked,
      weight: v.weight && { ...v.weight },
      mediaId: v.mediaId && gid('MediaImage', v.mediaId)
    })),
    media: product.media.map((m) => ({ id: gid('MediaImage', m.id), originalSource: m.originalSource, alt: m.alt }))
  }
}

export function createProductControl (state: StoreState, announce: (events: SimEvent[]) => Promise<void>): ProductControl {
  return {
    products: () => [...state.products.values()].map((p) => info(state, p)),
    product: (productId) => info(state, findProduct(state, productId)),
    editProduct: async (productId, edit) => info(state, editProduct(state, productId, productEditInputSchema.parse(edit))),
    deleteProduct: async (productId) => { await announce(deleteProduct(state, productId)) },
    productSetCalls: () => state.productCounters.productSetCalls,
    setVariantCount (count) {
      state.productCounters.otherVariants = Math.max(0, count - state.variants.size)
    },
    variantCount: () => storeVariantCount(state)
  }
}
