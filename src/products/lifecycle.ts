// A pushed product's end, from either side (issue 18). Deleted at the
// supplier (Printify `product:deleted`): the Shopify product is archived, not
// deleted, so orders keep their history, and its pushed mappings go. Deleted
// in the store (Shopify `products/delete`): the supplier is told it left
// (Printify `unpublish`), and the record forgets the store's ids, so a later
// publish creates it again.
import type { Trx } from '../db/database.ts'
import { AppError } from '../lib/errors.ts'
import type { ProductDeps } from './push.ts'
import { productSource } from './push.ts'
import { removePushMappings } from './push-mappings.ts'
import { appendProductEvent, saveProduct } from './records.ts'

export interface LifecycleResult { readonly done: boolean, readonly detail: string }

async function dropMappings (trx: Trx, productRowId: string, variantIds: Record<string, string>, why: string, actor: string): Promise<void> {
  const { removed, flaggedOrders } = await removePushMappings(trx, Object.values(variantIds), why, actor)
  if (removed.length > 0) {
    await appendProductEvent(trx, { productId: productRowId, kind: 'mapping.removed', actor, detail: `${removed.length} pushed mapping(s) removed (${why})${flaggedOrders.length > 0 ? `, ${flaggedOrders.length} open order(s) flagged` : ''}`, data: { removed, flaggedOrders } })
  }
}

/** The supplier deleted the product: archive it in Shopify (idempotent: archiving twice changes nothing). */
export async function archiveProduct (deps: ProductDeps, supplier: string, supplierProductId: string): Promise<LifecycleResult> {
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('products').select(['id', 'shopify_product_id', 'variant_ids', 'store_status'])
      .where('supplier', '=', supplier).where('supplier_product_id', '=', supplierProductId).forUpdate().executeTakeFirst()
    if (!row?.shopify_product_id) return { done: false, detail: `no ${supplier} product ${supplierProductId} was pushed to the store: nothing to archive` }
    if (!deps.store) throw new AppError('not_configured', 'the Shopify store is not configured: the product cannot be archived')
    await deps.store.products.archive(row.shopify_product_id)
    await dropMappings(trx, row.id, row.variant_ids, `product deleted at ${supplier}`, supplier)
    await saveProduct(trx, row.id, { storeStatus: 'ARCHIVED', variantIds: {}, outcome: 'archived', reason: `deleted at ${supplier}`, acknowledged: true })
    await appendProductEvent(trx, { productId: row.id, kind: 'product.archive', actor: supplier, outcome: 'archived', detail: `deleted at ${supplier}: the Shopify product is archived (its orders keep their history)`, data: { shopifyProductId: row.shopify_product_id } })
    return { done: true, detail: `archived ${row.shopify_product_id}` }
  })
}

/** The merchant deleted the product in Shopify: tell its supplier, forget the store's ids. */
export async function withdrawProduct (deps: ProductDeps, shopifyProductId: string): Promise<LifecycleResult> {
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('products').select(['id', 'supplier', 'supplier_product_id', 'variant_ids'])
      .where('shopify_product_id', '=', shopifyProductId).forUpdate().executeTakeFirst()
    if (!row) return { done: false, detail: `${shopifyProductId} is not a pushed product` }
    await productSource(deps, row.supplier).withdrawn(row.supplier_product_id)
    await dropMappings(trx, row.id, row.variant_ids, 'product deleted in Shopify', 'shopify')
    await saveProduct(trx, row.id, { shopifyProductId: null, handle: null, storeStatus: null, digests: {}, variantIds: {}, mediaIds: {}, outcome: 'withdrawn', reason: 'deleted in Shopify', acknowledged: true })
    await appendProductEvent(trx, { productId: row.id, kind: 'product.withdraw', actor: 'shopify', outcome: 'withdrawn', detail: `deleted in Shopify: ${row.supplier} told the product left the store`, data: { shopifyProductId } })
    return { done: true, detail: `withdrew ${row.supplier} product ${row.supplier_product_id}` }
  })
}
