// Printful behind the Supplier interface (STYLE.md §5).
import { AppError } from '../../lib/errors.ts'
import type { CatalogOptions, CatalogVariant, Problem, Supplier, SupplierAccepted, SupplierObservation, SupplierOrderDraft, SupplierOrderList, SupplierRef, SupplierStatus, SupplierStoreInfo } from '../common/supplier.ts'
import { checkPrintfulOrder } from './check.ts'
import { isExternalIdInUse, isInvalidShippingMethod, PrintfulApi, type PrintfulClientOptions } from './client.ts'
import { toAccepted, toObservation, toPrintfulOrder } from './mapper.ts'
import { PrintfulProducts } from './products.ts'
import type { PfOrderWire } from './wire.ts'

export class PrintfulSupplier implements Supplier {
  readonly name = 'printful' as const
  readonly api: PrintfulApi
  readonly #storeId: string | undefined
  /** Sync products of a Manual/API store, read on demand (./products.ts). */
  readonly products: PrintfulProducts

  constructor (options: PrintfulClientOptions) {
    this.api = new PrintfulApi(options)
    this.#storeId = options.storeId
    this.products = new PrintfulProducts(this.api)
  }

  check (order: SupplierOrderDraft): Problem[] {
    return checkPrintfulOrder(order)
  }

