// Products as the Admin API's productSet (2026-10) writes them, and what else
// touches them: publishing, productUpdate, the merchant's edits and deletion.
// Sources, each cited where it applies:
// - productSet: https://shopify.dev/docs/api/admin-graphql/latest/mutations/productSet and the schema's
//   descriptions (list fields "create new entries, update existing entries, and delete existing entries
//   that aren't included"; every other field "updates only the included fields").
// - upsert by custom id: https://shopify.dev/changelog/productset-and-customerset-mutations-now-support-upserts
//   and https://shopify.dev/docs/apps/build/custom-data/metafields/working-with-custom-ids
// Where they are silent the simulator refuses (stricter), and says so beside the rule.
import { AppError } from '../../../lib/errors.ts'
import type { ProductEditInput } from './control-inputs.ts'
import { idNumber } from './webhook-payloads.ts'
import { gid, numericId, type ProductStatus, type SimEvent, type SimMedia, type SimProduct, type SimProductOption, type SimProductVariant, type StoreState } from './store-model.ts'

export interface UserError { field: string[] | null, message: string, code?: string | null }

interface FileArgs { id?: string | null, originalSource?: string | null, alt?: string | null }
interface VariantArgs {
  id?: string | null
  optionValues: Array<{ optionName?: string | null, name?: string | null }>
  price?: string | null
  compareAtPrice?: string | null
  sku?: string | null
  inventoryItem?: { tracked?: boolean | null, sku?: string | null, measurement?: { weight?: { unit: string, value: number } | null } | null } | null
  file?: FileArgs | null
}
export interface CustomIdArgs { namespace?: string | null, key: string, value: string }
export interface ProductIdentifierArgs { id?: string | null, handle?: string | null, customId?: CustomIdArgs | null }
export interface ProductSetInputArgs {
  title?: string | null
  descriptionHtml?: string | null
  vendor?: string | null
  productType?: string | null
  handle?: string | null
  tags?: string[] | null
  status?: ProductStatus | null
  seo?: { title?: string | null, description?: string | null } | null
  productOptions?: Array<{ name?: string | null, values?: Array<{ name?: string | null }> | null }> | null
  variants?: VariantArgs[] | null
  files?: FileArgs[] | null
}

/** The variant creation limit answers HTTP 429, not a userError (see checkVariantLimit). */
export class VariantLimitRefusal extends Error {}

// "When a store has 50,000 product variants … no more than 1,000 new product variants can be created per
// day" (productCreate / productUpdate notes in the schema; Shopify's changelog
// https://shopify.dev/changelog/api-call-limits-will-be-applied-to-variant-creation: "When an app reaches a
// limit, it will receive an HTTP 429 error"). The body is the one Matrixify reports
// (https://matrixify.app/whats-new/shopify-variant-creation-limit/): "1000 variants per 24 hour period".
export const variantThreshold = 50_000
export const variantsPerDay = 1_000
const dayMs = 24 * 60 * 60 * 1000
export const variantLimitMessage = 'Daily variant creation limit reached. Please try again later.'

/** The `app` namespace a missing `namespace` stands for ("If omitted, the app-reserved namespace will be used"). */
const appNamespace = '$app'

/** Every product variant is also in the catalog (syncCatalog), so the catalog counts them all. */
export function storeVariantCount (state: StoreState): number {
  return state.variants.size + state.productCounters.otherVariants
}

function checkVariantLimit (state: StoreState, creating: number): void {
  // Only the last day counts: older creations are forgotten (a long-running simulator stays small).
  const since = state.now() - dayMs
  const counters = state.productCounters
  counters.variantCreations = counters.variantCreations.filter((at) => at > since)
  if (creating === 0 || storeVariantCount(state) < variantThreshold) return
  if (counters.variantCreations.length + creating > variantsPerDay) throw new VariantLimitRefusal(variantLimitMessage)
}

export function findProduct (state: StoreState, id: string): SimProduct {
  const product = state.products.get(numericId(id))
  if (!product) throw new AppError('not_found', `no product ${id} in the simulated store`)
  return product
}

export function findProductBy (state: StoreState, identifier: ProductIdentifierArgs): SimProduct | undefined {
  if (identifier.id) return state.products.get(numericId(identifier.id))
  const products = [...state.products.values()]
  if (identifier.handle) return products.find((p) => p.handle === identifier.handle)
  const customId = identifier.customId
  if (customId) {
    const namespace = customId.namespace ?? appNamespace
    return products.find((p) => p.customId?.namespace === namespace && p.customId.key === customId.key && p.customId.value === customId.value)
  }
  return undefined
}

