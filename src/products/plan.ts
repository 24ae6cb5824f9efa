// The push's plan (pure): a supplier product, the fields we are asked to
// write, and what we stored after the last push → the one productSet to send,
// "unchanged", or a refusal with its reason. Compare before you write: each
// owned field has a digest of what we last wrote (without Shopify's ids, which
// only exist after the write), and only requested fields whose digest moved go
// into the mutation. productSet's lists replace what is there, so a field not
// requested is left out entirely and the merchant's version of it survives.
import { createHash } from 'node:crypto'
import type { ProductField, SupplierProduct, SupplierProductVariant } from '../suppliers/common/product.ts'
import type { StoreImageInput, StoreProductInput, StoreProductOptionInput, StoreVariantInput } from '../shopify/products/port.ts'
import { variantPrice, type PriceRule } from './price.ts'

/** What the products table remembers of the last push. */
export interface StoredProduct {
  readonly shopifyProductId: string | null
  readonly digests: Readonly<Record<string, string>>
  /** Supplier variant id → Shopify variant gid. */
  readonly variantIds: Readonly<Record<string, string>>
  /** Image source URL → Shopify media gid. */
  readonly mediaIds: Readonly<Record<string, string>>
  /** The tags the push last wrote (the merchant may have added others). */
  readonly tags: readonly string[]
}

export interface PlanSettings {
  /** PRODUCT_PUSH_STATUS: the status a created product gets. */
  readonly status: 'draft' | 'active'
  readonly markup: PriceRule | undefined
  /** The store's currency (ISO 4217). */
  readonly storeCurrency: string
}

export type Plan =
  | { readonly kind: 'unchanged', readonly digests: Record<string, string> }
  | {
    readonly kind: 'write'
    readonly create: boolean
    /** The productSet; undefined when only the tags moved (they go by tagsAdd/tagsRemove). */
    readonly input: StoreProductInput | undefined
    /** On an update whose tags changed: what to add and remove, leaving the merchant's own tags. */
    readonly retag: { readonly add: readonly string[], readonly remove: readonly string[] } | undefined
    readonly changed: readonly ProductField[]
    readonly digests: Record<string, string>
    /** The tags the push has written after this one (to store). */
    readonly tags: readonly string[]
  }
  | { readonly kind: 'refused', readonly reason: string }

/** Shopify allows three options per product (productSet's productOptions). */
const MAX_OPTIONS = 3

/** The customId identifier that makes productSet idempotent for one supplier product. */
export function customIdOf (product: Pick<SupplierProduct, 'supplier' | 'id'>): string {
  return `${product.supplier}:${product.id}`
}

function digest (value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32)
}

/** Only enabled variants are for sale (Printify `is_enabled`); the store never sees the others. */
export function forSale (product: SupplierProduct): SupplierProductVariant[] {
  return product.variants.filter((v) => v.enabled)
}

interface Content {
  readonly options: StoreProductOptionInput[]
  readonly variants: (Omit<StoreVariantInput, 'id'> & { readonly supplierVariantId: string })[]
  readonly images: Omit<StoreImageInput, 'id'>[]
}

function content (product: SupplierProduct, settings: PlanSettings): Content | { reason: string } {
  const variants = forSale(product)
  if (variants.length === 0) return { reason: 'no variant is enabled at the supplier: nothing to sell' }
  if (product.options.length > MAX_OPTIONS) return { reason: `the product has ${product.options.length} options; Shopify allows ${MAX_OPTIONS}` }
  const seen = new Set<string>()
  const out: Content['variants'] = []
  for (const v of variants) {
    if (v.optionValues.length !== product.options.length) return { reason: `variant ${v.id} (${v.title}) names ${v.optionValues.length} option values for ${product.options.length} options` }
    const combo = JSON.stringify(v.optionValues)
    if (seen.has(combo)) return { reason: `two enabled variants are both ${v.optionValues.join(' / ')}: Shopify needs each combination once` }
    seen.add(combo)
    const price = variantPrice(v, settings.storeCurrency, settings.markup)
    if (!price.ok) return { reason: price.reason }
    out.push({
      supplierVariantId: v.id,
      optionValues: product.options.map((o, i) => ({ optionName: o.name, name: v.optionValues[i] ?? '' })),
      price: price.price,
      ...(price.compareAtPrice ? { compareAtPrice: price.compareAtPrice } : {}),
      ...(v.sku ? { sku: v.sku } : {}),
      ...(v.weightGrams === undefined ? {} : { weightGrams: v.weightGrams }),
      ...(v.imageUrl ? { imageUrl: v.imageUrl } : {})
    })
  }
  // Values no enabled variant uses are left out: a store option value needs a variant.
  const options = product.options.map((o, i) => ({ name: o.name, values: o.values.filter((value) => out.some((v) => v.optionValues[i]?.name === value)) }))
  // The default image first: Shopify shows the first media as the product's image.
  const images = [...product.images].sort((a, b) => Number(b.isDefault) - Number(a.isDefault))
    .filter((image, i, all) => all.findIndex((other) => other.url === image.url) === i)
    .map((image) => ({ url: image.url, ...(image.alt ? { alt: image.alt } : {}) }))
  return { options, variants: out, images }
}

