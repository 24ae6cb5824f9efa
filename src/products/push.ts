// One product's push (issue 18): read it at the supplier, plan, write it with
// one productSet (or nothing when unchanged), publish it when
// PRODUCT_PUSH_STATUS=active and it is new, map its variants, tell the
// supplier, and leave a row on the product's timeline. The write and what it
// changed commit together under the product's row lock; telling the supplier
// comes after, so a supplier that is down gets told on the next try without
// the store being written again (the product is then "unchanged, not told").
import type { Logger } from 'pino'
import type { Db, Trx } from '../db/database.ts'
import { AppError, errorMessage } from '../lib/errors.ts'
import type { StoreProduct, StoreProducts } from '../shopify/products/port.ts'
import { productFields, type ProductField, type ProductSource, type PushOutcome, type SupplierProduct } from '../suppliers/common/product.ts'
import type { Registry, Suppliers } from '../suppliers/registry.ts'
import { customIdOf, forSale, matchVariants, planPush, type Plan, type StoredProduct } from './plan.ts'
import type { PriceRule } from './price.ts'
import { removePushMappings, writePushMappings, type PushedVariant } from './push-mappings.ts'
import { appendProductEvent, lockProduct, saveProduct, storedOf, type PushOutcomeKind } from './records.ts'

/** The store side of the push, built once by the composition root. */
export interface ProductStore {
  readonly products: StoreProducts
  /** The store's currency (ISO 4217): supplier prices in another are refused, never converted. */
  currency (): Promise<string>
  /** Resolves once the store can take a customId (StoreProducts.ensureIdentifier, once per process). */
  ready (): Promise<void>
}

export interface ProductDeps {
  readonly db: Db
  /** Absent until the store is configured. */
  readonly store: ProductStore | undefined
  readonly suppliers: Suppliers
  readonly registry: Registry
  readonly settings: { readonly status: 'draft' | 'active', readonly markup: PriceRule | undefined }
  readonly log?: Logger | undefined
}

export interface PushRequest {
  readonly supplier: string
  readonly productId: string
  /** The fields a publish request asked to sync; undefined: every field the push owns. */
  readonly fields?: readonly ProductField[] | undefined
  /** Who asked: the supplier publishing (Printify) or ops (the API, the CLI). */
  readonly trigger: 'publish' | 'ops'
}

export interface PushResult {
  readonly supplier: string
  readonly productId: string
  readonly outcome: PushOutcomeKind
  readonly reason?: string
  readonly shopifyProductId?: string
  readonly changed?: readonly ProductField[]
}

export interface DryRunResult {
  readonly supplier: string
  readonly productId: string
  readonly plan: 'create' | 'update' | 'unchanged' | 'refused'
  readonly changed?: readonly ProductField[]
  readonly reason?: string
}

export function productSource (deps: Pick<ProductDeps, 'suppliers'>, supplier: string): ProductSource {
  const source = deps.suppliers[supplier]?.products
  if (!source) throw new AppError('bad_request', `${supplier} has no products to push (not configured, or it takes no part in the push)`)
  return source
}

function requireStore (deps: ProductDeps): ProductStore {
  if (!deps.store) throw new AppError('not_configured', 'the Shopify store is not configured (SHOPIFY_SHOP_DOMAIN and credentials): products cannot be pushed')
  return deps.store
}

/** The numeric id at the end of a gid (Printify's `external.id` and variant ids are numeric). */
export function numericId (gid: string): string {
  return gid.slice(gid.lastIndexOf('/') + 1)
}

/** A product read at the supplier, with its refs checked against the supplier's item-reference schema. */
async function readProduct (deps: ProductDeps, request: PushRequest): Promise<SupplierProduct | { reason: string }> {
  const product = await productSource(deps, request.supplier).get(request.productId)
  if (!product) return { reason: `${request.supplier} has no product ${request.productId}` }
  const descriptor = deps.registry.supplier(request.supplier)
  for (const v of forSale(product)) {
    const parsed = descriptor?.itemRef.schema.safeParse(v.ref)
    if (!parsed?.success) return { reason: `variant ${v.id} carries no item reference ${request.supplier} can be ordered by` }
  }
  return product
}

async function adopt (store: StoreProducts, product: SupplierProduct): Promise<StoredProduct | undefined> {
  // The store may have it from a push whose record was rolled back (a crash after productSet): key on customId, never create twice.
  const found = await store.find(customIdOf(product))
  if (!found) return undefined
  // Tags: none known as ours, so the push's are added and whatever the store has stays.
  return { shopifyProductId: found.id, digests: {}, variantIds: Object.fromEntries(matchVariants(product, found.variants)), mediaIds: {}, tags: [] }
}

