// What a merchant and a checkout do to orders: create, pay, edit, refund, cancel.
// Each operation changes the state and returns the webhooks Shopify would send.
import type { z } from 'zod'
import { AppError } from '../../../lib/errors.ts'
import {
  cancelInputSchema, createOrderInputSchema, editOrderInputSchema, refundInputSchema,
  type lineInputSchema, type CancelInput, type CreateOrderInput, type EditOrderInput, type RefundInput
} from './control-inputs.ts'
import { gid, numericId, type SimEvent, type SimFulfillmentOrder, type SimLineItem, type SimOrder, type StoreState } from './store-model.ts'
import { idNumber, restOrder, restRefundEvent } from './webhook-payloads.ts'

export function findOrder (state: StoreState, orderId: string): SimOrder {
  const order = state.orders.get(numericId(orderId))
  if (!order) throw new AppError('not_found', `no order ${orderId} in the simulated store`)
  return order
}

export function locationByName (state: StoreState, name: string | undefined): string {
  if (name === undefined) return state.primaryLocationId
  for (const location of state.locations.values()) if (location.name === name) return location.id
  const id = state.nextId()
  state.locations.set(id, { id, name, fulfillmentServiceHandle: null })
  return id
}

function variantFor (state: StoreState, line: z.output<typeof lineInputSchema>): { variantId: string | null, productId: string | null } {
  if (line.variantId === null) return { variantId: null, productId: line.productId ? numericId(line.productId) : null }
  if (line.variantId !== undefined) {
    const variantId = numericId(line.variantId)
    const known = state.variants.get(variantId)
    const productId = line.productId ? numericId(line.productId) : known?.productId ?? state.nextId()
    if (!known) state.variants.set(variantId, { id: variantId, productId, sku: line.sku, title: line.variantTitle ?? 'Default Title', productTitle: line.title, vendor: line.vendor ?? 'Sim vendor' })
    return { variantId, productId }
  }
  for (const variant of state.variants.values()) {
    if (variant.sku !== null && variant.sku === line.sku) return { variantId: variant.id, productId: variant.productId }
  }
  const variantId = state.nextId()
  const productId = line.productId ? numericId(line.productId) : state.nextId()
  state.variants.set(variantId, { id: variantId, productId, sku: line.sku, title: line.variantTitle ?? 'Default Title', productTitle: line.title, vendor: line.vendor ?? 'Sim vendor' })
  return { variantId, productId }
}

function newLines (state: StoreState, inputs: Array<z.output<typeof lineInputSchema>>): Array<{ line: SimLineItem, locationId: string }> {
  return inputs.map((input) => {
    const { variantId, productId } = variantFor(state, input)
    return {
      locationId: locationByName(state, input.location),
      line: {
        id: input.id ?? state.nextId(),
        productId,
        variantId,
        sku: input.sku,
        title: input.title,
        variantTitle: input.variantTitle,
        vendor: input.vendor,
        quantity: input.quantity,
        currentQuantity: input.quantity,
        price: input.price,
        requiresShipping: input.requiresShipping,
        giftCard: input.giftCard,
        properties: input.properties
      }
    }
  })
}

/** One open fulfillment order per location, as Shopify's order routing assigns them. */
function openFulfillmentOrders (state: StoreState, order: SimOrder, placed: Array<{ line: SimLineItem, locationId: string }>, at: string): SimFulfillmentOrder[] {
  const byLocation = new Map<string, SimLineItem[]>()
  for (const { line, locationId } of placed) byLocation.set(locationId, [...byLocation.get(locationId) ?? [], line])
  return [...byLocation].map(([locationId, lines]) => {
    const fo: SimFulfillmentOrder = {
      id: state.nextId(),
      orderId: order.id,
      locationId,
      status: 'OPEN',
      requestStatus: 'UNSUBMITTED',
      holds: [],
      lines: lines.map((line) => ({ id: state.nextId(), lineItemId: line.id, totalQuantity: line.currentQuantity, remainingQuantity: line.currentQuantity })),
      createdAt: at,
      updatedAt: at
    }
    state.fulfillmentOrders.set(fo.id, fo)
    order.fulfillmentOrderIds.push(fo.id)
    return fo
  })
}

