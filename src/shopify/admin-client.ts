// What the rest of the bridge calls to read and write the store: typed reads of
// orders and fulfillment orders (all pages), fulfillment write-back, reconciliation,
// webhook subscriptions and the variant list. Every answer is validated and mapped.
import { z } from 'zod'
import { AppError } from '../lib/errors.ts'
import * as docs from './documents.ts'
import * as wire from './admin-wire.ts'
import { createGraphqlTransport, type GraphqlTransport, type ShopifyClientOptions } from './graphql-client.ts'
import { mapFulfillment, mapFulfillmentOrder, mapOrder } from './order-mapper.ts'
import { completeFulfillment, queryLimits, readFulfillmentOrders, readOrder } from './order-reader.ts'
import type { Fulfillment, FulfillmentOrder, OrderSnapshot } from './order-snapshot.ts'
import { throwOnUserErrors } from './user-errors.ts'

export interface TrackingInput {
  readonly company?: string
  readonly number?: string
  readonly url?: string
  /** Several packages in one fulfillment. */
  readonly numbers?: readonly string[]
  readonly urls?: readonly string[]
}

export interface CreateFulfillmentInput {
  /**
   * All from one order and one location (fulfillmentCreate's rule). `lineItems` are fulfillment order
   * line item ids (FulfillmentOrder.lineItems, not the order's LineItem ids); none = all that remains.
   */
  readonly lineItemsByFulfillmentOrder: ReadonlyArray<{
    readonly fulfillmentOrderId: string
    readonly lineItems?: ReadonlyArray<{ readonly id: string, readonly quantity: number }>
  }>
  readonly tracking?: TrackingInput
  readonly notifyCustomer: boolean
  readonly message?: string
}

export interface UpdateTrackingInput {
  readonly fulfillmentId: string
  readonly tracking: TrackingInput
  readonly notifyCustomer: boolean
}

export interface OrderRef { readonly id: string, readonly name: string, readonly updatedAt: string }
export interface FulfillmentOrderRef { readonly id: string, readonly orderId: string, readonly status: string, readonly updatedAt: string }
export interface WebhookSubscription { readonly id: string, readonly topic: string, readonly uri: string }
export interface StoreVariant { readonly id: string, readonly sku: string | null, readonly title: string, readonly displayName: string, readonly product: { readonly id: string, readonly title: string, readonly vendor: string } }
export interface Page<T> { readonly items: T[], readonly nextCursor: string | null }

export interface ShopifyAdminClient {
  /** The whole order, every page; undefined when Shopify has no such order (deleted, or not this store's). */
  order (orderId: string): Promise<OrderSnapshot | undefined>
  fulfillmentOrders (orderId: string): Promise<FulfillmentOrder[]>
  /** The order a fulfillment order belongs to; undefined when Shopify has no such fulfillment order. */
  fulfillmentOrderOwner (fulfillmentOrderId: string): Promise<string | undefined>
  createFulfillment (input: CreateFulfillmentInput): Promise<Fulfillment>
  updateTracking (input: UpdateTrackingInput): Promise<Fulfillment>
  /** Orders updated at or after `watermark` (ISO time), oldest first; pass nextCursor back for the next page. */
  ordersUpdatedSince (watermark: string, cursor?: string | null): Promise<Page<OrderRef>>
  /** Fulfillment orders (closed ones too) updated at or after `watermark`: holds, releases and moves the order's updatedAt misses. */
  fulfillmentOrdersUpdatedSince (watermark: string, cursor?: string | null): Promise<Page<FulfillmentOrderRef>>
  webhookSubscriptions (): Promise<WebhookSubscription[]>
  /** `topic` as in the GraphQL enum, e.g. ORDERS_CREATE. */
  createWebhookSubscription (topic: string, uri: string): Promise<WebhookSubscription>
  deleteWebhookSubscription (id: string): Promise<void>
  productVariants (cursor?: string | null): Promise<Page<StoreVariant>>
  close (): Promise<void>
}

