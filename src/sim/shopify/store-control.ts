// The typed control object tests and the demo drive the store with. Each action
// changes the state and awaits its webhooks, so a test that awaits `pay()` sees
// the orders/paid delivery already made: no sleeps, no polling.
import type { CancelInput, CreateOrderInput, EditOrderInput, HoldInput, LineInput, LocationInput, RefundInput, VariantInput } from './store/control-inputs.ts'
import { locationInputSchema, variantInputSchema } from './store/control-inputs.ts'
import type { FailureKind, ThrottleOptions } from './graphql/graphql-endpoint.ts'
import type { CostStatus, CostThrottleSettings } from './graphql/cost-bucket.ts'
import { isEnumType } from 'graphql'
import { AppError } from '../../lib/errors.ts'
import { adminSchema } from './graphql/admin-schema.ts'
import { createFulfillment, findFulfillmentOrder, holdFulfillmentOrder, moveFulfillmentOrder, releaseHold } from './store/store-fulfillment.ts'
import { gid, type SimEvent, type SimTracking, type StoreState } from './store/store-model.ts'
import { createProductControl, type ProductControl } from './product-control.ts'
import { cancelOrder, createOrder, editOrder, findOrder, payOrder, refundOrder } from './store/store-orders.ts'
import type { WebhookDelivery, WebhookSender } from './webhook-sender.ts'

export interface SimRequest { kind: 'graphql' | 'token', status: number, operationName: string | null, query: string | null, variables: unknown, token: string | null }

export interface SimOrderRef { id: string, legacyId: string, name: string, lineItemIds: string[], fulfillmentOrderIds: string[] }

export interface SimFulfillmentOrderInfo { id: string, status: string, location: string, holds: string[], lineItems: Array<{ id: string, lineItemId: string, totalQuantity: number, remainingQuantity: number }> }

export interface SimFulfillmentInfo { id: string, status: string, notifyCustomer: boolean, tracking: SimTracking[], lineItems: Array<{ lineItemId: string, fulfillmentOrderId: string, quantity: number }> }

export interface Faults {
  throttles: ThrottleOptions[]
  failures: FailureKind[]
}

export interface ShopifySimStore extends ProductControl {
  readonly shopDomain: string
  createOrder (input: CreateOrderInput): Promise<SimOrderRef>
  pay (orderId: string): Promise<void>
  edit (orderId: string, input: EditOrderInput): Promise<void>
  /** An order edit adding one line; returns the new line item's GID. */
  addLine (orderId: string, line: LineInput): Promise<string>
  refund (orderId: string, input: RefundInput): Promise<void>
  cancel (orderId: string, input?: CancelInput): Promise<void>
  holdFulfillmentOrder (fulfillmentOrderId: string, input?: HoldInput): Promise<void>
  releaseHold (fulfillmentOrderId: string): Promise<void>
  /** The merchant fulfils in the admin (no items: all that remains); returns the fulfillment's GID. */
  fulfill (fulfillmentOrderId: string, lineItems?: Array<{ id: string, quantity: number }>, tracking?: { company?: string, number?: string, url?: string }): Promise<string>
  /** Returns the GID of the fulfillment order now holding the moved lines. */
  moveFulfillmentOrder (fulfillmentOrderId: string, location: string): Promise<string>
  addLocation (input: LocationInput): { id: string, name: string }
  addProductVariant (input: VariantInput): { id: string }
  /** The next n GraphQL requests answer THROTTLED. */
  throttleNext (n?: number, options?: ThrottleOptions): void
  failNext (n: number, kind: FailureKind): void
  /**
   * Shopify's cost-based throttle (graphql/cost-bucket.ts), off by default: on, every document is priced and
   * charged to a leaky bucket and answered THROTTLED when its requested cost is not available; null turns it off.
   */
  setCostThrottle (settings: CostThrottleSettings | null): void
  /** The bucket now and its counters (THROTTLED answers, points charged and refunded), or null when off. */
  costThrottle (): (CostStatus & { throttled: number, charged: number, refunded: number }) | null
  /** Every issued client-credentials token stops working (as after a secret rotation). */
  revokeTokens (): void
  order (orderId: string): SimOrderRef
  fulfillmentOrders (orderId: string): SimFulfillmentOrderInfo[]
  fulfillments (orderId: string): SimFulfillmentInfo[]
  requests (): SimRequest[]
  webhooks (): WebhookDelivery[]
  redeliver (webhookId: string): Promise<WebhookDelivery>
  setWebhookUrl (url: string | undefined): void
  /** Shop.currencyCode: the currency the shop sells in, a CurrencyCode of the schema (a new store: USD). */
  setCurrency (currencyCode: string): void
  currency (): string
  /** Resolves when webhooks fired by GraphQL mutations have been delivered. */
  idle (): Promise<void>
}

export interface ControlDeps {
  state: StoreState
  sender: WebhookSender
  faults: Faults
  requestLog: SimRequest[]
  tokens: { revokeAll (): void }
  pending: Set<Promise<unknown>>
  setWebhookUrl (url: string | undefined): void
  setCostThrottle (settings: CostThrottleSettings | null): void
  costThrottle (): (CostStatus & { throttled: number, charged: number, refunded: number }) | null
}

