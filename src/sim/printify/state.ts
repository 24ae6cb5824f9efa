// The simulated Printify shop: its orders, how they move, and the shop setting
// that sends on-hold orders to production by itself after a delay (§2.4, §5.4).
import { splitIntoPackages, type AdvanceStep } from '../common/advance.ts'
import { PrintifySimError, validateSubmit, type SubmitBody } from './orders.ts'
import { notYet, printifyTime, type PyLineItem, type PyOrder, type PyShipment, type PyStatus, type SimPrintifyProduct } from './wire.ts'

export interface PrintifyShop { readonly id: number, readonly title: string, readonly sales_channel: string }

export type PrintifyEmit = (type: string, order: PyOrder, data: Record<string, unknown>) => void

/**
 * What metadata.shop_order_id holds for an API order. The documented sample
 * has a number there (§2.4; an imported order's shop id), so a text
 * external_id may well not come back: `absent` (default) leaves it out,
 * `other` puts a number of Printify's own, `echo` gives the external_id back.
 */
export type ShopOrderIdMode = 'absent' | 'other' | 'echo'

/**
 * "pending: brief, right after creation" (§2.4); observed in live use as "a
 * short, variable amount of time", during which send_to_production is refused
 * with 8502 (test/fixtures/suppliers/printify-8502-pending.json: one
 * integration polls every 1.5 s, up to 5 times, for it to pass). Two seconds:
 * long enough that an immediate send is always refused, as it was there.
 */
export const defaultPendingForMs = 2_000

/** The 8502 refusal as observed (the message is the reason's words; the docs give no example). */
const stillPendingReason = 'It is not allowed to sent order to production with status pending.'

// "Only accepted for orders in on-hold or payment-not-received" (§2.4 cancel.json).
const cancellable = new Set<PyStatus>(['on-hold', 'payment-not-received'])

export class PrintifyState {
  readonly orders = new Map<string, PyOrder>()
  readonly shop: PrintifyShop
  readonly products: readonly SimPrintifyProduct[]
  /** Milliseconds after which an on-hold order goes to production by itself; null = the shop sends manually. */
  autoSendAfterMs: number | null
  /** The docs label the 8103 example 400 but list 422 for validation (§2.2): either can be chosen. */
  validationStatus = 400
  /** How long a new order stays `pending` (send_to_production refused with 8502) before it is on hold. */
  pendingForMs = defaultPendingForMs
  shopOrderId: ShopOrderIdMode = 'absent'
  /** When each order still pending leaves `pending`, on the simulator's clock. */
  readonly #pendingUntil = new Map<string, number>()
  readonly #now: () => number
  readonly #emit: PrintifyEmit
  readonly #timers = new Map<string, NodeJS.Timeout>()
  /** When each on-hold order is due to be sent by the shop, on the simulator's clock. */
  readonly #dueAt = new Map<string, number>()
  /** Which lines each parcel held: Printify's shipment objects do not say (§2.4), a reshipment needs to. */
  readonly #parcels = new WeakMap<PyShipment, PyLineItem[]>()
  // Sequences, not random values, so a run is reproducible (ids are 24-hex strings like Printify's).
  #nextOrder = 1
  #nextTracking = 1

  constructor (options: { shop: PrintifyShop, products: readonly SimPrintifyProduct[], autoSendAfterMs: number | null, now: () => number, emit: PrintifyEmit }) {
    this.shop = options.shop
    this.products = options.products
    this.autoSendAfterMs = options.autoSendAfterMs
    this.#now = options.now
    this.#emit = options.emit
  }

  get (id: string): PyOrder {
    const order = this.orders.get(id)
    if (!order) throw new PrintifySimError(404, 404, 'Order not found.')
    this.#settle(order)
    return order
  }

  /** Every order, oldest first, each as it stands now. */
  list (): PyOrder[] {
    const orders = [...this.orders.values()]
    for (const order of orders) this.#settle(order)
    return orders
  }

