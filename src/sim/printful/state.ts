// The simulated Printful store: its orders and how they move. API calls and
// the control API both change orders only through these methods.
import { splitIntoPackages, type AdvanceStep } from '../common/advance.ts'
import { unixSeconds } from '../common/server.ts'
import type { SimSyncProduct } from './catalog.ts'
import { buildItems, buildRecipient, checkExternalId, checkShipping, computeCosts, emptyCosts, PrintfulSimError, type OrderBody } from './orders.ts'
import { parcelOf, shippingMethod } from './shipping.ts'
import type { PfOrder, PfShipment } from './wire.ts'

export interface PrintfulStore { readonly id: number, readonly type: string, readonly name: string }

export type PrintfulEmit = (type: string, data: Record<string, unknown>) => Promise<void>

// "Only DRAFT or FAILED orders can be edited" (OR-1 ORDER_NO_LONGER_EDITABLE, §1.2).
const editable = new Set(['draft', 'failed'])
// v1 DELETE "cancels a pending or draft order" (§1.5); failed orders were never charged either.
const cancellable = new Set(['draft', 'pending', 'failed'])

export class PrintfulState {
  readonly orders = new Map<number, PfOrder>()
  readonly store: PrintfulStore
  readonly products: readonly SimSyncProduct[]
  /** §1.7: the schema's example tracking_number is the integer 0; on, tracking numbers go out as numbers. */
  numericTracking = false
  /** §1.4: costs that cannot be calculated at once put a confirmed order on hold, then back to draft. */
  asyncCostCalculation = false
  readonly #now: () => number
  readonly #emit: PrintfulEmit
  #nextOrderId = 100_000_001
  #nextItemId = 500_000_001
  #nextFileId = 700_000_001
  #nextShipmentId = 900_000_001

  constructor (options: { store: PrintfulStore, products: readonly SimSyncProduct[], now: () => number, emit: PrintfulEmit }) {
    this.store = options.store
    this.products = options.products
    this.#now = options.now
    this.#emit = options.emit
  }

  get (ref: string): PfOrder {
    const order = ref.startsWith('@')
      ? [...this.orders.values()].find((o) => o.external_id === decodeURIComponent(ref.slice(1)))
      : this.orders.get(Number(ref))
    if (!order) throw new PrintfulSimError(404, 'Not Found', 'NotFound')
    return order
  }