export function createShopifyAdminClient (options: ShopifyClientOptions, transport: GraphqlTransport = createGraphqlTransport(options)): ShopifyAdminClient {
  const limits = queryLimits(options.pageSize)
  const pageSize = limits.lines

  return {
    async order (orderId) {
      const order = await readOrder(transport, limits, toGid('Order', orderId))
      return order && mapOrder(order)
    },

    async fulfillmentOrders (orderId) {
      const id = toGid('Order', orderId)
      const data = await transport.execute(docs.orderFulfillmentOrdersQuery, { id, first: limits.fulfillmentOrders, after: null, foLines: limits.nestedLines }, wire.orderFulfillmentOrdersResponse)
      if (!data.order) throw new AppError('not_found', `Shopify has no order ${id}`)
      const all = await readFulfillmentOrders(transport, limits, id, data.order.fulfillmentOrders)
      return all.map(mapFulfillmentOrder)
    },

    async fulfillmentOrderOwner (fulfillmentOrderId) {
      const data = await transport.execute(docs.fulfillmentOrderOwnerQuery, { id: toGid('FulfillmentOrder', fulfillmentOrderId) }, wire.fulfillmentOrderOwnerResponse)
      return data.fulfillmentOrder?.orderId
    },

    async createFulfillment (input) {
      const fulfillment = {
        notifyCustomer: input.notifyCustomer,
        lineItemsByFulfillmentOrder: input.lineItemsByFulfillmentOrder.map((group) => ({
          fulfillmentOrderId: toGid('FulfillmentOrder', group.fulfillmentOrderId),
          ...(group.lineItems ? { fulfillmentOrderLineItems: group.lineItems.map((item) => ({ id: item.id, quantity: item.quantity })) } : {})
        })),
        ...(input.tracking ? { trackingInfo: trackingVariables(input.tracking) } : {})
      }
      const data = await transport.execute(docs.fulfillmentCreateMutation, { fulfillment, message: input.message ?? null }, wire.fulfillmentCreateResponse)
      const payload = data.fulfillmentCreate
      if (!payload) throw new AppError('upstream_invalid_response', 'Shopify answered fulfillmentCreate with no payload')
      throwOnUserErrors('fulfillmentCreate', payload.userErrors)
      if (!payload.fulfillment) throw new AppError('upstream_invalid_response', 'Shopify answered fulfillmentCreate with neither a fulfillment nor userErrors')
      return mapFulfillment(await completeFulfillment(transport, limits, payload.fulfillment))
    },

    async updateTracking (input) {
      const data = await transport.execute(docs.fulfillmentTrackingInfoUpdateMutation, {
        fulfillmentId: toGid('Fulfillment', input.fulfillmentId),
        trackingInfoInput: trackingVariables(input.tracking),
        notifyCustomer: input.notifyCustomer
      }, wire.fulfillmentTrackingInfoUpdateResponse)
      const payload = data.fulfillmentTrackingInfoUpdate
      if (!payload) throw new AppError('upstream_invalid_response', 'Shopify answered fulfillmentTrackingInfoUpdate with no payload')
      throwOnUserErrors('fulfillmentTrackingInfoUpdate', payload.userErrors)
      if (!payload.fulfillment) throw new AppError('upstream_invalid_response', 'Shopify answered fulfillmentTrackingInfoUpdate with neither a fulfillment nor userErrors')
      return mapFulfillment(await completeFulfillment(transport, limits, payload.fulfillment))
    },

    async ordersUpdatedSince (watermark, cursor) {
      const data = await transport.execute(docs.ordersUpdatedSinceQuery, { first: pageSize, after: cursor ?? null, query: updatedSince(watermark) }, wire.ordersUpdatedSinceResponse)
      const page = data.orders
      return { items: page.nodes, nextCursor: page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null }
    },

    async fulfillmentOrdersUpdatedSince (watermark, cursor) {
      const data = await transport.execute(docs.fulfillmentOrdersUpdatedSinceQuery, { first: pageSize, after: cursor ?? null, query: updatedSince(watermark) }, wire.fulfillmentOrdersUpdatedSinceResponse)
      const page = data.fulfillmentOrders
      return { items: page.nodes, nextCursor: page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null }
    },

    async webhookSubscriptions () {
      const all: WebhookSubscription[] = []
      let after: string | null = null
      for (;;) {
        const data: z.infer<typeof wire.webhookSubscriptionsResponse> = await transport.execute(docs.webhookSubscriptionsQuery, { first: 100, after }, wire.webhookSubscriptionsResponse)
        all.push(...data.webhookSubscriptions.nodes)
        if (!data.webhookSubscriptions.pageInfo.hasNextPage) return all
        after = data.webhookSubscriptions.pageInfo.endCursor
      }
    },

    async createWebhookSubscription (topic, uri) {
      const data = await transport.execute(docs.webhookSubscriptionCreateMutation, { topic, webhookSubscription: { uri } }, wire.webhookSubscriptionCreateResponse)
      const payload = data.webhookSubscriptionCreate
      if (!payload) throw new AppError('upstream_invalid_response', 'Shopify answered webhookSubscriptionCreate with no payload')
      throwOnUserErrors('webhookSubscriptionCreate', payload.userErrors)
      if (!payload.webhookSubscription) throw new AppError('upstream_invalid_response', 'Shopify answered webhookSubscriptionCreate with neither a subscription nor userErrors')
      return payload.webhookSubscription
    },

    async deleteWebhookSubscription (id) {
      const data = await transport.execute(docs.webhookSubscriptionDeleteMutation, { id }, wire.webhookSubscriptionDeleteResponse)
      const payload = data.webhookSubscriptionDelete
      if (!payload) throw new AppError('upstream_invalid_response', 'Shopify answered webhookSubscriptionDelete with no payload')
      throwOnUserErrors('webhookSubscriptionDelete', payload.userErrors)
    },

    async productVariants (cursor) {
      const data = await transport.execute(docs.productVariantsQuery, { first: pageSize, after: cursor ?? null }, wire.productVariantsResponse)
      const page = data.productVariants
      return { items: page.nodes, nextCursor: page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null }
    },

    close: () => transport.close()
  }
}

/** Accepts a GID or a bare numeric id (as a string: ids can exceed 2^53). */
export function toGid (type: string, id: string): string {
  if (id.startsWith('gid://shopify/')) return id
  if (/^\d+$/.test(id)) return `gid://shopify/${type}/${id}`
  throw new AppError('bad_request', `not a Shopify ${type} id: ${id}`)
}

/** Shopify search syntax, the time quoted because it holds colons (shopify.md §3.8). */
function updatedSince (watermark: string): string {
  const since = z.iso.datetime({ offset: true }).safeParse(watermark)
  if (!since.success) throw new AppError('bad_request', `not an ISO time with offset: ${watermark}`)
  return `updated_at:>='${since.data}'`
}

function trackingVariables (tracking: TrackingInput): Record<string, unknown> {
  return Object.fromEntries(Object.entries(tracking).filter(([, value]) => value !== undefined))
}
