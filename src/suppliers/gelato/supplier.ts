// Gelato behind the Supplier interface (STYLE.md §5). One supplier order of
// ours is one orderReferenceId at Gelato, which may be several connected
// orders after a split (https://dashboard.gelato.com/docs/orders/order_details/):
// every read and the cancellation go through all of them.
import { AppError } from '../../lib/errors.ts'
import type { CatalogOptions, CatalogVariant, FindContext, Problem, Supplier, SupplierAccepted, SupplierObservation, SupplierOrderDraft, SupplierRef } from '../common/supplier.ts'
import { checkGelatoOrder } from './check.ts'
import { GelatoApi, type GelatoClientOptions } from './client.ts'
import { gelatoStatus, toGelatoOrder, toObservation } from './mapper.ts'
import type { GtOrderWire } from './wire.ts'

/** References per search request: the docs give no maximum, so a modest one. */
const SEARCH_BATCH = 50

/**
 * How long after a create of ours the search may not show the order yet.
 * "Order creation is internally queued and therefore there can be a small
 * delay (typically 1-3 seconds)" (https://dashboard.gelato.com/docs/orders/v2/status);
 * "typically" bounds nothing, so twenty times the top of it. While it runs, a
 * search that finds nothing proves nothing.
 */
export const GELATO_SEARCH_LAG_MS = 60_000

export interface GelatoSupplierOptions extends GelatoClientOptions {
  /** GELATO_SEARCH_LAG_MS unless a test says otherwise. */
  readonly searchLagMs?: number
  readonly now?: () => number
}

// "if the order has moved to status printed or shipped the order can't be canceled" (v4/cancel), and
// "an order can only be canceled ... before it moves into production" (order_details), "once an order's
// status progresses beyond Passed ... cancellations are no longer feasible"
// (https://support.gelato.com/en/articles/8996057): anything past `passed` is too late.
const tooLateToCancel = new Set(['in_production', 'printed', 'shipped', 'in_transit', 'delivered', 'returned'])

export class GelatoSupplier implements Supplier {
  readonly name = 'gelato' as const
  readonly api: GelatoApi
  readonly #searchLagMs: number
  readonly #now: () => number
  /** When this process last sent a create per orderReferenceId: the search may not show it yet (see find). */
  readonly #createsSent = new Map<string, number>()

  constructor (options: GelatoSupplierOptions) {
    this.api = new GelatoApi(options)
    this.#searchLagMs = options.searchLagMs ?? GELATO_SEARCH_LAG_MS
    this.#now = options.now ?? Date.now
  }

  check (order: SupplierOrderDraft): Problem[] {
    return checkGelatoOrder(order)
  }