/** What a push would do, without writing anywhere (POST /v1/products/push with dryRun). */
export async function dryRunPush (deps: ProductDeps, request: PushRequest, listed?: SupplierProduct): Promise<DryRunResult> {
  const base = { supplier: request.supplier, productId: request.productId }
  const product = listed ?? await readProduct(deps, request)
  if ('reason' in product) return { ...base, plan: 'refused', reason: product.reason }
  const row = await deps.db.selectFrom('products').select(['shopify_product_id', 'digests', 'variant_ids', 'media_ids', 'pushed_tags'])
    .where('supplier', '=', request.supplier).where('supplier_product_id', '=', request.productId).executeTakeFirst()
  const stored = row ? storedOf(row) : undefined
  const plan = planPush(product, request.fields ?? productFields, stored, { ...deps.settings, storeCurrency: await requireStore(deps).currency() })
  if (plan.kind === 'refused') return { ...base, plan: 'refused', reason: plan.reason }
  if (plan.kind === 'unchanged') return { ...base, plan: 'unchanged' }
  return { ...base, plan: plan.create ? 'create' : 'update', changed: plan.changed }
}

interface Written {
  readonly productRowId: string
  readonly outcome: PushOutcomeKind
  readonly product: SupplierProduct
  readonly shopifyProductId: string
  readonly handle: string
  readonly onlineStoreUrl: string | null
  readonly variantIds: Record<string, string>
  /** Whether the supplier must (still) be told. */
  readonly tell: boolean
  readonly changed: readonly ProductField[]
}

/**
 * Pushes one product. Throws on failures worth retrying (the store or the
 * supplier unreachable, throttled); a product that cannot be pushed as it is
 * (refused by the plan, unknown at the supplier) is recorded as failed and
 * the supplier told why, so a Printify product is never left locked.
 */
export async function pushProduct (deps: ProductDeps, request: PushRequest): Promise<PushResult> {
  const side = requireStore(deps)
  const store = side.products
  const product = await readProduct(deps, request)
  if ('reason' in product) return failPush(deps, request, product.reason)
  const storeCurrency = await side.currency()
  const written = await deps.db.transaction().execute(async (trx): Promise<Written | { refused: string }> => {
    const row = await lockProduct(trx, request.supplier, request.productId)
    const stored = storedOf(row) ?? await adopt(store, product)
    const plan: Plan = planPush(product, request.fields ?? productFields, stored, { ...deps.settings, storeCurrency })
    if (plan.kind === 'refused') return { refused: plan.reason }
    if (plan.kind === 'unchanged') {
      // A write whose answer to the supplier failed (a 429) keeps its outcome: this run only tells the supplier.
      const untold = row.acknowledged_at === null && (row.outcome === 'created' || row.outcome === 'updated') ? row.outcome : undefined
      await saveProduct(trx, row.id, { title: product.title, outcome: untold ?? 'unchanged', acknowledged: row.acknowledged_at !== null, digests: plan.digests })
      await appendProductEvent(trx, { productId: row.id, kind: 'product.push', actor: request.trigger === 'publish' ? request.supplier : 'ops', outcome: 'unchanged', detail: untold ? `unchanged since it was ${untold}: no productSet sent; ${request.supplier} is told now` : 'unchanged since the last push: no productSet sent' })
      // A publish request always gets its answer (it unlocks the product at the supplier); on demand, only a supplier not told yet.
      const tell = request.trigger === 'publish' || row.acknowledged_at === null
      return { productRowId: row.id, outcome: untold ?? 'unchanged', product, shopifyProductId: stored!.shopifyProductId!, handle: row.handle ?? '', onlineStoreUrl: null, variantIds: { ...stored!.variantIds }, tell, changed: [] }
    }
    if (plan.create) await side.ready()
    // No productSet when only the tags moved; they go by tagsAdd/tagsRemove, which leave the merchant's own.
    const result: StoreProduct | undefined = plan.input ? await store.set(plan.input) : undefined
    const shopifyProductId = result?.id ?? stored!.shopifyProductId!
    if (plan.retag) await store.retag(shopifyProductId, plan.retag)
    if (plan.create && deps.settings.status === 'active') await store.publishToOnlineStore(shopifyProductId)
    const variantIds = result && (plan.changed.includes('variants') || !stored) ? Object.fromEntries(matchVariants(product, result.variants)) : { ...stored!.variantIds }
    const images = plan.input?.images
    const mediaIds = images && result ? Object.fromEntries(images.flatMap((image, i) => result.images[i] ? [[image.url, result.images[i].id]] : [])) : { ...stored?.mediaIds }
    const outcome: PushOutcomeKind = plan.create ? 'created' : 'updated'
    const handle = result?.handle ?? row.handle ?? ''
    await recordMappings(trx, deps, row.id, product, variantIds, stored?.variantIds ?? {})
    await saveProduct(trx, row.id, { title: product.title, shopifyProductId, handle, ...(result ? { storeStatus: result.status } : {}), digests: plan.digests, variantIds, mediaIds, tags: plan.tags, outcome, acknowledged: false })
    await appendProductEvent(trx, {
      productId: row.id,
      kind: 'product.push',
      actor: request.trigger === 'publish' ? request.supplier : 'ops',
      outcome,
      detail: plan.create
        ? `created in Shopify as ${result?.status ?? 'DRAFT'} with ${Object.keys(variantIds).length} variant(s) and ${result?.images.length ?? 0} image(s)${deps.settings.status === 'active' ? ', published to the online store' : ''}`
        : `updated in Shopify: ${plan.changed.join(', ')} (${result ? 'one productSet' : 'no productSet'}${plan.retag ? `; tags added [${plan.retag.add.join(', ')}], removed [${plan.retag.remove.join(', ')}], the merchant's own kept` : ''}; product and variant ids kept)`,
      data: { shopifyProductId, changed: plan.changed, ...(plan.retag ? { retag: plan.retag } : {}) }
    })
    return { productRowId: row.id, outcome, product, shopifyProductId, handle, onlineStoreUrl: result?.onlineStoreUrl ?? null, variantIds, tell: true, changed: plan.changed }
  })
  if ('refused' in written) return failPush(deps, request, written.refused, product)
  if (written.tell) await tellSupplier(deps, request, written)
  deps.log?.info({ supplier: request.supplier, productId: request.productId, outcome: written.outcome }, `product push ${written.outcome}`)
  return { supplier: request.supplier, productId: request.productId, outcome: written.outcome, shopifyProductId: written.shopifyProductId, changed: written.changed }
}