function idDefinitionExists (state: StoreState, customId: CustomIdArgs): boolean {
  const namespace = customId.namespace ?? appNamespace
  return state.metafieldDefinitions.some((d) => d.ownerType === 'PRODUCT' && d.namespace === namespace && d.key === customId.key && d.type === 'id')
}

function handleFor (state: StoreState, title: string, except?: string): string {
  const base = title.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'product'
  const taken = new Set([...state.products.values()].filter((p) => p.id !== except).map((p) => p.handle))
  let handle = base
  for (let n = 1; taken.has(handle); n++) handle = `${base}-${n}`
  return handle
}

/** Refusals that leave the store untouched; none of their texts is sourced word for word [unverified wording]. */
function validate (existing: SimProduct | undefined, input: ProductSetInputArgs): UserError[] {
  const errors: UserError[] = []
  if (!existing && !input.title) errors.push({ field: ['input', 'title'], message: 'Title can\'t be blank', code: 'INVALID_PRODUCT' })
  // Options and variants go together: a variant names option values, an option needs variants using it
  // (ProductSetUserErrorCode PRODUCT_OPTIONS_INPUT_MISSING / VARIANTS_INPUT_MISSING). Stricter: both, always.
  if (input.variants && !input.productOptions) errors.push({ field: ['input', 'productOptions'], message: 'Product options input is required when updating variants', code: 'PRODUCT_OPTIONS_INPUT_MISSING' })
  if (input.productOptions && !input.variants) errors.push({ field: ['input', 'variants'], message: 'Variants input is required when updating product options', code: 'VARIANTS_INPUT_MISSING' })
  // A file `id` names media the product has: the shop's Files library is not modelled, so any other id is
  // refused; a file needs an id or an originalSource to upload.
  input.files?.forEach((file, index) => {
    if (file.id && !existing?.media.some((m) => gid('MediaImage', m.id) === file.id)) errors.push({ field: ['input', 'files', String(index), 'id'], message: 'File does not exist', code: 'NOT_FOUND' })
    if (!file.id && !file.originalSource) errors.push({ field: ['input', 'files', String(index)], message: 'File needs an id or an originalSource', code: 'INVALID_INPUT' })
  })
  const options = input.productOptions ?? []
  const fileKeys = new Set((input.files ?? []).flatMap((f) => [f.id, f.originalSource].filter((k): k is string => Boolean(k))))
  input.variants?.forEach((variant, index) => {
    const at = ['input', 'variants', String(index)]
    if (variant.id && !existing?.variants.some((v) => gid('ProductVariant', v.id) === variant.id || v.id === numericId(variant.id ?? ''))) {
      errors.push({ field: [...at, 'id'], message: 'Product variant does not exist', code: 'PRODUCT_VARIANT_DOES_NOT_EXIST' })
    }
    for (const value of variant.optionValues) {
      const option = options.find((o) => o.name === value.optionName)
      if (!option) errors.push({ field: [...at, 'optionValues'], message: `Option does not exist: ${value.optionName ?? ''}`, code: 'OPTION_DOES_NOT_EXIST' })
      else if (!option.values?.some((v) => v.name === value.name)) errors.push({ field: [...at, 'optionValues'], message: `Option value does not exist: ${value.name ?? ''}`, code: 'OPTION_VALUE_DOES_NOT_EXIST' })
    }
    // "Any file specified here must also be specified in the `files` input for the product" (ProductVariantSetInput.file).
    const file = variant.file
    if (file && !fileKeys.has(file.id ?? '') && !fileKeys.has(file.originalSource ?? '')) {
      errors.push({ field: [...at, 'file'], message: 'Variant file must also be specified in the product files input', code: 'INVALID_INPUT' })
    }
  })
  return errors
}

function applyMedia (state: StoreState, product: SimProduct, files: FileArgs[]): void {
  // A file with the id of the product's media keeps it; one without is a new upload (new id), even from a
  // URL the product already shows (stricter: the docs promise no matching by URL). The rest is deleted.
  product.media = files.map((file): SimMedia => {
    const kept = file.id ? product.media.find((m) => gid('MediaImage', m.id) === file.id) : undefined
    if (kept) return { ...kept, alt: file.alt ?? kept.alt }
    return { id: state.nextId(), originalSource: file.originalSource ?? '', alt: file.alt ?? null }
  })
}

function mediaFor (product: SimProduct, file: FileArgs | null | undefined, previous: string | null): string | null {
  // A variant input without `file` keeps its image while the product still has it.
  if (file === undefined) return product.media.some((m) => m.id === previous) ? previous : null
  if (file === null) return null
  const media = product.media.find((m) => (file.id && gid('MediaImage', m.id) === file.id) || (file.originalSource && m.originalSource === file.originalSource))
  return media?.id ?? null
}