  /**
   * Gelato has no idempotency key: a create whose answer was lost is found by
   * the orders search on orderReferenceId before a second one is sent (the
   * submit job calls `find` on every attempt after the first). With `confirm`
   * false (a test order) the order is created as a draft, which Gelato never
   * produces until someone submits it (order_details "draft").
   */
  async submit (order: SupplierOrderDraft, opts: { confirm: boolean }): Promise<SupplierAccepted> {
    const problems = this.check(order)
    if (problems.length > 0) throw new AppError('bad_request', `Gelato: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, { detail: { problems } })
    this.#remember(order.externalId)
    const created = await this.api.createOrder(toGelatoOrder(order, opts))
    return { supplierOrderId: created.id, externalId: order.externalId, status: gelatoStatus(created.fulfillmentStatus).status }
  }

  /**
   * POST /v4/orders:search by orderReferenceIds; the oldest live part of a
   * split order is the one we keep. Gelato queues a new order before the
   * search knows it (GELATO_SEARCH_LAG_MS): if a create was sent for
   * the reference less than that long ago, "not found" is not an answer, and
   * find says "not yet" (the submission asks again later, backing off) rather
   * than let a second order be created. A create sent by another process (a
   * worker that died) is known from `context.lastAttemptAt`, when the
   * previous submission attempt began (our timeline).
   */
  async find (externalId: string, _draft?: SupplierOrderDraft, context: FindContext = {}): Promise<SupplierAccepted | undefined> {
    const found = await this.#byReference(externalId)
    const byCreated = (a: { createdAt: string }, b: { createdAt: string }) => Date.parse(a.createdAt) - Date.parse(b.createdAt)
    const best = found.filter((o) => o.fulfillmentStatus !== 'canceled').sort(byCreated)[0] ?? found.sort(byCreated)[0]
    if (best) return { supplierOrderId: best.id, externalId, status: gelatoStatus(best.fulfillmentStatus).status }
    const lastAttempt = context.lastAttemptAt === undefined ? undefined : Date.parse(context.lastAttemptAt)
    const times = [this.#createsSent.get(externalId), lastAttempt].filter((at): at is number => at !== undefined && Number.isFinite(at))
    const sentAt = times.length > 0 ? Math.max(...times) : undefined
    const since = sentAt === undefined ? undefined : this.#now() - sentAt
    if (since !== undefined && since < this.#searchLagMs) {
      throw new AppError('upstream_transient', `Gelato: ${externalId} is not in the order search ${String(Math.round(since / 1000))} s after its create was sent; Gelato queues new orders before the search shows them, so it is looked for again before anything is created`, {
        detail: { service: 'Gelato', notYet: true, externalId, sinceCreateMs: since }
      })
    }
    return undefined
  }

  /** The Gelato orders (every part of a split one) whose orderReferenceId is exactly ours. */
  async #byReference (externalId: string) {
    return (await this.api.searchByReference([externalId])).filter((o) => o.orderReferenceId === externalId)
  }

  /** Notes a create about to be sent; entries older than the lag are dropped on the way. */
  #remember (externalId: string): void {
    const now = this.#now()
    for (const [ref, at] of this.#createsSent) if (now - at >= this.#searchLagMs) this.#createsSent.delete(ref)
    this.#createsSent.set(externalId, now)
  }

  /**
   * One observation per supplier order, merging its connected orders: the
   * search names every order on our references in one request per batch, then
   * each part is read for its items and parcels. Orders Gelato does not know
   * are left out.
   */
  async statuses (refs: readonly SupplierRef[]): Promise<SupplierObservation[]> {
    const observations: SupplierObservation[] = []
    for (let i = 0; i < refs.length; i += SEARCH_BATCH) {
      const batch = refs.slice(i, i + SEARCH_BATCH)
      const found = await this.api.searchByReference(batch.map((r) => r.externalId))
      for (const ref of batch) {
        const known = found.filter((o) => o.orderReferenceId === ref.externalId).map((o) => o.id)
        const parts = await this.#parts(ref, known)
        if (parts.length > 0) observations.push(toObservation(parts, ref.supplierOrderId, ref.externalId))
      }
    }
    return observations
  }

  /**
   * Cancels every part, or none: if any part is already in production (or
   * beyond), cancelling the others would leave half an order, so it is
   * `too_late` as a whole and nothing is cancelled. A 409 on the way (a part
   * moved on in between) is `too_late` too; the parts already cancelled stay so
   * and the next status read shows them.
   */
  async cancel (ref: SupplierRef): Promise<'cancelled' | 'too_late'> {
    const found = (await this.#byReference(ref.externalId)).map((o) => o.id)
    const parts = await this.#parts(ref, found)
    if (parts.length === 0) throw new AppError('not_found', `Gelato: no order ${ref.supplierOrderId} (${ref.externalId})`)
    if (parts.some((p) => tooLateToCancel.has(p.fulfillmentStatus))) return 'too_late'
    for (const part of parts.filter((p) => p.fulfillmentStatus !== 'canceled')) {
      if (await this.api.cancelOrder(part.id) === 'too_late') return 'too_late'
    }
    return 'cancelled'
  }

  /**
   * Orders are created as orders, never confirmed later; a draft (a test
   * order) is submitted by a person in Gelato's dashboard. Anything else is
   * read as it stands.
   */
  async confirm (ref: SupplierRef): Promise<SupplierAccepted> {
    const order = await this.api.getOrder(ref.supplierOrderId)
    if (!order) throw new AppError('not_found', `Gelato: no order ${ref.supplierOrderId}`)
    if (order.fulfillmentStatus === 'draft') throw new AppError('upstream_rejected', `Gelato: order ${order.id} is a draft; submit it in Gelato's dashboard`)
    return { supplierOrderId: order.id, externalId: ref.externalId, status: gelatoStatus(order.fulfillmentStatus).status }
  }

  /**
   * Every product of every catalog (Product API v3: GET /v3/catalogs, then
   * POST /v3/catalogs/{uid}/products:search by pages of 100). A product is one
   * productUid: imported with its productUid as SKU, so a store variant whose
   * SKU is that productUid is mapped to it.
   */
  async * catalog (options: CatalogOptions = {}): AsyncIterable<CatalogVariant> {
    const skip = options.skipProducts ?? 0
    const limit = 100
    let productIndex = 0
    for (const catalog of await this.api.catalogs()) {
      for (let offset = 0; ; offset += limit) {
        const products = await this.api.products(catalog.catalogUid, { limit, offset })
        for (const product of products) {
          const index = productIndex++
          if (index < skip) continue
          yield {
            supplier: 'gelato',
            productId: catalog.catalogUid,
            productName: catalog.title,
            variantId: product.productUid,
            variantName: Object.values(product.attributes ?? {}).map(String).join(' / ') || product.productUid,
            sku: product.productUid,
            ref: { productUid: product.productUid, files: [] },
            productIndex: index
          }
        }
        if (products.length < limit) break
      }
    }
  }

  /** Every Gelato order of one supplier order: the one we stored, those the search found, and any they name as connected. */
  async #parts (ref: SupplierRef, found: readonly string[]): Promise<GtOrderWire[]> {
    const pending = [...new Set([ref.supplierOrderId, ...found].filter((id) => id !== ''))]
    const seen = new Set<string>()
    const parts: GtOrderWire[] = []
    while (pending.length > 0) {
      const id = pending.shift() ?? ''
      if (seen.has(id)) continue
      seen.add(id)
      const order = await this.api.getOrder(id)
      if (!order || order.orderReferenceId !== ref.externalId) continue
      parts.push(order)
      for (const connected of order.connectedOrderIds ?? []) if (!seen.has(connected)) pending.push(connected)
    }
    return parts
  }
}
