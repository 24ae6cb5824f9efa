// Objects graphql-js resolves against the Admin schema: each view is a plain
// object whose fields are values or functions of (args), built from the store's
// state at read time. Only what the bridge reads is filled in; any other field
// resolves to null (and a non-null one to a GraphQL error naming it).
import { connection, idKey, type ConnectionArgs } from './connections.ts'
import { gid, type SimFulfillment, type SimFulfillmentOrder, type SimLineItem, type SimLocation, type SimOrder, type SimVariant, type SimWebhookSubscription, type StoreState } from '../store/store-model.ts'

type View = Record<string, unknown>

const byId = <T extends { id: string }>(item: T): string => idKey(item.id)

function moneyBag (amount: string, currencyCode: string): View {
  return { shopMoney: { amount, currencyCode }, presentmentMoney: { amount, currencyCode } }
}

function fulfilledOf (order: SimOrder, lineItemId: string): number {
  return order.fulfillments.filter((f) => f.status === 'SUCCESS').flatMap((f) => f.lines)
    .filter((l) => l.lineItemId === lineItemId).reduce((sum, l) => sum + l.quantity, 0)
}

export function locationView (location: SimLocation): View {
  const handle = location.fulfillmentServiceHandle
  return {
    id: gid('Location', location.id),
    legacyResourceId: location.id,
    name: location.name,
    isActive: true,
    isFulfillmentService: handle !== null,
    fulfillmentService: handle === null ? null : { id: gid('FulfillmentService', location.id), handle, serviceName: location.name, type: 'THIRD_PARTY' }
  }
}

export function lineItemView (order: SimOrder, line: SimLineItem): View {
  const fulfilled = fulfilledOf(order, line.id)
  return {
    id: gid('LineItem', line.id),
    name: line.variantTitle ? `${line.title} - ${line.variantTitle}` : line.title,
    title: line.title,
    variantTitle: line.variantTitle,
    vendor: line.vendor,
    sku: line.sku,
    quantity: line.quantity,
    currentQuantity: line.currentQuantity,
    unfulfilledQuantity: Math.max(0, line.currentQuantity - fulfilled),
    requiresShipping: line.requiresShipping,
    isGiftCard: line.giftCard,
    customAttributes: line.properties.map((p) => ({ key: p.name, value: p.value })),
    variant: line.variantId === null ? null : { id: gid('ProductVariant', line.variantId), sku: line.sku },
    product: line.productId === null ? null : { id: gid('Product', line.productId) },
    originalUnitPriceSet: moneyBag(line.price, order.currency)
  }
}

export function fulfillmentOrderView (state: StoreState, fo: SimFulfillmentOrder): View {
  const order = state.orders.get(fo.orderId)
  const location = state.locations.get(fo.locationId)
  const actions = fo.status === 'ON_HOLD'
    ? ['RELEASE_HOLD']
    : ['OPEN', 'IN_PROGRESS'].includes(fo.status) ? ['CREATE_FULFILLMENT', 'HOLD', 'MOVE'] : []
  return {
    id: gid('FulfillmentOrder', fo.id),
    orderId: gid('Order', fo.orderId),
    orderName: order ? `#${order.orderNumber}` : null,
    status: fo.status,
    requestStatus: fo.requestStatus,
    createdAt: fo.createdAt,
    updatedAt: fo.updatedAt,
    assignedLocation: { name: location?.name ?? 'Unknown', countryCode: 'US', location: location ? locationView(location) : null },
    fulfillmentHolds: fo.holds.map((h) => ({ id: gid('FulfillmentHold', h.id), reason: h.reason, reasonNotes: h.reasonNotes, displayReason: h.reason, heldByRequestingApp: false })),
    supportedActions: actions.map((action) => ({ action })),
    order: () => order ? orderView(state, order) : null,
    lineItems: (args: ConnectionArgs) => mapConnection(connection(fo.lines, args, byId), (item) => {
      const line = order?.lines.find((l) => l.id === item.lineItemId)
      return {
        id: gid('FulfillmentOrderLineItem', item.id),
        totalQuantity: item.totalQuantity,
        remainingQuantity: item.remainingQuantity,
        sku: line?.sku ?? null,
        requiresShipping: line?.requiresShipping ?? true,
        lineItem: order && line ? lineItemView(order, line) : { id: gid('LineItem', item.lineItemId) }
      }
    })
  }
}