function routingComplete (fos: SimFulfillmentOrder[]): SimEvent[] {
  // shopify.md §2.1: order_routing_complete is how an app learns a fulfillment order is ready.
  return fos.map((fo) => ({ topic: 'fulfillment_orders/order_routing_complete', body: { fulfillment_order: { id: gid('FulfillmentOrder', fo.id), status: 'open' } } }))
}

export function createOrder (state: StoreState, raw: CreateOrderInput): { order: SimOrder, events: SimEvent[] } {
  const input = createOrderInputSchema.parse(raw)
  const at = state.tick()
  const id = input.id ?? state.nextId()
  if (state.orders.has(id)) throw new AppError('conflict', `order ${id} already exists in the simulated store`)
  const order: SimOrder = {
    id,
    orderNumber: input.orderNumber ?? state.nextOrderNumber(),
    email: input.email,
    createdAt: input.createdAt ? new Date(input.createdAt).toISOString().replace('.000Z', 'Z') : at,
    updatedAt: at,
    processedAt: input.createdAt ? new Date(input.createdAt).toISOString().replace('.000Z', 'Z') : at,
    test: input.test,
    financialStatus: input.financialStatus,
    cancelledAt: null,
    cancelReason: null,
    closedAt: null,
    currency: input.currency,
    note: input.note,
    tags: input.tags,
    shippingAddress: input.shippingAddress,
    localizedFields: input.localizedFields,
    shippingLines: input.shippingLines.map((s) => ({ id: state.nextId(), title: s.title, code: s.code, source: 'shopify', price: s.price })),
    lines: [],
    fulfillmentOrderIds: [],
    fulfillments: [],
    refunds: []
  }
  const placed = newLines(state, input.lines)
  order.lines.push(...placed.map((p) => p.line))
  state.orders.set(order.id, order)
  const fos = openFulfillmentOrders(state, order, placed, at)
  const body = restOrder(order, state)
  const events: SimEvent[] = [{ topic: 'orders/create', body }]
  if (order.financialStatus === 'PAID') events.push({ topic: 'orders/paid', body })
  return { order, events: [...events, ...routingComplete(fos)] }
}

export function payOrder (state: StoreState, orderId: string): SimEvent[] {
  const order = findOrder(state, orderId)
  if (order.cancelledAt) throw new AppError('conflict', `order ${orderId} is cancelled`)
  if (!['PENDING', 'AUTHORIZED', 'PARTIALLY_PAID'].includes(order.financialStatus)) throw new AppError('conflict', `order ${orderId} is ${order.financialStatus}, not awaiting payment`)
  order.financialStatus = 'PAID'
  order.updatedAt = state.tick()
  const body = restOrder(order, state)
  return [{ topic: 'orders/paid', body }, { topic: 'orders/updated', body }]
}

function fulfillmentOrdersOf (state: StoreState, order: SimOrder): SimFulfillmentOrder[] {
  return order.fulfillmentOrderIds.map((id) => state.fulfillmentOrders.get(id)).filter((fo) => fo !== undefined)
}

/** Takes `quantity` off what is left to fulfil of a line, closing fulfillment orders left with nothing. */
function reduceRemaining (state: StoreState, order: SimOrder, lineItemId: string, quantity: number, at: string): void {
  let left = quantity
  for (const fo of fulfillmentOrdersOf(state, order)) {
    for (const item of fo.lines) {
      if (item.lineItemId !== lineItemId || left === 0) continue
      const taken = Math.min(left, item.remainingQuantity)
      item.remainingQuantity -= taken
      left -= taken
      if (taken > 0) fo.updatedAt = at
    }
    if (fo.status !== 'CLOSED' && fo.lines.every((l) => l.remainingQuantity === 0)) {
      fo.status = 'CLOSED'
      fo.holds = []
    }
  }
}

