// The simulated Gelato account: its orders, how they move, the split into
// connected orders and the refusals that come after creation. Sources:
//   statuses, split   https://dashboard.gelato.com/docs/orders/order_details/
//   create            https://dashboard.gelato.com/docs/orders/v4/create
//   cancel (409)      https://dashboard.gelato.com/docs/orders/v4/cancel
//   search lag        https://dashboard.gelato.com/docs/orders/v2/status
//   events            https://dashboard.gelato.com/docs/webhooks/
import { postalCodeRequired } from '../../suppliers/common/countries.ts'
import { splitIntoPackages, type AdvanceStep } from '../common/advance.ts'
import { gelatoTime, simUuid, type GtSimCatalog, type GtSimItem, type GtSimOrder, type GtSimStatus } from './wire.ts'

export class GelatoSimError extends Error {
  readonly status: number
  readonly code: string
  constructor (status: number, code: string, message: string) {
    super(message)
    this.status = status
    this.code = code
  }
}

/** Error answers: {code, message} (the gRPC-style codes of Gelato's v3/v4 APIs). */
export function gelatoErrorBody (code: string, message: string): unknown {
  return { code, message, details: [] }
}

export type GelatoEmit = (event: string, order: GtSimOrder, extra: Record<string, unknown>) => void

export interface CreateBody {
  orderType?: string
  orderReferenceId?: string
  customerReferenceId?: string
  currency?: string
  items?: { itemReferenceId?: string, productUid?: string, quantity?: number, files?: { type: string, url: string }[] }[]
  shipmentMethodUid?: string
  shippingAddress?: Record<string, unknown>
}

// "if the order has moved to status printed or shipped the order can't be canceled" (v4/cancel) and
// "can only be canceled ... before it moves into production" (order_details): in_production is refused too.
const notCancellable = new Set<GtSimStatus>(['in_production', 'printed', 'shipped', 'delivered'])

const shipmentMethods: Readonly<Record<string, string>> = { normal: 'DHL eCommerce Parcel', standard: 'UPS Standard', express: 'DHL Express Worldwide' }

export class GelatoState {
  readonly orders = new Map<string, GtSimOrder>()
  readonly catalogs: readonly GtSimCatalog[]
  /** The next order with two or more items is split in two connected orders (control). */
  splitNext = false
  readonly #now: () => number
  readonly #emit: GelatoEmit
  #nextOrder = 1
  #nextItem = 1
  #nextPackage = 1
  #nextShipment = 1
  #nextTracking = 1

  /**
   * How long a new order stays out of the search. "Order creation is internally
   * queued and therefore there can be a small delay (typically 1-3 seconds)
   * between the order placement call and the Order status API being able to
   * return a meaningful status" (https://dashboard.gelato.com/docs/orders/v2/status).
   * The v4 search says nothing either way: that it lags the same way is the
   * stricter reading. GET by id is not delayed (the v4 create answers the order
   * with its id); `getLagMs` delays it too where a test wants that.
   */
  searchLagMs: number
  getLagMs: number
  readonly #createdMs = new Map<string, number>()

  constructor (options: { catalogs: readonly GtSimCatalog[], now: () => number, emit: GelatoEmit, searchLagMs: number, getLagMs: number }) {
    this.catalogs = options.catalogs
    this.#now = options.now
    this.#emit = options.emit
    this.searchLagMs = options.searchLagMs
    this.getLagMs = options.getLagMs
  }