export function fulfillmentView (state: StoreState, fulfillment: SimFulfillment): View {
  const order = state.orders.get(fulfillment.orderId)
  return {
    id: gid('Fulfillment', fulfillment.id),
    legacyResourceId: fulfillment.id,
    name: order ? `#${order.orderNumber}.${order.fulfillments.indexOf(fulfillment) + 1}` : '',
    status: fulfillment.status,
    displayStatus: fulfillment.status === 'SUCCESS' ? 'FULFILLED' : 'CANCELED',
    createdAt: fulfillment.createdAt,
    updatedAt: fulfillment.updatedAt,
    requiresShipping: true,
    totalQuantity: fulfillment.lines.reduce((sum, l) => sum + l.quantity, 0),
    trackingInfo: (args: { first?: number | null }) => fulfillment.tracking.slice(0, args.first ?? undefined),
    order: () => order ? orderView(state, order) : null,
    location: () => { const l = state.locations.get(fulfillment.locationId); return l ? locationView(l) : null },
    fulfillmentLineItems: (args: ConnectionArgs) => mapConnection(connection(fulfillment.lines, args, byId), (item) => {
      const line = order?.lines.find((l) => l.id === item.lineItemId)
      return { id: gid('FulfillmentLineItem', item.id), quantity: item.quantity, lineItem: order && line ? lineItemView(order, line) : { id: gid('LineItem', item.lineItemId) } }
    })
  }
}

function displayFulfillmentStatus (state: StoreState, order: SimOrder): string {
  const fos = order.fulfillmentOrderIds.map((id) => state.fulfillmentOrders.get(id)).filter((fo) => fo !== undefined)
  const fulfilled = order.lines.reduce((sum, l) => sum + fulfilledOf(order, l.id), 0)
  const remaining = fos.flatMap((fo) => fo.lines).reduce((sum, l) => sum + l.remainingQuantity, 0)
  if (fulfilled === 0) return fos.some((fo) => fo.status === 'ON_HOLD') ? 'ON_HOLD' : 'UNFULFILLED'
  return remaining === 0 ? 'FULFILLED' : 'PARTIALLY_FULFILLED'
}

export function orderView (state: StoreState, order: SimOrder): View {
  const a = order.shippingAddress
  const fos = () => order.fulfillmentOrderIds.map((id) => state.fulfillmentOrders.get(id)).filter((fo) => fo !== undefined)
  return {
    id: gid('Order', order.id),
    legacyResourceId: order.id,
    name: `#${order.orderNumber}`,
    number: order.orderNumber,
    email: order.email,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    processedAt: order.processedAt,
    test: order.test,
    displayFinancialStatus: order.financialStatus,
    displayFulfillmentStatus: () => displayFulfillmentStatus(state, order),
    cancelledAt: order.cancelledAt,
    cancelReason: order.cancelReason,
    closed: order.closedAt !== null,
    closedAt: order.closedAt,
    currencyCode: order.currency,
    presentmentCurrencyCode: order.currency,
    note: order.note,
    tags: order.tags,
    requiresShipping: order.lines.some((l) => l.requiresShipping),
    shippingAddress: a === null ? null : { ...a, id: gid('MailingAddress', `${order.id}1`), name: [a.firstName, a.lastName].filter(Boolean).join(' ') || null, countryCodeV2: a.countryCode },
    localizedFields: (args: ConnectionArgs) => connection(order.localizedFields, args, (f) => f.key),
    shippingLines: (args: ConnectionArgs) => mapConnection(connection(order.shippingLines, args, byId), (s) => ({
      id: gid('ShippingLine', s.id), title: s.title, code: s.code, source: s.source, carrierIdentifier: null, isRemoved: false, custom: false,
      originalPriceSet: moneyBag(s.price, order.currency), discountedPriceSet: moneyBag(s.price, order.currency)
    })),
    lineItems: (args: ConnectionArgs) => mapConnection(connection(order.lines, args, byId), (line) => lineItemView(order, line)),
    fulfillmentOrders: (args: ConnectionArgs) => mapConnection(connection(fos(), args, byId), (fo) => fulfillmentOrderView(state, fo)),
    fulfillments: (args: { first?: number | null }) => order.fulfillments.slice(0, args.first ?? undefined).map((f) => fulfillmentView(state, f))
  }
}

export function variantView (variant: SimVariant): View {
  return {
    id: gid('ProductVariant', variant.id),
    legacyResourceId: variant.id,
    sku: variant.sku,
    title: variant.title,
    displayName: `${variant.productTitle} - ${variant.title}`,
    product: { id: gid('Product', variant.productId), title: variant.productTitle, vendor: variant.vendor }
  }
}

export function webhookSubscriptionView (subscription: SimWebhookSubscription): View {
  return { id: gid('WebhookSubscription', subscription.id), topic: subscription.topic, uri: subscription.uri, createdAt: subscription.createdAt, updatedAt: subscription.createdAt, format: 'JSON', includeFields: [], metafieldNamespaces: [] }
}

export function mapConnection<T, U> (page: ReturnType<typeof connection<T>>, map: (item: T) => U): { nodes: U[], edges: Array<{ node: U, cursor: string }>, pageInfo: ReturnType<typeof connection<T>>['pageInfo'] } {
  const edges = page.edges.map((edge) => ({ node: map(edge.node), cursor: edge.cursor }))
  return { nodes: edges.map((e) => e.node), edges, pageInfo: page.pageInfo }
}