/** The digest of each field as this push would write it. */
function fieldDigests (product: SupplierProduct, c: Content): Record<ProductField, string> {
  return {
    title: digest(product.title),
    description: digest(product.descriptionHtml),
    tags: digest([...product.tags]),
    images: digest(c.images),
    variants: digest([c.options, c.variants])
  }
}

export function planPush (product: SupplierProduct, fields: readonly ProductField[], stored: StoredProduct | undefined, settings: PlanSettings): Plan {
  const c = content(product, settings)
  if ('reason' in c) return { kind: 'refused', reason: c.reason }
  const digests = fieldDigests(product, c)
  const create = !stored?.shopifyProductId
  // A product the store does not have yet gets everything: productSet needs a title, and a half product is no use.
  const requested: ProductField[] = create ? ['title', 'description', 'images', 'variants', 'tags'] : [...new Set(fields)]
  const changed = create ? requested : requested.filter((field) => stored.digests[field] !== digests[field])
  // Digests kept for fields not written this time: they still describe what the store has from us.
  const nextDigests: Record<string, string> = { ...(create ? {} : stored.digests) }
  for (const field of requested) nextDigests[field] = digests[field]
  if (changed.length === 0) return { kind: 'unchanged', digests: nextDigests }

  const mediaIds = stored?.mediaIds ?? {}
  const variantIds = stored?.variantIds ?? {}
  const writesImages = changed.includes('images')
  // productSet takes a variant's image only from the files of the same mutation (ProductVariantSetInput.file),
  // and sending files replaces the merchant's: so variant images ride along only when the images are written.
  const known = new Set(writesImages ? c.images.map((i) => i.url) : [])
  const input: StoreProductInput = {
    customId: customIdOf(product),
    ...(changed.includes('title') ? { title: product.title } : {}),
    ...(changed.includes('description') ? { descriptionHtml: product.descriptionHtml } : {}),
    // productSet's tags replace the merchant's: only a new product gets them this way (see `retag`).
    ...(create && changed.includes('tags') ? { tags: [...product.tags] } : {}),
    ...(create ? { status: settings.status === 'active' ? 'ACTIVE' : 'DRAFT' } as const : {}),
    ...(create && product.vendor ? { vendor: product.vendor } : {}),
    ...(create && product.productType ? { productType: product.productType } : {}),
    ...(writesImages ? { images: c.images.map((image) => ({ ...(mediaIds[image.url] ? { id: mediaIds[image.url] } : {}), ...image })) } : {}),
    ...(changed.includes('variants')
      ? {
          options: c.options,
          variants: c.variants.map(({ supplierVariantId, imageUrl, ...v }) => ({
            ...(variantIds[supplierVariantId] ? { id: variantIds[supplierVariantId] } : {}),
            ...v,
            // Without the images in this mutation, the variant's image is left as the store has it.
            ...(imageUrl && known.has(imageUrl) ? { imageUrl } : {})
          }))
        }
      : {})
  }
  const tags = requested.includes('tags') ? [...new Set(product.tags)] : [...(stored?.tags ?? [])]
  const retag = !create && changed.includes('tags')
    ? { add: tags.filter((tag) => !stored.tags.includes(tag)), remove: stored.tags.filter((tag) => !tags.includes(tag)) }
    : undefined
  const writes = Object.keys(input).some((key) => key !== 'customId')
  return { kind: 'write', create, input: writes ? input : undefined, retag, changed, digests: nextDigests, tags }
}

/** Which supplier variant each store variant is: by option values (what productSet keys variants on), else by SKU. */
export function matchVariants (product: SupplierProduct, storeVariants: readonly { id: string, sku: string | null, optionValues: readonly { optionName: string, name: string }[] }[]): Map<string, string> {
  const key = (values: readonly string[]) => JSON.stringify(values)
  const byOptions = new Map(storeVariants.map((sv) => [key(product.options.map((o) => sv.optionValues.find((ov) => ov.optionName === o.name)?.name ?? '')), sv.id]))
  const bySku = new Map(storeVariants.filter((sv) => sv.sku).map((sv) => [sv.sku, sv.id]))
  const out = new Map<string, string>()
  for (const v of forSale(product)) {
    const id = byOptions.get(key(v.optionValues)) ?? (v.sku ? bySku.get(v.sku) : undefined)
    if (id) out.set(v.id, id)
  }
  return out
}
