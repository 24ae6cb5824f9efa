// Printify behind the Supplier interface (STYLE.md §5).
import { AppError, isAppError } from '../../lib/errors.ts'
import type { CatalogOptions, CatalogVariant, Problem, Supplier, SupplierAccepted, SupplierObservation, SupplierOrderDraft, SupplierOrderList, SupplierRef, SupplierStatus, SupplierStoreInfo } from '../common/supplier.ts'
import { checkPrintifyOrder } from './check.ts'
import { printifyItemRef } from './item-ref.ts'
import { PrintifyApi, type PrintifyClientOptions } from './client.ts'
import { isOrderFor, printifyStatus, toObservation, toPrintifyOrder } from './mapper.ts'
import { PrintifyProducts } from './products.ts'
import type { PyOrderWire } from './wire.ts'

export interface PrintifySupplierOptions extends PrintifyClientOptions {
  /** Pages of 10 orders (the documented maximum) `find` reads before giving up; default MAX_FIND_PAGES. */
  readonly findPages?: number
  /** The currency of the shop's product prices and costs; Printify's product object names none. Default USD. */
  readonly currency?: string
}

/**
 * A look-up that has read this many pages without finding the order stops
 * and hands it to a person: creating it again could make a second production
 * order. 100 pages are the last 1,000 orders carrying the SKU we ordered (or
 * of the shop, when we ordered by product id), 100 requests: a sixth of a
 * minute's budget (600/min, §2.2).
 */
export const MAX_FIND_PAGES = 100

export class PrintifySupplier implements Supplier {
  readonly name = 'printify' as const
  readonly api: PrintifyApi
  readonly #shopId: string
  readonly #findPages: number
  /** Printify is a publishing channel: publish → product:publish:started → our answer (./products.ts). */
  readonly products: PrintifyProducts

  constructor (options: PrintifySupplierOptions) {
    this.api = new PrintifyApi(options)
    this.#shopId = options.shopId
    this.#findPages = options.findPages ?? MAX_FIND_PAGES
    this.products = new PrintifyProducts(this.api, options.currency ?? 'USD')
  }

  check (order: SupplierOrderDraft): Problem[] {
    return checkPrintifyOrder(order)
  }

