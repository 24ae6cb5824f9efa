// Root fields of the simulated Admin API: the queries and mutations the bridge
// sends (src/shopify/documents.ts). Mutations hand their webhooks to the context.
import type { ConnectionArgs } from './connections.ts'
import { connection, idKey } from './connections.ts'
import { productRootValue } from './product-root.ts'
import { fulfillmentOrderView, fulfillmentView, mapConnection, orderView, variantView, webhookSubscriptionView } from './graphql-views.ts'
import { createFulfillment, updateTracking, type FulfillmentCreateArgs } from '../store/store-fulfillment.ts'
import { numericId, type SimEvent, type SimFulfillmentOrder, type SimOrder, type StoreState } from '../store/store-model.ts'

export interface ResolverContext { emit (events: SimEvent[]): void }

type SearchArgs = ConnectionArgs & { query?: string | null, sortKey?: string | null }

interface Condition { field: string, op: string, value: string }

/**
 * The part of Shopify's search syntax reconciliation uses: `updated_at:>='2026-11-01T00:00:00Z'`
 * (and created_at, with > >= < <= or equality). Other terms are ignored, as Shopify ignores
 * a search term it does not know (with a warning the simulator does not send).
 */
export function parseSearch (query: string): Condition[] {
  const conditions: Condition[] = []
  for (const match of query.matchAll(/(\w+):(>=|<=|>|<)?(?:'([^']*)'|"([^"]*)"|(\S+))/g)) {
    const field = match[1]
    const value = match[3] ?? match[4] ?? match[5]
    if (field && value !== undefined) conditions.push({ field, op: match[2] ?? '=', value })
  }
  return conditions
}

function matches (record: { updatedAt: string, createdAt: string }, conditions: Condition[]): boolean {
  return conditions.every(({ field, op, value }) => {
    const column = field === 'updated_at' ? record.updatedAt : field === 'created_at' ? record.createdAt : undefined
    if (column === undefined) return true
    const a = Date.parse(column)
    const b = Date.parse(value)
    if (Number.isNaN(b)) return true
    switch (op) {
      case '>': return a > b
      case '>=': return a >= b
      case '<': return a < b
      case '<=': return a <= b
      default: return a === b
    }
  })
}

const sortKeys: Record<string, (o: SimOrder) => string> = {
  UPDATED_AT: (o) => `${o.updatedAt}|${idKey(o.id)}`,
  CREATED_AT: (o) => `${o.createdAt}|${idKey(o.id)}`,
  PROCESSED_AT: (o) => `${o.processedAt}|${idKey(o.id)}`,
  ORDER_NUMBER: (o) => `${String(o.orderNumber).padStart(12, '0')}|${idKey(o.id)}`,
  ID: (o) => idKey(o.id)
}

export function rootValue (state: StoreState): Record<string, unknown> {
  return {
    ...productRootValue(state),
    order: ({ id }: { id: string }) => {
      const order = state.orders.get(numericId(id))
      return order ? orderView(state, order) : null
    },
    orders: (args: SearchArgs) => {
      const key = sortKeys[args.sortKey ?? 'ID'] ?? sortKeys.ID ?? ((o: SimOrder) => o.id)
      const conditions = parseSearch(args.query ?? '')
      const selected = [...state.orders.values()].filter((o) => matches(o, conditions)).sort((x, y) => key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0)
      return mapConnection(connection(selected, args, key), (o) => orderView(state, o))
    },
    fulfillmentOrder: ({ id }: { id: string }) => {
      const fo = state.fulfillmentOrders.get(numericId(id))
      return fo ? fulfillmentOrderView(state, fo) : null
    },
    fulfillmentOrders: (args: SearchArgs & { includeClosed?: boolean | null }) => {
      const conditions = parseSearch(args.query ?? '')
      const key = args.sortKey === 'UPDATED_AT' ? (fo: SimFulfillmentOrder) => `${fo.updatedAt}|${idKey(fo.id)}` : (fo: SimFulfillmentOrder) => idKey(fo.id)
      const selected = [...state.fulfillmentOrders.values()]
        .filter((fo) => (args.includeClosed ?? false) || !['CLOSED', 'CANCELLED'].includes(fo.status))
        .filter((fo) => matches(fo, conditions))
        .sort((x, y) => key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0)
      return mapConnection(connection(selected, args, key), (fo) => fulfillmentOrderView(state, fo))
    },
    fulfillment: ({ id }: { id: string }) => {
      const fulfillment = state.fulfillments.get(numericId(id))
      return fulfillment ? fulfillmentView(state, fulfillment) : null
    },
    productVariants: (args: SearchArgs) => {
      const variants = [...state.variants.values()].sort((x, y) => idKey(x.id) < idKey(y.id) ? -1 : 1)
      return mapConnection(connection(variants, args, (v) => idKey(v.id)), variantView)
    },
    webhookSubscriptions: (args: SearchArgs & { topics?: string[] | null }) => {
      const selected = state.subscriptions.filter((s) => !args.topics || args.topics.includes(s.topic))
      return mapConnection(connection(selected, args, (s) => idKey(s.id)), webhookSubscriptionView)
    },
    fulfillmentCreate: ({ fulfillment }: { fulfillment: FulfillmentCreateArgs }, context: ResolverContext) => {
      const result = createFulfillment(state, fulfillment)
      if ('userErrors' in result) return { fulfillment: null, userErrors: result.userErrors }
      context.emit(result.events)
      return { fulfillment: fulfillmentView(state, result.fulfillment), userErrors: [] }
    },
    fulfillmentTrackingInfoUpdate: (args: { fulfillmentId: string, trackingInfoInput: FulfillmentCreateArgs['trackingInfo'], notifyCustomer?: boolean | null }, context: ResolverContext) => {
      const result = updateTracking(state, args.fulfillmentId, args.trackingInfoInput, args.notifyCustomer)
      if ('userErrors' in result) return { fulfillment: null, userErrors: result.userErrors }
      context.emit(result.events)
      return { fulfillment: fulfillmentView(state, result.fulfillment), userErrors: [] }
    },
    webhookSubscriptionCreate: (args: { topic: string, webhookSubscription: { uri?: string | null } }) => {
      const uri = args.webhookSubscription.uri
      if (!uri) return { webhookSubscription: null, userErrors: [{ field: ['webhookSubscription', 'callbackUrl'], message: 'Address can\'t be blank' }] }
      if (state.subscriptions.some((s) => s.topic === args.topic && s.uri === uri)) {
        return { webhookSubscription: null, userErrors: [{ field: ['webhookSubscription', 'callbackUrl'], message: 'Address for this topic has already been taken' }] }
      }
      const subscription = { id: state.nextId(), topic: args.topic, uri, createdAt: state.tick() }
      state.subscriptions.push(subscription)
      return { webhookSubscription: webhookSubscriptionView(subscription), userErrors: [] }
    },
    webhookSubscriptionDelete: (args: { id: string }) => {
      const index = state.subscriptions.findIndex((s) => webhookSubscriptionView(s).id === args.id)
      if (index < 0) return { deletedWebhookSubscriptionId: null, userErrors: [{ field: ['id'], message: 'Webhook subscription does not exist' }] }
      state.subscriptions.splice(index, 1)
      return { deletedWebhookSubscriptionId: args.id, userErrors: [] }
    }
  }
}