  async create (body: OrderBody, options: { confirm: boolean, updateExisting: boolean }): Promise<PfOrder> {
    const externalId = checkExternalId(body.external_id)
    const existing = externalId === null ? undefined : [...this.orders.values()].find((o) => o.external_id === externalId)
    if (existing) {
      // update_existing=true is the documented idempotency lever; without it a reused id is OR-13 (§1.5, §5.1).
      if (!options.updateExisting) throw new PrintfulSimError(400, 'OR-13 EXTERNAL_ID_IN_USE: external_id already exists')
      return this.update(existing, body, { confirm: options.confirm })
    }
    if (!body.recipient || !body.items) throw new PrintfulSimError(400, 'Missing required parameters')
    const now = unixSeconds(this.#now())
    const recipient = buildRecipient(body.recipient)
    const order: PfOrder = {
      id: this.#nextOrderId++,
      external_id: externalId,
      store: this.store.id,
      status: 'draft',
      error: null,
      shipping: checkShipping(body.shipping, recipient.country_code),
      shipping_service_name: '',
      created: now,
      updated: now,
      recipient,
      notes: null,
      items: buildItems(body.items, this.#itemContext(now)),
      branding_items: [],
      incomplete_items: [],
      is_sample: false,
      needs_approval: false,
      not_synced: false,
      has_discontinued_items: false,
      can_change_hold: true,
      costs: emptyCosts(body.retail_costs?.currency ?? 'USD'),
      retail_costs: { currency: body.retail_costs?.currency ?? 'USD', subtotal: body.retail_costs?.subtotal ?? null, discount: body.retail_costs?.discount ?? null, shipping: body.retail_costs?.shipping ?? null, tax: body.retail_costs?.tax ?? null, vat: null, total: null },
      pricing_breakdown: [],
      shipments: [],
      gift: body.gift ?? null,
      packing_slip: body.packing_slip ?? null,
      dashboard_url: ''
    }
    order.shipping_service_name = serviceName(order.shipping)
    order.dashboard_url = `https://www.printful.com/dashboard?order_id=${String(order.id)}`
    order.costs = computeCosts(order)
    this.orders.set(order.id, order)
    await this.#emit('order_created', { order })
    if (options.confirm) await this.confirm(order)
    return order
  }

  async update (order: PfOrder, body: OrderBody, options: { confirm: boolean }): Promise<PfOrder> {
    if (!editable.has(order.status)) throw new PrintfulSimError(400, 'OR-1 ORDER_NO_LONGER_EDITABLE: only draft or failed orders can be edited')
    const now = unixSeconds(this.#now())
    // PUT takes only the changed fields (§1.5).
    if (body.recipient) order.recipient = buildRecipient({ ...order.recipient, ...body.recipient })
    if (body.items) order.items = buildItems(body.items, this.#itemContext(now))
    // A new address can leave the method behind: it is checked against the order's destination every time.
    order.shipping = checkShipping(body.shipping ?? order.shipping, order.recipient.country_code)
    order.shipping_service_name = serviceName(order.shipping)
    order.costs = computeCosts(order)
    order.status = 'draft'
    order.error = null
    order.updated = now
    await this.#emit('order_updated', { order })
    if (options.confirm) await this.confirm(order)
    return order
  }

  async confirm (order: PfOrder): Promise<PfOrder> {
    if (!editable.has(order.status)) throw new PrintfulSimError(400, 'Only draft or failed orders can be confirmed')
    order.updated = unixSeconds(this.#now())
    if (this.asyncCostCalculation) {
      // §1.4 "Asynchronous order cost calculation": on hold now, back to draft when the costs are known.
      order.status = 'onhold'
      await this.#emit('order_put_hold', { reason: 'Order costs are being calculated', order })
      return order
    }
    order.status = 'pending'
    await this.#emit('order_updated', { order })
    return order
  }

  async cancel (order: PfOrder, reason = 'Canceled via API'): Promise<PfOrder> {
    if (!cancellable.has(order.status)) throw new PrintfulSimError(400, `Order with status "${order.status}" cannot be canceled`)
    order.status = 'canceled'
    order.updated = unixSeconds(this.#now())
    await this.#emit('order_canceled', { reason, order })
    return order
  }

  async advance (order: PfOrder, step: AdvanceStep): Promise<PfOrder> {
    const now = unixSeconds(this.#now())
    // v1 shipments carry no delivery time or status (Shipment schema, §1.7): a delivery changes nothing, not even `updated`.
    if (step.to !== 'delivered') order.updated = now
    switch (step.to) {
      case 'in_production':
        order.status = 'inprocess'
        await this.#emit('order_updated', { order })
        break
      case 'shipped':
        await this.#ship(order, step, now)
        break
      case 'reshipped':
        await this.#reship(order, step, now)
        break
      case 'delivered':
        break
      case 'returned': {
        const shipment = order.shipments.at(-1)
        if (!shipment) throw new PrintfulSimError(400, 'No shipment to return')
        await this.#emit('package_returned', { reason: step.reason, shipment, order })
        break
      }
      case 'failed':
        order.status = 'failed'
        order.error = step.reason
        await this.#emit('order_failed', { reason: step.reason, order })
        break
      case 'on_hold':
        order.status = 'onhold'
        await this.#emit('order_put_hold', { reason: step.reason, order })
        break
      case 'cancelled':
        order.status = 'canceled'
        await this.#emit('order_canceled', { reason: step.reason, order })
        break
      case 'draft':
        // §1.4: after the cost calculation the order is back in draft, even if it was confirmed.
        order.status = 'draft'
        await this.#emit('order_remove_hold', { reason: 'Order costs calculated: confirm the order again', order })
        break
      case 'payment_not_received':
        throw new PrintfulSimError(400, 'Printful has no payment-not-received status')
    }
    return order
  }

  async #ship (order: PfOrder, step: Extract<AdvanceStep, { to: 'shipped' }>, now: number): Promise<void> {
    const shipped = new Set(order.shipments.flatMap((s) => s.items.map((i) => i.item_id)))
    const remaining = order.items.filter((item) => !shipped.has(item.id))
    const toShip = remaining.slice(0, step.items ?? remaining.length)
    if (toShip.length === 0) throw new PrintfulSimError(400, 'Every item has shipped already')
    for (const group of splitIntoPackages(toShip, step.packages)) {
      const shipment = this.#shipment(order, group, step, now)
      const allShipped = order.items.every((item) => item.id === undefined || order.shipments.some((s) => s.items.some((i) => i.item_id === item.id)))
      order.status = allShipped ? 'fulfilled' : 'partial'
      await this.#emit('package_shipped', { shipment, order })
    }
  }

  /**
   * "If some items are reshipped, a shipping notification will be sent again for
   * the same items" (v1 spec, x-webhooks.package_shipped): a new shipment with
   * `reshipment: true` (Shipment schema) naming the last parcel's items, its own
   * carrier, number and URL. The order stays as it was (fulfilled).
   */
  async #reship (order: PfOrder, step: Extract<AdvanceStep, { to: 'reshipped' }>, now: number): Promise<void> {
    const last = order.shipments.findLast((s) => !s.reshipment)
    if (!last) throw new PrintfulSimError(400, 'No shipment to reship')
    const shipment = this.#shipment(order, last.items.map((i) => ({ id: i.item_id, quantity: i.quantity })), { carrier: step.carrier, tracking: step.tracking }, now)
    shipment.reshipment = true
    await this.#emit('package_shipped', { shipment, order })
  }

  #shipment (order: PfOrder, items: ReadonlyArray<{ id: number, quantity: number }>, step: { carrier?: string | undefined, tracking: boolean }, now: number): PfShipment {
    const id = this.#nextShipmentId++
    const digits = `9400${String(id).padStart(18, '0')}`
    // Printful's own spellings, upper case (v1 Shipment schema "FEDEX"; "USPS" in its shipped event): shipping.ts.
    const carrier = step.carrier ?? 'USPS'
    const parcel = parcelOf(carrier, digits)
    const shipment: PfShipment = {
      id,
      carrier,
      service: parcel.service,
      tracking_number: step.tracking ? (this.numericTracking ? Number(String(id)) : digits) : '',
      tracking_url: step.tracking ? parcel.url : '',
      created: now,
      ship_date: new Date(now * 1000).toISOString().slice(0, 10),
      shipped_at: now,
      reshipment: false,
      items: items.map((item) => ({ item_id: item.id, quantity: item.quantity, picked: 1, printed: 1 }))
    }
    order.shipments.push(shipment)
    return shipment
  }

  #itemContext (now: number): Parameters<typeof buildItems>[1] {
    return { products: this.products, nextItemId: () => this.#nextItemId++, nextFileId: () => this.#nextFileId++, now }
  }
}


function serviceName (method: string): string {
  return shippingMethod(method)?.name ?? method
}