  /** Printify checks no uniqueness of external_id: a retried create makes a second order (§5.1). */
  create (body: SubmitBody): PyOrder {
    const valid = validateSubmit(body, this.products, this.validationStatus)
    const externalId = String(body.external_id)
    const created = this.#time()
    const order: PyOrder = {
      id: `5f1e${(this.#nextOrder++).toString(16).padStart(20, '0')}`,
      address_to: valid.address,
      line_items: valid.lines,
      metadata: { order_type: 'api', ...this.#shopOrderId(externalId), shop_order_label: body.label ?? externalId, shop_fulfilled_at: notYet },
      total_price: valid.lines.reduce((sum, line) => sum + line.cost * line.quantity, 0),
      total_shipping: valid.lines.reduce((sum, line) => sum + line.shipping_cost, 0),
      total_tax: 0,
      // "pending: brief, right after creation" then on-hold (§2.4).
      status: this.pendingForMs > 0 ? 'pending' : 'on-hold',
      shipping_method: valid.shippingMethod,
      is_printify_express: valid.shippingMethod === 3 || body.is_printify_express === true,
      is_economy_shipping: valid.shippingMethod === 4 || body.is_economy_shipping === true,
      shipments: [],
      created_at: created,
      sent_to_production_at: notYet,
      fulfilled_at: notYet,
      printify_connect: { url: '', id: '' }
    }
    order.printify_connect = { url: `https://printify.me/${order.id}`, id: order.id }
    this.orders.set(order.id, order)
    if (order.status === 'pending') this.#pendingUntil.set(order.id, this.#now() + this.pendingForMs)
    this.#emit('order:created', order, { shop_id: this.shop.id, status: order.status })
    this.#scheduleAutoSend(order)
    return order
  }

  sendToProduction (order: PyOrder): PyOrder {
    this.#settle(order)
    // Observed in live use right after creation (defaultPendingForMs): 400, code 8502.
    if (order.status === 'pending') throw new PrintifySimError(400, 8502, stillPendingReason)
    if (order.status !== 'on-hold' && order.status !== 'payment-not-received') throw new PrintifySimError(400, 8252, `Order with status ${order.status} cannot be sent to production.`)
    this.#clearTimer(order.id)
    const now = this.#time()
    order.status = 'sending-to-production'
    order.sent_to_production_at = now
    for (const line of order.line_items) { line.status = 'sending-to-production'; line.sent_to_production_at = now }
    this.#emit('order:sent-to-production', order, { shop_id: this.shop.id })
    return order
  }

  cancel (order: PyOrder): PyOrder {
    this.#settle(order)
    if (!cancellable.has(order.status)) throw new PrintifySimError(400, 8253, `Order with status ${order.status} cannot be canceled.`)
    this.#clearTimer(order.id)
    this.#setStatus(order, 'canceled')
    for (const line of order.line_items) line.status = 'canceled'
    return order
  }

  advance (order: PyOrder, step: AdvanceStep): PyOrder {
    this.#settle(order)
    // The control API moves an order on; one still in its pending moment is past it first.
    if (order.status === 'pending') {
      this.#pendingUntil.delete(order.id)
      order.status = 'on-hold'
    }
    switch (step.to) {
      case 'in_production':
        if (order.sent_to_production_at === notYet) this.sendToProduction(order)
        for (const line of order.line_items) line.status = 'in-production'
        this.#setStatus(order, 'in-production')
        break
      case 'shipped':
        this.#ship(order, step)
        break
      case 'reshipped':
        this.#reship(order, step)
        break
      case 'delivered': {
        // The order's shipment object holds only the delivery time (§2.4 Shipments).
        const at = this.#time()
        for (const shipment of order.shipments.filter((s) => s.delivered_at === null)) {
          shipment.delivered_at = at
          this.#emit('order:shipment:delivered', order, { shop_id: this.shop.id, delivered_at: at, carrier: { code: shipment.carrier.toUpperCase(), tracking_number: shipment.number, tracking_url: shipment.url }, skus: order.line_items.map((l) => l.metadata.sku) })
        }
        break
      }
      case 'failed':
        for (const line of order.line_items) line.status = 'has-issues'
        this.#setStatus(order, 'had-issues')
        break
      case 'on_hold':
        this.#setStatus(order, 'on-hold')
        break
      case 'cancelled':
        this.#clearTimer(order.id)
        for (const line of order.line_items) line.status = 'canceled'
        this.#setStatus(order, 'canceled')
        break
      case 'payment_not_received':
        this.#setStatus(order, 'payment-not-received')
        break
      case 'returned':
      case 'draft':
        throw new PrintifySimError(400, 400, `Printify has no ${step.to} state`)
    }
    return order
  }

  /** Sends every on-hold order whose auto-send time has come on the injected clock (tests with a fake clock). */
  runDueAutoSends (): PyOrder[] {
    const now = this.#now()
    const sent: PyOrder[] = []
    for (const [id, due] of [...this.#dueAt]) {
      const order = this.orders.get(id)
      if (due > now || !order) continue
      this.#settle(order)
      this.#clearTimer(id)
      if (order.status === 'on-hold') sent.push(this.sendToProduction(order))
    }
    return sent
  }

  close (): void {
    for (const id of [...this.#timers.keys()]) this.#clearTimer(id)
  }

  #ship (order: PyOrder, step: Extract<AdvanceStep, { to: 'shipped' }>): void {
    const remaining = order.line_items.filter((line) => line.status !== 'fulfilled' && line.status !== 'canceled')
    const toShip = remaining.slice(0, step.items ?? remaining.length)
    if (toShip.length === 0) throw new PrintifySimError(400, 400, 'Every item has shipped already')
    for (const group of splitIntoPackages(toShip, step.packages)) {
      const at = this.#time()
      for (const line of group) { line.status = 'fulfilled'; line.fulfilled_at = at }
      const done = order.line_items.every((line) => line.status === 'fulfilled' || line.status === 'canceled')
      if (done) order.fulfilled_at = at
      this.#parcel(order, group, step)
      this.#setStatus(order, done ? 'fulfilled' : 'partially-fulfilled')
    }
  }

  /**
   * A later parcel over lines already shipped (a replacement for a lost or
   * damaged one): one more entry in the order's shipments[] (§2.4) and an
   * order:shipment:created naming the lines by SKU (§2.5). Printify documents no
   * reshipment flag; the order stays fulfilled.
   */
  #reship (order: PyOrder, step: Extract<AdvanceStep, { to: 'reshipped' }>): void {
    const last = order.shipments.at(-1)
    const lines = last ? this.#parcels.get(last) : undefined
    if (!last || !lines) throw new PrintifySimError(400, 400, 'No shipment to reship')
    this.#parcel(order, lines, { carrier: step.carrier ?? last.carrier, tracking: step.tracking })
  }

  /** One parcel: its shipment entry and its webhook, which names the lines by Printify's own SKUs (§2.5). */
  #parcel (order: PyOrder, lines: readonly PyLineItem[], step: { carrier?: string | undefined, tracking: boolean }): PyShipment {
    const at = this.#time()
    const number = step.tracking ? `9400111${String(this.#nextTracking++).padStart(15, '0')}` : ''
    // No id and no ship time in the order's shipment object (§2.4); the ship time is only in the webhook.
    const shipment: PyShipment = { carrier: step.carrier ?? 'usps', number, url: number ? `https://tools.usps.com/go/TrackConfirmAction?tLabels=${number}` : '', delivered_at: null }
    order.shipments.push(shipment)
    this.#parcels.set(shipment, [...lines])
    // The webhook names shipped items by SKU only (§2.5). Its carrier code is upper case ("USPS" in the docs' webhook
    // example) where the order object's is lower case ("usps", §2.4 "Shipment properties"): both spellings reach us.
    this.#emit('order:shipment:created', order, { shop_id: this.shop.id, shipped_at: at, carrier: { code: shipment.carrier.toUpperCase(), tracking_number: number, tracking_url: shipment.url }, skus: lines.map((line) => line.metadata.sku) })
    return shipment
  }

  /** A pending order whose moment has passed is on hold (no webhook: none is documented for it). */
  #settle (order: PyOrder): void {
    const until = this.#pendingUntil.get(order.id)
    if (until === undefined || until > this.#now()) return
    this.#pendingUntil.delete(order.id)
    if (order.status === 'pending') order.status = 'on-hold'
  }

  #shopOrderId (externalId: string): { shop_order_id?: number | string } {
    switch (this.shopOrderId) {
      case 'echo': return { shop_order_id: /^\d{1,15}$/.test(externalId) ? Number(externalId) : externalId }
      // A number of Printify's own, never ours.
      case 'other': return { shop_order_id: 700_000_000 + this.#nextOrder }
      case 'absent': return {}
    }
  }

  #setStatus (order: PyOrder, status: PyStatus): void {
    order.status = status
    this.#emit('order:updated', order, { shop_id: this.shop.id, status })
  }

  #scheduleAutoSend (order: PyOrder): void {
    if (this.autoSendAfterMs === null) return
    // Default 24 h after import (help.printify.com 15076632315665, §2.4); unref'd so it never keeps a process alive.
    // The real-time timer serves demos; runDueAutoSends serves tests on a fake clock.
    const timer = setTimeout(() => {
      this.#clearTimer(order.id)
      this.#settle(order)
      if (order.status === 'on-hold') this.sendToProduction(order)
    }, this.autoSendAfterMs)
    timer.unref()
    this.#timers.set(order.id, timer)
    this.#dueAt.set(order.id, this.#now() + this.autoSendAfterMs)
  }

  #clearTimer (id: string): void {
    const timer = this.#timers.get(id)
    if (timer) clearTimeout(timer)
    this.#timers.delete(id)
    this.#dueAt.delete(id)
  }

  #time (): string {
    return printifyTime(this.#now())
  }
}