  /**
   * Printify has no idempotency key and does not refuse a reused external_id
   * (§5.1): a retry after a lost answer must `find` first, which the submit job
   * does on every attempt after the first. With `confirm`, the order is sent to
   * production; if that second call fails (an 8502 "still pending" included),
   * the error names the created order, so it is confirmed later, never created again.
   */
  async submit (order: SupplierOrderDraft, opts: { confirm: boolean }): Promise<SupplierAccepted> {
    const problems = this.check(order)
    if (problems.length > 0) throw new AppError('bad_request', `Printify: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, { detail: { problems } })
    const id = await this.api.createOrder(toPrintifyOrder(order))
    if (!opts.confirm) return { supplierOrderId: id, externalId: order.externalId, status: 'on_hold' }
    try {
      const sent = await this.api.sendToProduction(id)
      return { supplierOrderId: id, externalId: order.externalId, status: printifyStatus(sent.status).status }
    } catch (err) {
      if (!(err instanceof AppError)) throw err
      throw new AppError(err.code, `${err.message} (order ${id} was created, not yet sent to production)`, {
        cause: err, retryable: err.retryable, ...(err.retryAfterMs === undefined ? {} : { retryAfterMs: err.retryAfterMs }),
        detail: { ...err.detail, supplierOrderId: id, created: true }
      })
    }
  }

  /**
   * No get-by-external-id (§2.4): the order list, narrowed by the SKU we
   * ordered by where there is one (the documented `sku` filter), read page by
   * page until the order is found or the list ends. Ours when
   * metadata.shop_order_id or the label (labelFor) names our external id; the
   * oldest live one wins. The list's order is undocumented, so no page is
   * skipped on the guess that it is newest first.
   */
  async find (externalId: string, draft?: SupplierOrderDraft): Promise<SupplierAccepted | undefined> {
    const sku = draft?.items.map((item) => printifyItemRef.orderedSku(item.ref)).find((s) => s !== undefined)
    for (let page = 1; page <= this.#findPages; page++) {
      const { orders, lastPage } = await this.api.listOrders({ page, limit: 10, sku })
      const found = orders.filter((o) => isOrderFor(o, externalId))
      const best = found.filter((o) => o.status !== 'canceled').sort(byCreated)[0] ?? found.sort(byCreated)[0]
      if (best) return { supplierOrderId: best.id, externalId, status: foundStatus(best.status) }
      if (page >= lastPage || orders.length === 0) return undefined
    }
    const scope = sku ? `${String(this.#findPages * 10)} orders with SKU ${sku}` : `${String(this.#findPages * 10)} orders of the shop`
    throw new AppError('upstream_rejected', `Printify: ${externalId} was not found in ${scope}, but the list goes on: it may have been created all the same, so it is not created again. Look for it in Printify; cancel it here if it is there, retry if it is not`, {
      detail: { findPages: this.#findPages, ...(sku ? { sku } : {}) }
    })
  }

  async statuses (refs: readonly SupplierRef[]): Promise<SupplierObservation[]> {
    const observations: SupplierObservation[] = []
    for (const ref of refs) {
      const order = await this.api.getOrder(ref.supplierOrderId)
      if (order) observations.push(toObservation(order, ref.externalId))
    }
    return observations
  }

  /**
   * GET /v1/shops/{shop}/orders.json?status=&page=&limit=10 (§2.4: "limit
   * default 10, maximum 10"), the same order objects as the single GET: one
   * request reads up to ten orders instead of one. Pages are 1-based at
   * Printify, 0-based here.
   */
  readonly orderList: SupplierOrderList = {
    pageSize: 10,
    filterFor: (status, reason) => printifyListStatus(status, reason),
    page: async (filter, index) => {
      const { orders, lastPage } = await this.api.listOrders({ page: index + 1, limit: this.orderList.pageSize, status: filter })
      return { observations: orders.map((order) => toObservation(order)), last: index + 1 >= lastPage || orders.length < this.orderList.pageSize }
    }
  }

  async cancel (ref: SupplierRef): Promise<'cancelled' | 'too_late'> {
    try {
      await this.api.cancelOrder(ref.supplierOrderId)
      return 'cancelled'
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'upstream_rejected') throw err
      const order = await this.api.getOrder(ref.supplierOrderId)
      return order?.status === 'canceled' ? 'cancelled' : 'too_late'
    }
  }

  /** send_to_production.json, for an order created unconfirmed (or whose send failed). */
  /**
   * POST send_to_production.json. A send whose answer was lost (the worker
   * killed, a 5xx after Printify acted: seen in the chaos run) is asked again
   * and refused, because the order has moved on: "Order with status
   * sending-to-production cannot be sent to production" (8252, §2.4). So a
   * refusal is checked against the order itself: one already on its way to
   * production is the answer we were waiting for, not a problem for a person.
   */
  async confirm (ref: SupplierRef): Promise<SupplierAccepted> {
    try {
      const order = await this.api.sendToProduction(ref.supplierOrderId)
      return { supplierOrderId: order.id, externalId: ref.externalId, status: printifyStatus(order.status).status }
    } catch (err) {
      if (!isAppError(err) || err.code !== 'upstream_rejected') throw err
      const order = await this.api.getOrder(ref.supplierOrderId)
      if (!order || !sentToProduction(order.status)) throw err
      return { supplierOrderId: order.id, externalId: ref.externalId, status: printifyStatus(order.status).status }
    }
  }

  async * catalog (options: CatalogOptions = {}): AsyncIterable<CatalogVariant> {
    const limit = 50
    const skip = options.skipProducts ?? 0
    for (let page = Math.floor(skip / limit) + 1; ; page++) {
      const { products, lastPage } = await this.api.products({ page, limit })
      for (const [i, product] of products.entries()) {
        const productIndex = (page - 1) * limit + i
        if (productIndex < skip) continue
        for (const variant of product.variants) {
          if (variant.is_enabled === false) continue
          yield {
            supplier: 'printify',
            productId: product.id,
            productName: product.title,
            variantId: String(variant.id),
            variantName: variant.title,
            ...(variant.sku ? { sku: variant.sku } : {}),
            // Cents as integers on the wire (§2.4).
            ...(variant.price === null || variant.price === undefined ? {} : { retailPrice: (variant.price / 100).toFixed(2) }),
            ref: { productId: product.id, variantId: String(variant.id) },
            productIndex
          }
        }
      }
      if (page >= lastPage) return
    }
  }

  /** A Printify shop on the "shopify" sales channel imports the store's orders itself. */
  async storeInfo (): Promise<SupplierStoreInfo> {
    const shop = (await this.api.shops()).find((s) => String(s.id) === this.#shopId)
    if (!shop) throw new AppError('upstream_rejected', `Printify: shop ${this.#shopId} is not visible to this token`)
    const channel = shop.sales_channel ?? 'unknown'
    return {
      supplier: 'printify', id: String(shop.id), name: shop.title, kind: channel, importsOrdersItself: channel === 'shopify',
      description: `Printify shop ${String(shop.id)} ("${shop.title}") is on the "${channel}" sales channel`, remedy: 'Use an API shop (Printify).'
    }
  }
}

/** Printify's statuses once an order was sent to production (§2.4): a second send is refused, the first one worked. */
function sentToProduction (status: string): boolean {
  return ['sending-to-production', 'in-production', 'partially-fulfilled', 'fulfilled'].includes(status)
}

/** Our status (and the Printify status kept as its reason) back to Printify's status name, for the list filter. */
function printifyListStatus (status: SupplierStatus, reason: string | null): string | undefined {
  switch (status) {
    case 'pending': return reason === 'sending-to-production' ? reason : 'pending'
    case 'on_hold': return reason === 'payment-not-received' ? reason : 'on-hold'
    case 'in_production': return 'in-production'
    case 'partially_shipped': return 'partially-fulfilled'
    case 'failed': return 'had-issues'
    default: return undefined
  }
}

/** A new order's brief `pending` is, to the submit job, on hold: created, not sent to production, to be confirmed. */
function foundStatus (status: string): SupplierStatus {
  return status === 'pending' ? 'on_hold' : printifyStatus(status).status
}

function byCreated (a: PyOrderWire, b: PyOrderWire): number {
  return a.created_at.localeCompare(b.created_at)
}