  /** False while the order is still in Gelato's queue for a reader that lags by `lagMs`. */
  #visible (order: GtSimOrder, lagMs: number): boolean {
    return this.#now() - (this.#createdMs.get(order.id) ?? 0) >= lagMs
  }

  get (id: string): GtSimOrder {
    const order = this.orders.get(id)
    if (!order || !this.#visible(order, this.getLagMs)) throw new GelatoSimError(404, 'not_found', 'Order not found.')
    return order
  }

  #newShipment (uid: string, country: string): NonNullable<GtSimOrder['shipment']> {
    return { id: simUuid(0x5417, this.#nextShipment++), shipmentMethodName: shipmentMethods[uid] ?? uid, shipmentMethodUid: uid, fulfillmentCountry: country, packages: [] }
  }

  /** The order whatever the lag (the control API's view). */
  known (id: string): GtSimOrder {
    const order = this.orders.get(id)
    if (!order) throw new GelatoSimError(404, 'not_found', 'Order not found.')
    return order
  }

  list (): GtSimOrder[] {
    return [...this.orders.values()]
  }

  /**
   * Gelato checks no uniqueness of orderReferenceId: a retried create makes a
   * second order. The docs name no idempotency key and no uniqueness rule
   * (v4/create), and Odoo's Gelato connector had to stop creating "duplicate
   * Gelato orders on each retry" (https://github.com/odoo/odoo/pull/228107). A split (control) makes
   * two orders sharing the reference, each naming the other in
   * connectedOrderIds; the create answers the first.
   */
  create (body: CreateBody): GtSimOrder {
    const valid = this.#validate(body)
    const time = this.#time()
    const draft = body.orderType === 'draft'
    const status: GtSimStatus = draft ? 'draft' : 'created'
    const items: GtSimItem[] = valid.items.map((item) => ({ id: simUuid(0x17e3, this.#nextItem++), ...item, fulfillmentStatus: status }))
    const groups = this.splitNext && items.length >= 2 && !draft ? splitIntoPackages(items, 2) : [items]
    if (groups.length > 1) this.splitNext = false
    const orders = groups.map((group): GtSimOrder => ({
      id: simUuid(0x0c0de, this.#nextOrder++),
      orderType: draft ? 'draft' : 'order',
      orderReferenceId: valid.orderReferenceId,
      customerReferenceId: valid.customerReferenceId,
      fulfillmentStatus: status,
      financialStatus: draft ? 'draft' : 'to_be_invoiced',
      currency: valid.currency,
      channel: 'api',
      storeId: null,
      createdAt: time,
      updatedAt: time,
      orderedAt: draft ? null : time,
      items: group,
      shippingAddress: valid.address,
      // The create already answers the shipment, with no packages yet (order_details' split example: "packages": []).
      shipment: this.#newShipment(body.shipmentMethodUid ?? 'normal', valid.address.country ?? ''),
      connectedOrderIds: []
    }))
    for (const order of orders) {
      order.connectedOrderIds = orders.filter((o) => o !== order).map((o) => o.id)
      this.orders.set(order.id, order)
      this.#createdMs.set(order.id, this.#now())
      this.#shipmentMethod.set(order.id, body.shipmentMethodUid ?? 'normal')
    }
    return orders[0] as GtSimOrder
  }

  readonly #shipmentMethod = new Map<string, string>()

  /** v4/search by orderReferenceIds or ids, newest first (the docs do not say; integrations read it so); orders still queued (searchLagMs) are not found. */
  search (filter: { orderReferenceIds?: string[] | undefined, ids?: string[] | undefined, limit: number, offset: number }): GtSimOrder[] {
    return this.list()
      .filter((o) => this.#visible(o, this.searchLagMs))
      .filter((o) => (filter.orderReferenceIds === undefined || filter.orderReferenceIds.includes(o.orderReferenceId)) && (filter.ids === undefined || filter.ids.includes(o.id)))
      .reverse()
      .slice(filter.offset, filter.offset + filter.limit)
  }

  cancel (order: GtSimOrder): void {
    if (order.fulfillmentStatus === 'canceled') return
    if (notCancellable.has(order.fulfillmentStatus)) throw new GelatoSimError(409, 'failed_precondition', 'The order cannot be canceled, because at least one of the items is in \'printed\' status.')
    this.#setStatus(order, 'canceled')
  }

  advance (order: GtSimOrder, step: AdvanceStep): GtSimOrder {
    switch (step.to) {
      case 'in_production':
        this.#setStatus(order, 'in_production')
        break
      case 'shipped':
        this.#ship(order, step)
        break
      case 'delivered':
        this.#setStatus(order, 'delivered')
        break
      // A refusal after creation: "failed ... invalid shipping address, payment failure, ... Out of Stock" (order_details).
      case 'failed':
        order.comment = step.reason
        this.#setStatus(order, 'failed')
        break
      // "pending_approval: the order will not be printed ... if it is not approved in the Gelato dashboard".
      case 'on_hold':
        order.comment = step.reason
        this.#setStatus(order, 'pending_approval')
        break
      case 'cancelled':
        order.comment = step.reason
        this.#setStatus(order, 'canceled')
        break
      case 'reshipped':
      case 'returned':
      case 'draft':
      case 'payment_not_received':
        throw new GelatoSimError(400, 'invalid_argument', `the Gelato simulator does not model ${step.to}`)
    }
    return order
  }

  /**
   * Parcels: shipment.packages[] each naming its order items (v4/get), and an
   * order_item_tracking_code_updated per item (webhooks page). The order is
   * `shipped` once every item is.
   */
  #ship (order: GtSimOrder, step: Extract<AdvanceStep, { to: 'shipped' }>): void {
    const remaining = order.items.filter((item) => item.fulfillmentStatus !== 'shipped' && item.fulfillmentStatus !== 'canceled')
    const toShip = remaining.slice(0, step.items ?? remaining.length)
    if (toShip.length === 0) throw new GelatoSimError(400, 'failed_precondition', 'Every item has shipped already')
    const uid = this.#shipmentMethod.get(order.id) ?? 'normal'
    const methodName = step.carrier ?? shipmentMethods[uid] ?? uid
    order.shipment ??= this.#newShipment(uid, order.shippingAddress.country ?? '')
    order.shipment.shipmentMethodName = methodName
    for (const group of splitIntoPackages(toShip, step.packages)) {
      const code = step.tracking ? `GLT${String(this.#nextTracking++).padStart(12, '0')}` : ''
      order.shipment.packages.push({ id: simUuid(0x9ac, this.#nextPackage++), orderItemIds: group.map((i) => i.id), trackingCode: code, trackingUrl: code ? `https://gelato.tracking.example/${code}` : '' })
      for (const item of group) {
        this.#setItemStatus(order, item, 'shipped')
        order.updatedAt = this.#time()
        if (code) this.#emit('order_item_tracking_code_updated', order, { itemReferenceId: item.itemReferenceId, trackingCode: code, trackingUrl: `https://gelato.tracking.example/${code}`, shipmentMethodName: methodName, shipmentMethodUid: uid })
      }
    }
    if (order.items.every((i) => i.fulfillmentStatus === 'shipped' || i.fulfillmentStatus === 'canceled')) this.#setStatus(order, 'shipped')
  }

  #setStatus (order: GtSimOrder, status: GtSimStatus): void {
    order.fulfillmentStatus = status
    for (const item of order.items) if (item.fulfillmentStatus !== 'shipped' || status === 'delivered') this.#setItemStatus(order, item, status)
    order.updatedAt = this.#time()
    this.#emit('order_status_updated', order, {})
  }

  /** "Order Item Status Updated ... triggered when the status of an item has changed" (webhooks page), with its `status` and `comment`. */
  #setItemStatus (order: GtSimOrder, item: GtSimItem, status: GtSimStatus): void {
    if (item.fulfillmentStatus === status) return
    item.fulfillmentStatus = status
    this.#emit('order_item_status_updated', order, { itemReferenceId: item.itemReferenceId, status, comment: order.comment ?? '' })
  }

  #validate (body: CreateBody): { orderReferenceId: string, customerReferenceId: string, currency: string, items: Omit<GtSimItem, 'id' | 'fulfillmentStatus'>[], address: Record<string, string> } {
    const problems: string[] = []
    if (!body.orderReferenceId) problems.push('orderReferenceId is required')
    if (!body.customerReferenceId) problems.push('customerReferenceId is required')
    if (!body.currency || !/^[A-Z]{3}$/.test(body.currency)) problems.push('currency is required')
    const a = Object.fromEntries(Object.entries(body.shippingAddress ?? {}).map(([k, v]) => [k, typeof v === 'string' || typeof v === 'number' ? String(v) : '']))
    for (const field of ['firstName', 'lastName', 'addressLine1', 'city', 'country', 'email']) if (!a[field]) problems.push(`shippingAddress.${field} is required`)
    if (!a.postCode && postalCodeRequired(a.country)) problems.push('shippingAddress.postCode is required')
    if (['US', 'CA', 'AU'].includes(a.country ?? '') && !a.state) problems.push('shippingAddress.state is required for this country')
    const known = new Set(this.catalogs.flatMap((c) => c.products.map((p) => p.productUid)))
    if (!body.items || body.items.length === 0) problems.push('items is required')
    const items = (body.items ?? []).map((item, index) => {
      if (!item.productUid || !known.has(item.productUid)) problems.push(`items[${String(index)}].productUid is not a known product`)
      if (!item.itemReferenceId) problems.push(`items[${String(index)}].itemReferenceId is required`)
      if (!Number.isInteger(item.quantity) || (item.quantity ?? 0) < 1) problems.push(`items[${String(index)}].quantity must be at least 1`)
      if (!item.files || item.files.length === 0) problems.push(`items[${String(index)}].files is required for a printable product`)
      return { itemReferenceId: item.itemReferenceId ?? '', productUid: item.productUid ?? '', quantity: item.quantity ?? 0, files: item.files ?? [] }
    })
    if (problems.length > 0) throw new GelatoSimError(400, 'invalid_argument', problems.join('; '))
    return { orderReferenceId: body.orderReferenceId ?? '', customerReferenceId: body.customerReferenceId ?? '', currency: body.currency ?? '', items, address: a }
  }

  #time (): string {
    return gelatoTime(this.#now())
  }
}