  /**
   * Creates the order, confirmed unless asked not to or a test order (DESIGN.md:
   * test orders stay Printful drafts). A reused external_id is OR-13: the
   * existing order is adopted only when its items are ours (DESIGN.md "external_id").
   */
  async submit (order: SupplierOrderDraft, opts: { confirm: boolean }): Promise<SupplierAccepted> {
    const problems = this.check(order)
    if (problems.length > 0) throw new AppError('bad_request', `Printful: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, { detail: { problems } })
    const confirm = opts.confirm && !order.test
    try {
      return toAccepted(await this.api.createOrder(toPrintfulOrder(order), { confirm, updateExisting: false }), order.externalId)
    } catch (err) {
      if (isInvalidShippingMethod(err)) {
        const method = typeof order.shipping === 'string' ? order.shipping : 'STANDARD'
        const said = err instanceof AppError && typeof err.detail?.supplierMessage === 'string' ? err.detail.supplierMessage : 'OR-4 INVALID_SHIPPING_METHOD'
        throw new AppError('upstream_rejected', `Printful refused shipping method "${method}" (${said}): set SHIPPING_METHODS to a method Printful offers for this destination (POST /shipping/rates lists them)`, { cause: err, ...(err instanceof AppError && err.detail ? { detail: err.detail } : {}) })
      }
      if (!isExternalIdInUse(err)) throw err
      const existing = await this.api.getOrder({ externalId: order.externalId })
      if (!existing) throw err
      if (!sameItems(existing, order)) {
        throw new AppError('upstream_rejected', `Printful: external_id ${order.externalId} is in use by order ${String(existing.id)} with other items`, {
          cause: err, detail: { supplierOrderId: String(existing.id) }
        })
      }
      const adopted = confirm && existing.status === 'draft' ? await this.api.confirmOrder(String(existing.id)) : existing
      return toAccepted(adopted, order.externalId)
    }
  }

  async find (externalId: string): Promise<SupplierAccepted | undefined> {
    const order = await this.api.getOrder({ externalId })
    return order ? toAccepted(order, externalId) : undefined
  }

  /** v1 has no multi-get: one GET /orders/{id} per order. */
  async statuses (refs: readonly SupplierRef[]): Promise<SupplierObservation[]> {
    const observations: SupplierObservation[] = []
    for (const ref of refs) {
      const order = await this.api.getOrder({ id: ref.supplierOrderId })
      if (order) observations.push(toObservation(order, ref.externalId))
    }
    return observations
  }

  /**
   * GET /orders?status=&offset=&limit=100 (§1.5, PF-v1 getOrders: "limit max
   * 100"), the same Order objects as GET /orders/{id}. The order of the list is
   * not documented (the official PHP SDK's sample calls it "latest orders");
   * the sweeper does not depend on it.
   */
  readonly orderList: SupplierOrderList = {
    pageSize: 100,
    filterFor: (status) => printfulListStatus[status],
    page: async (filter, index) => {
      const offset = index * this.orderList.pageSize
      const { orders, total } = await this.api.listOrders({ status: filter, offset, limit: this.orderList.pageSize })
      return { observations: orders.map((order) => toObservation(order)), last: orders.length < this.orderList.pageSize || offset + orders.length >= total }
    }
  }

  /** v1 DELETE cancels draft, pending (and failed) orders; anything further along is too late (§1.5). */
  async cancel (ref: SupplierRef): Promise<'cancelled' | 'too_late'> {
    try {
      await this.api.cancelOrder(ref.supplierOrderId)
      return 'cancelled'
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'upstream_rejected') throw err
      const order = await this.api.getOrder({ id: ref.supplierOrderId })
      if (order?.status === 'canceled') return 'cancelled'
      return 'too_late'
    }
  }

  /** Confirms a draft: after creation with confirm=false, or after the cost calculation sent it back to draft (§1.4). */
  async confirm (ref: SupplierRef): Promise<SupplierAccepted> {
    return toAccepted(await this.api.confirmOrder(ref.supplierOrderId), ref.externalId)
  }

  /** One request per product (its variants) under a 120-a-minute budget: a resumed import skips what it has. */
  async * catalog (options: CatalogOptions = {}): AsyncIterable<CatalogVariant> {
    const limit = 100
    const skip = options.skipProducts ?? 0
    for (let offset = Math.floor(skip / limit) * limit; ; offset += limit) {
      const page = await this.api.syncProducts({ offset, limit })
      for (const [i, product] of page.products.entries()) {
        const productIndex = offset + i
        if (productIndex < skip) continue
        const detail = await this.api.syncProduct(String(product.id))
        for (const variant of detail.sync_variants) {
          if (variant.is_ignored) continue
          yield {
            supplier: 'printful',
            productId: String(product.id),
            productName: product.name,
            variantId: String(variant.id),
            variantName: variant.name,
            ...(variant.sku ? { sku: variant.sku } : {}),
            ...(variant.external_id ? { externalId: variant.external_id } : {}),
            ...(variant.retail_price ? { retailPrice: variant.retail_price } : {}),
            ...(variant.currency ? { currency: variant.currency } : {}),
            ref: { syncVariantId: String(variant.id) },
            productIndex
          }
        }
      }
      if (page.products.length < limit || offset + limit >= page.total) return
    }
  }

  /**
   * The shipping method ids Printful offers for one of the store's products sent
   * to the v1 spec's own example address (Chatsworth, CA, US): what SHIPPING_METHODS
   * is checked against at start. Undefined when the store has no product to ask with.
   */
  async offeredShippingMethods (): Promise<{ ids: string[], asked: string } | undefined> {
    const { products } = await this.api.syncProducts({ offset: 0, limit: 1 })
    const product = products[0]
    if (!product) return undefined
    const variant = (await this.api.syncProduct(String(product.id))).sync_variants.find((v) => typeof v.variant_id === 'number')
    if (!variant || typeof variant.variant_id !== 'number') return undefined
    const rates = await this.api.shippingRates({
      recipient: { address1: '19749 Dearborn St', city: 'Chatsworth', country_code: 'US', state_code: 'CA', zip: '91311' },
      items: [{ variant_id: String(variant.variant_id), quantity: 1 }]
    })
    return { ids: rates.map((rate) => rate.id), asked: `one "${variant.name}" to Chatsworth, CA, US` }
  }

  /** GET /stores: a store of any type but "native" (Manual order / API) imports the shop's orders itself (§1.9). */
  async storeInfo (): Promise<SupplierStoreInfo> {
    const stores = await this.api.stores()
    const store = this.#storeId ? stores.find((s) => String(s.id) === this.#storeId) : stores[0]
    if (!store) throw new AppError('upstream_rejected', this.#storeId ? `Printful: store ${this.#storeId} is not visible to this token` : 'Printful: the token sees no store')
    return {
      supplier: 'printful', id: String(store.id), name: store.name, kind: store.type, importsOrdersItself: store.type !== 'native',
      description: `Printful store ${String(store.id)} ("${store.name}") is of type "${store.type}"`, remedy: 'Use a Manual order / API store (Printful).'
    }
  }
}

/** Our status back to the v1 status it came from, for the list filter; settled ones are never polled. */
const printfulListStatus: Partial<Record<SupplierStatus, string>> = {
  draft: 'draft', pending: 'pending', on_hold: 'onhold', in_production: 'inprocess', partially_shipped: 'partial', failed: 'failed'
}

function sameItems (existing: PfOrderWire, draft: SupplierOrderDraft): boolean {
  const theirs = existing.items.map((item) => `${item.external_id ?? ''}×${String(item.quantity)}`).sort()
  const ours = draft.items.map((item) => `${item.lineRef}×${String(item.quantity)}`).sort()
  return theirs.length === ours.length && theirs.every((value, index) => value === ours[index])
}