export function editOrder (state: StoreState, orderId: string, raw: EditOrderInput): SimEvent[] {
  const input = editOrderInputSchema.parse(raw)
  const order = findOrder(state, orderId)
  if (order.cancelledAt) throw new AppError('conflict', `order ${orderId} is cancelled and cannot be edited`)
  const at = state.tick()
  const placed = newLines(state, input.add)
  order.lines.push(...placed.map((p) => p.line))
  // Added lines go on new fulfillment orders (Shopify may merge them later: fulfillment_orders/merged). [unverified against docs]
  const fos = openFulfillmentOrders(state, order, placed, at)
  const removals: Array<{ id: unknown, delta: number }> = []
  for (const change of input.quantities) {
    const line = order.lines.find((l) => l.id === numericId(change.lineItemId))
    if (!line) throw new AppError('not_found', `order ${orderId} has no line ${change.lineItemId}`)
    if (change.quantity > line.currentQuantity) throw new AppError('bad_request', 'the simulator only lowers quantities; add a line to sell more')
    const delta = line.currentQuantity - change.quantity
    line.currentQuantity = change.quantity
    reduceRemaining(state, order, line.id, delta, at)
    removals.push({ id: idNumber(line.id), delta })
  }
  if (input.shippingAddress !== undefined) order.shippingAddress = input.shippingAddress
  if (input.email !== undefined) order.email = input.email
  if (input.note !== undefined) order.note = input.note
  if (input.tags !== undefined) order.tags = input.tags
  order.updatedAt = at
  // orders/edited carries an order edit, not an order (DESIGN.md: "whose body is an order edit").
  const edit = {
    order_edit: {
      id: idNumber(state.nextId()),
      app_id: null,
      created_at: at.replace(/Z$/, '+00:00'),
      notify_customer: false,
      order_id: idNumber(order.id),
      staff_note: '',
      user_id: null,
      line_items: {
        additions: placed.map((p) => ({ id: idNumber(p.line.id), delta: p.line.quantity })),
        removals
      }
    }
  }
  const events: SimEvent[] = []
  if (placed.length > 0 || removals.length > 0) events.push({ topic: 'orders/edited', body: edit })
  events.push({ topic: 'orders/updated', body: restOrder(order, state) })
  return [...events, ...routingComplete(fos)]
}

export function refundOrder (state: StoreState, orderId: string, raw: RefundInput): SimEvent[] {
  const input = refundInputSchema.parse(raw)
  const order = findOrder(state, orderId)
  const at = state.tick()
  const lines = input.lines.map((rl) => {
    const line = order.lines.find((l) => l.id === numericId(rl.lineItemId))
    if (!line) throw new AppError('not_found', `order ${orderId} has no line ${rl.lineItemId}`)
    if (rl.quantity > line.currentQuantity) throw new AppError('bad_request', `line ${rl.lineItemId} has only ${line.currentQuantity} left to refund`)
    line.currentQuantity -= rl.quantity
    // A restocked refund takes from what is still to ship; refunding shipped items leaves nothing to take.
    reduceRemaining(state, order, line.id, rl.quantity, at)
    return { id: state.nextId(), lineItemId: line.id, quantity: rl.quantity }
  })
  const refund = { id: state.nextId(), createdAt: at, note: input.note, lines }
  order.refunds.push(refund)
  order.financialStatus = order.lines.every((l) => l.currentQuantity === 0) ? 'REFUNDED' : 'PARTIALLY_REFUNDED'
  order.updatedAt = at
  return [{ topic: 'refunds/create', body: restRefundEvent(order, refund, state) }, { topic: 'orders/updated', body: restOrder(order, state) }]
}

export function cancelOrder (state: StoreState, orderId: string, raw: CancelInput = {}): SimEvent[] {
  const input = cancelInputSchema.parse(raw)
  const order = findOrder(state, orderId)
  if (order.cancelledAt) throw new AppError('conflict', `order ${orderId} is already cancelled`)
  // [unverified] The admin refuses to cancel a fulfilled order until its fulfillments are cancelled; orderCancel's
  // documented conditions (shopify.md §3.8) name payments and returns. The simulator keeps the stricter rule.
  if (order.fulfillments.some((f) => f.status === 'SUCCESS')) throw new AppError('conflict', `order ${orderId} has fulfillments; Shopify cancels only unfulfilled orders`)
  const at = state.tick()
  order.cancelledAt = at
  order.cancelReason = input.reason
  order.closedAt = at
  // A cancelled order has nothing left to fulfil: its fulfillment orders close. [unverified: CLOSED, not CANCELLED]
  for (const line of order.lines) reduceRemaining(state, order, line.id, line.currentQuantity, at)
  for (const line of order.lines) line.currentQuantity = 0
  if (['PENDING', 'AUTHORIZED'].includes(order.financialStatus)) order.financialStatus = 'VOIDED'
  else if (input.refund) order.financialStatus = 'REFUNDED'
  order.updatedAt = at
  const body = restOrder(order, state)
  return [{ topic: 'orders/cancelled', body }, { topic: 'orders/updated', body }]
}