async function recordMappings (trx: Trx, deps: ProductDeps, productRowId: string, product: SupplierProduct, variantIds: Record<string, string>, before: Record<string, string>): Promise<void> {
  const bySupplierVariant = new Map(product.variants.map((v) => [v.id, v]))
  const itemRef = deps.registry.supplier(product.supplier)?.itemRef
  const pushed: PushedVariant[] = Object.entries(variantIds).map(([supplierVariantId, storeVariantId]) => ({
    supplierVariantId, storeVariantId, ref: itemRef?.schema.parse(bySupplierVariant.get(supplierVariantId)?.ref)
  }))
  const { kept } = await writePushMappings(trx, product.supplier, pushed)
  for (const k of kept) {
    await appendProductEvent(trx, { productId: productRowId, kind: 'mapping.kept', actor: 'worker', detail: `store variant ${numericId(k.storeVariantId)} keeps the mapping made by ${k.source === 'ops' ? 'hand' : k.source}: the push did not write its own`, data: k })
  }
  const now = new Set(Object.values(variantIds))
  const gone = Object.values(before).filter((id) => !now.has(id))
  const { removed, flaggedOrders } = await removePushMappings(trx, gone, `variant removed at ${product.supplier}`, product.supplier)
  if (gone.length > 0) {
    await appendProductEvent(trx, { productId: productRowId, kind: 'mapping.removed', actor: product.supplier, detail: `${gone.length} variant(s) left the supplier's product: ${removed.length} pushed mapping(s) removed${flaggedOrders.length > 0 ? `, ${flaggedOrders.length} open order(s) flagged` : ''}`, data: { removed, flaggedOrders } })
  }
}

async function tellSupplier (deps: ProductDeps, request: PushRequest, written: Written): Promise<void> {
  const store = requireStore(deps).products
  const url = written.onlineStoreUrl ?? `${await store.storefrontOrigin()}/products/${written.handle}`
  const outcome: PushOutcome = {
    ok: true,
    productId: numericId(written.shopifyProductId),
    handle: written.handle,
    url,
    variants: new Map(Object.entries(written.variantIds).map(([supplierVariantId, gid]) => [supplierVariantId, numericId(gid)]))
  }
  await productSource(deps, request.supplier).acknowledge(written.product, outcome)
  await deps.db.updateTable('products').set({ acknowledged_at: new Date() }).where('id', '=', written.productRowId).execute()
}

/**
 * The push failed for good: recorded with its reason, and the supplier told
 * (Printify publishing_failed unlocks the product). Telling needs the
 * product as the supplier gave it; one we could not read is told by id.
 */
export async function failPush (deps: ProductDeps, request: PushRequest, reason: string, product?: SupplierProduct): Promise<PushResult> {
  const row = await deps.db.transaction().execute(async (trx) => {
    const locked = await lockProduct(trx, request.supplier, request.productId)
    await saveProduct(trx, locked.id, { outcome: 'failed', reason, acknowledged: false })
    await appendProductEvent(trx, { productId: locked.id, kind: 'product.push', actor: request.trigger === 'publish' ? request.supplier : 'ops', outcome: 'failed', detail: `not pushed: ${reason}`, error: reason })
    return locked
  })
  const source = productSource(deps, request.supplier)
  const subject = product ?? minimalProduct(request)
  try {
    await source.acknowledge(subject, { ok: false, reason })
    await deps.db.updateTable('products').set({ acknowledged_at: new Date() }).where('id', '=', row.id).execute()
  } catch (err) {
    await appendProductEvent(deps.db, { productId: row.id, kind: 'product.acknowledge', actor: 'worker', detail: `${request.supplier} could not be told the push failed`, error: errorMessage(err) })
    throw err
  }
  deps.log?.warn({ supplier: request.supplier, productId: request.productId, reason }, 'product push failed')
  return { supplier: request.supplier, productId: request.productId, outcome: 'failed', reason }
}

function minimalProduct (request: PushRequest): SupplierProduct {
  return { supplier: request.supplier, id: request.productId, title: '', descriptionHtml: '', tags: [], options: [], variants: [], images: [] }
}