export function createStoreControl (deps: ControlDeps): ShopifySimStore {
  const { state, sender } = deps
  const announce = async (events: SimEvent[]): Promise<void> => { await sender.send(events, state.lastTick()) }

  function ref (orderId: string): SimOrderRef {
    const order = findOrder(state, orderId)
    return {
      id: gid('Order', order.id),
      legacyId: order.id,
      name: `#${order.orderNumber}`,
      lineItemIds: order.lines.map((l) => gid('LineItem', l.id)),
      fulfillmentOrderIds: order.fulfillmentOrderIds.map((id) => gid('FulfillmentOrder', id))
    }
  }

  return {
    ...createProductControl(state, announce),
    shopDomain: state.shopDomain,
    async createOrder (input) {
      const { order, events } = createOrder(state, input)
      await announce(events)
      return ref(order.id)
    },
    // async, so a refused action rejects the promise instead of throwing at the call.
    pay: async (orderId) => { await announce(payOrder(state, orderId)) },
    edit: async (orderId, input) => { await announce(editOrder(state, orderId, input)) },
    async addLine (orderId, line) {
      await announce(editOrder(state, orderId, { add: [line] }))
      const added = findOrder(state, orderId).lines.at(-1)
      return gid('LineItem', added?.id ?? '0')
    },
    refund: async (orderId, input) => { await announce(refundOrder(state, orderId, input)) },
    cancel: async (orderId, input) => { await announce(cancelOrder(state, orderId, input)) },
    holdFulfillmentOrder: async (id, input) => { await announce(holdFulfillmentOrder(state, id, input)) },
    releaseHold: async (id) => { await announce(releaseHold(state, id)) },
    async fulfill (id, lineItems, tracking) {
      const result = createFulfillment(state, {
        lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: id, ...(lineItems ? { fulfillmentOrderLineItems: lineItems } : {}) }],
        ...(tracking ? { trackingInfo: tracking } : {})
      })
      if ('userErrors' in result) throw new AppError('conflict', result.userErrors.map((e) => e.message).join('; '))
      await announce(result.events)
      return gid('Fulfillment', result.fulfillment.id)
    },
    async moveFulfillmentOrder (id, location) {
      const { moved, events } = moveFulfillmentOrder(state, id, { location })
      await announce(events)
      return gid('FulfillmentOrder', moved.id)
    },
    addLocation (raw) {
      const input = locationInputSchema.parse(raw)
      const id = state.nextId()
      state.locations.set(id, { id, name: input.name, fulfillmentServiceHandle: input.fulfillmentServiceHandle })
      return { id: gid('Location', id), name: input.name }
    },
    addProductVariant (raw) {
      const input = variantInputSchema.parse(raw)
      const id = state.nextId()
      state.variants.set(id, { id, productId: state.nextId(), sku: input.sku, title: input.title, productTitle: input.productTitle, vendor: input.vendor })
      return { id: gid('ProductVariant', id) }
    },
    throttleNext (n = 1, options = {}) {
      for (let i = 0; i < n; i++) deps.faults.throttles.push(options)
    },
    failNext (n, kind) {
      for (let i = 0; i < n; i++) deps.faults.failures.push(kind)
    },
    setCostThrottle: (settings) => { deps.setCostThrottle(settings) },
    costThrottle: () => deps.costThrottle(),
    revokeTokens: () => { deps.tokens.revokeAll() },
    order: ref,
    fulfillmentOrders (orderId) {
      return findOrder(state, orderId).fulfillmentOrderIds.map((id) => {
        const fo = findFulfillmentOrder(state, id)
        return {
          id: gid('FulfillmentOrder', fo.id),
          status: fo.status,
          location: state.locations.get(fo.locationId)?.name ?? '',
          holds: fo.holds.map((h) => h.reason),
          lineItems: fo.lines.map((l) => ({ id: gid('FulfillmentOrderLineItem', l.id), lineItemId: gid('LineItem', l.lineItemId), totalQuantity: l.totalQuantity, remainingQuantity: l.remainingQuantity }))
        }
      })
    },
    fulfillments (orderId) {
      return findOrder(state, orderId).fulfillments.map((f) => ({
        id: gid('Fulfillment', f.id),
        status: f.status,
        notifyCustomer: f.notifyCustomer,
        tracking: f.tracking.map((t) => ({ ...t })),
        lineItems: f.lines.map((l) => ({ lineItemId: gid('LineItem', l.lineItemId), fulfillmentOrderId: gid('FulfillmentOrder', l.fulfillmentOrderId), quantity: l.quantity }))
      }))
    },
    requests: () => [...deps.requestLog],
    webhooks: () => [...sender.deliveries],
    redeliver: (webhookId) => sender.redeliver(webhookId),
    setWebhookUrl: (url) => { deps.setWebhookUrl(url) },
    setCurrency (currencyCode) {
      // Shop.currencyCode is a non-null CurrencyCode (the 2026-10 schema's enum of ISO 4217 codes):
      // a code outside it could not be answered, so it is refused here rather than at the next read.
      const type = adminSchema().getType('CurrencyCode')
      if (!isEnumType(type) || !type.getValue(currencyCode)) throw new AppError('bad_request', `${currencyCode} is not a CurrencyCode of the Admin API (three capital letters, ISO 4217)`)
      state.shop.currencyCode = currencyCode
    },
    currency: () => state.shop.currencyCode,
    async idle () {
      while (deps.pending.size > 0) await Promise.all([...deps.pending])
    }
  }
}