function applyVariants (state: StoreState, product: SimProduct, variants: VariantArgs[]): void {
  const next = variants.map((input): SimProductVariant => {
    const existing = input.id ? product.variants.find((v) => v.id === numericId(input.id ?? '')) : undefined
    const base: SimProductVariant = existing ?? { id: state.nextId(), inventoryItemId: state.nextId(), sku: null, price: '0.00', compareAtPrice: null, optionValues: [], tracked: true, weight: null, mediaId: null }
    if (!existing) state.productCounters.variantCreations.push(state.now())
    const item = input.inventoryItem
    return {
      ...base,
      optionValues: input.optionValues.map((v) => ({ optionName: v.optionName ?? '', name: v.name ?? '' })),
      price: input.price ?? base.price,
      compareAtPrice: input.compareAtPrice === undefined ? base.compareAtPrice : input.compareAtPrice,
      sku: input.sku === undefined ? (item?.sku === undefined ? base.sku : item.sku) : input.sku,
      tracked: item?.tracked ?? base.tracked,
      weight: item?.measurement?.weight === undefined ? base.weight : item.measurement.weight,
      mediaId: mediaFor(product, input.file, base.mediaId)
    }
  })
  for (const gone of product.variants.filter((v) => !next.some((n) => n.id === v.id))) state.variants.delete(gone.id)
  product.variants = next
}

function applyOptions (state: StoreState, product: SimProduct, options: NonNullable<ProductSetInputArgs['productOptions']>): void {
  product.options = options.map((input): SimProductOption => {
    const existing = product.options.find((o) => o.name === input.name)
    return {
      id: existing?.id ?? state.nextId(),
      name: input.name ?? '',
      values: (input.values ?? []).map((v) => ({ id: existing?.values.find((e) => e.name === v.name)?.id ?? state.nextId(), name: v.name ?? '' }))
    }
  })
}

/** The catalog the orders and productVariants query read: one SimVariant per product variant. */
export function syncCatalog (state: StoreState, product: SimProduct): void {
  for (const variant of product.variants) {
    const title = variant.optionValues.map((v) => v.name).join(' / ') || 'Default Title'
    state.variants.set(variant.id, { id: variant.id, productId: product.id, sku: variant.sku, title, productTitle: product.title, vendor: product.vendor })
  }
}

export type ProductSetResult = { product: SimProduct } | { userErrors: UserError[] }

export function productSet (state: StoreState, identifier: ProductIdentifierArgs | null | undefined, input: ProductSetInputArgs): ProductSetResult {
  state.productCounters.productSetCalls += 1
  const customId = identifier?.customId ?? null
  // A custom id names a metafield of type `id`; without that definition there is nothing to look up by
  // (working-with-custom-ids, Step 1). The message is the simulator's own [unverified wording].
  if (customId && !idDefinitionExists(state, customId)) {
    return { userErrors: [{ field: ['identifier', 'customId'], message: `Metafield definition of type 'id' is required when using custom ids (${customId.namespace ?? appNamespace}.${customId.key})`, code: 'INVALID_METAFIELD' }] }
  }
  const existing = identifier ? findProductBy(state, identifier) : undefined
  if (identifier?.id && !existing) return { userErrors: [{ field: ['identifier', 'id'], message: 'Product does not exist', code: 'PRODUCT_DOES_NOT_EXIST' }] }
  const errors = validate(existing, input)
  if (errors.length > 0) return { userErrors: errors }
  // Variants without an id are new ("Specifies the product variant to update or create a new variant if
  // absent", ProductVariantSetInput.id): the stricter reading, no matching by option values.
  if (input.variants) checkVariantLimit(state, input.variants.filter((v) => !v.id).length)

  const now = state.tick()
  const product: SimProduct = existing ?? {
    id: state.nextId(),
    handle: handleFor(state, input.handle ?? input.title ?? 'product'),
    title: input.title ?? '',
    descriptionHtml: '',
    vendor: state.shopDomain.split('.')[0] ?? '',
    productType: '',
    tags: [],
    // productCreate's default status is ACTIVE (ProductStatus, "ACTIVE: The product is ready to sell").
    status: 'ACTIVE',
    seo: { title: null, description: null },
    // Upsert by custom id: created with that custom id, so the same call again finds it (changelog above).
    customId: customId ? { namespace: customId.namespace ?? appNamespace, key: customId.key, value: customId.value } : null,
    options: [],
    variants: [],
    media: [],
    publicationIds: [],
    createdAt: now,
    updatedAt: now
  }
  if (input.title != null) product.title = input.title
  if (input.handle != null) product.handle = handleFor(state, input.handle, product.id)
  if (input.descriptionHtml != null) product.descriptionHtml = input.descriptionHtml
  if (input.vendor != null) product.vendor = input.vendor
  if (input.productType != null) product.productType = input.productType
  if (input.tags != null) product.tags = [...input.tags]
  if (input.status != null) product.status = input.status
  if (input.seo) product.seo = { title: input.seo.title ?? product.seo.title, description: input.seo.description ?? product.seo.description }
  if (input.files) applyMedia(state, product, input.files)
  if (input.productOptions) applyOptions(state, product, input.productOptions)
  if (input.variants) applyVariants(state, product, input.variants)
  product.updatedAt = now
  state.products.set(product.id, product)
  syncCatalog(state, product)
  return { product }
}

export function publishProduct (state: StoreState, id: string, publicationIds: string[]): { product: SimProduct } | { userErrors: UserError[] } {
  const product = state.products.get(numericId(id))
  if (!product) return { userErrors: [{ field: ['id'], message: 'Product does not exist' }] }
  const unknown = publicationIds.findIndex((p) => !state.publications.some((pub) => gid('Publication', pub.id) === p))
  if (unknown >= 0) return { userErrors: [{ field: ['input', String(unknown), 'publicationId'], message: 'Publication does not exist' }] }
  for (const publicationId of publicationIds) {
    const numeric = numericId(publicationId)
    if (!product.publicationIds.includes(numeric)) product.publicationIds.push(numeric)
  }
  return { product }
}

/** productUpdate's plain fields; the bridge sends only the status (archive). */
export interface ProductUpdateArgs { id?: string | null, title?: string | null, status?: ProductStatus | null, vendor?: string | null, tags?: string[] | null }

export function updateProduct (state: StoreState, args: ProductUpdateArgs): { product: SimProduct } | { userErrors: UserError[] } {
  const product = args.id ? state.products.get(numericId(args.id)) : undefined
  if (!product) return { userErrors: [{ field: ['id'], message: 'Product does not exist' }] }
  if (args.title != null) product.title = args.title
  if (args.status != null) product.status = args.status
  if (args.vendor != null) product.vendor = args.vendor
  if (args.tags != null) product.tags = [...args.tags]
  product.updatedAt = state.tick()
  syncCatalog(state, product)
  return { product }
}

/**
 * "A product is only visible on the online store when it's published there and active": onlineStoreUrl is
 * "null, then the product isn't published to the online store sales channel" (Product.onlineStoreUrl); a
 * draft or archived product has none either (stricter: the docs give a draft no storefront page).
 */
export function onlineStoreUrl (state: StoreState, product: SimProduct): string | null {
  const onlineStore = state.publications.find((p) => p.title === 'Online Store')
  if (!onlineStore || !product.publicationIds.includes(onlineStore.id) || product.status !== 'ACTIVE') return null
  return `https://${state.shopDomain}/products/${product.handle}`
}

/** The merchant deletes the product in the admin: products/delete carries only the id (REST shape `{ id }`). */
export function deleteProduct (state: StoreState, id: string): SimEvent[] {
  const product = findProduct(state, id)
  state.products.delete(product.id)
  for (const variant of product.variants) state.variants.delete(variant.id)
  state.tick()
  // "The product ID is the only detail you can get when a product is deleted"
  // (https://help.shopify.com/en/manual/shopify-flow/reference/triggers/product-deleted).
  return [{ topic: 'products/delete', body: { id: idNumber(product.id) } }]
}

/**
 * The merchant edits the product in the admin: fields the push may not own (vendor, the SEO title) or
 * that it does (title, tags), so a test can check what a re-push keeps. No webhook: products/update is
 * not modelled.
 */
export function editProduct (state: StoreState, id: string, edit: ProductEditInput): SimProduct {
  const product = findProduct(state, id)
  if (edit.title !== undefined) product.title = edit.title
  if (edit.vendor !== undefined) product.vendor = edit.vendor
  if (edit.descriptionHtml !== undefined) product.descriptionHtml = edit.descriptionHtml
  if (edit.status !== undefined) product.status = edit.status
  if (edit.tags !== undefined) product.tags = [...edit.tags]
  if (edit.addTags) product.tags = [...new Set([...product.tags, ...edit.addTags])]
  if (edit.seoTitle !== undefined) product.seo = { ...product.seo, title: edit.seoTitle }
  product.updatedAt = state.tick()
  syncCatalog(state, product)
  return product
}
