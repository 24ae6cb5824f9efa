// What each Shopify topic's body tells us, and what intake does with it.
// Bodies are REST resources (shopify.md §2.2); only the identity is read here:
// the order's truth is read later over the Admin API by `order.sync`.
import { z } from 'zod'

export type TopicKind = 'order' | 'order_edit' | 'fulfillment_order' | 'product_deleted' | 'compliance' | 'app_uninstalled' | 'ignored'

const topicKinds: Record<string, TopicKind> = {
  'orders/create': 'order',
  'orders/paid': 'order',
  'orders/updated': 'order',
  'orders/cancelled': 'order',
  'orders/fulfilled': 'order',
  'orders/partially_fulfilled': 'order',
  // The body of orders/edited is an order edit, not an order (DESIGN.md).
  'orders/edited': 'order_edit',
  // A hold's release changes the fulfillment order, not the order: without
  // these a held order would never route.
  'fulfillment_orders/placed_on_hold': 'fulfillment_order',
  'fulfillment_orders/hold_released': 'fulfillment_order',
  'fulfillment_orders/moved': 'fulfillment_order',
  'fulfillment_orders/split': 'fulfillment_order',
  'fulfillment_orders/merged': 'fulfillment_order',
  'fulfillment_orders/cancelled': 'fulfillment_order',
  'fulfillment_orders/order_routing_complete': 'fulfillment_order',
  // A pushed product deleted by the merchant: its supplier is told it left the store (issue 18).
  'products/delete': 'product_deleted',
  'app/uninstalled': 'app_uninstalled',
  'customers/data_request': 'compliance',
  'customers/redact': 'compliance',
  'shop/redact': 'compliance'
}

export function topicKind (topic: string): TopicKind {
  // Own keys only: a topic header of "toString" or "__proto__" must not find Object.prototype's.
  return Object.hasOwn(topicKinds, topic) ? topicKinds[topic] ?? 'ignored' : 'ignored'
}

/**
 * The topics pod-bridge subscribes to: every topic intake acts on, except the
 * compliance topics, which Shopify only takes from the app's configuration
 * (never from webhookSubscriptionCreate; shopify.md §2.1).
 */
export const subscribedTopics: readonly string[] = Object.entries(topicKinds)
  .filter(([, kind]) => kind !== 'compliance' && kind !== 'ignored')
  .map(([topic]) => topic)

export const complianceTopics: readonly string[] = Object.entries(topicKinds).filter(([, kind]) => kind === 'compliance').map(([topic]) => topic)

/** orders/paid → ORDERS_PAID: the WebhookSubscriptionTopic enum's spelling. */
export function topicEnum (topic: string): string {
  return topic.replaceAll('/', '_').toUpperCase()
}

const id = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform(String)

// The body's times are hints (order.sync reads the truth): one Postgres could not read is dropped,
// never a reason to refuse, and so lose, the delivery.
const hintTime = z.iso.datetime({ offset: true, local: true }).nullish().catch(null)

const orderBody = z.object({
  id,
  admin_graphql_api_id: z.string().startsWith('gid://shopify/Order/').optional(),
  name: z.string().nullish(),
  order_number: z.union([z.number(), z.string()]).nullish(),
  email: z.string().nullish(),
  created_at: hintTime,
  updated_at: hintTime
})

const orderEditBody = z.object({ order_edit: z.object({ order_id: id, created_at: z.string().nullish() }) })

export interface OrderIdentity {
  readonly gid: string
  readonly name: string | null
  readonly orderNumber: string | null
  readonly email: string | null
  readonly createdAt: string | null
  readonly updatedAt: string | null
}

export function orderGid (numericId: string): string {
  return `gid://shopify/Order/${numericId}`
}

/** The order an order topic's body is about, or a reason it names none. */
export function orderIdentity (kind: 'order' | 'order_edit', body: unknown): OrderIdentity | { error: string } {
  if (kind === 'order_edit') {
    const parsed = orderEditBody.safeParse(body)
    if (!parsed.success) return { error: 'the body has no order_edit.order_id' }
    return { gid: orderGid(parsed.data.order_edit.order_id), name: null, orderNumber: null, email: null, createdAt: null, updatedAt: null }
  }
  const parsed = orderBody.safeParse(body)
  if (!parsed.success) return { error: `the body is not an order: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'} ${i.message}`).join('; ')}` }
  const order = parsed.data
  return {
    gid: order.admin_graphql_api_id ?? orderGid(order.id),
    name: order.name ?? null,
    orderNumber: order.order_number === null || order.order_number === undefined ? null : String(order.order_number),
    email: order.email ?? null,
    createdAt: order.created_at ?? null,
    updatedAt: order.updated_at ?? null
  }
}

// products/delete's body is only the deleted product's id, {"id": 788032119674292922}: the product itself is gone
// (Shopify's webhook topic reference example; https://cloud.tencent.com/developer/information/Shopify%20products%2Fdelete%20webhook%E4%BB%85%E8%BF%94%E5%9B%9EID-ask).
const productDeleteBody = z.object({ id })

/** The product a products/delete body names, as a gid; undefined when it names none. */
export function deletedProductGid (body: unknown): string | undefined {
  const parsed = productDeleteBody.safeParse(body)
  return parsed.success ? `gid://shopify/Product/${parsed.data.id}` : undefined
}

/** Every fulfillment order a fulfillment_orders/* body mentions (moved, split and merged name several). */
export function fulfillmentOrderIds (rawBody: string): string[] {
  return [...new Set(rawBody.match(/gid:\/\/shopify\/FulfillmentOrder\/\d+/g) ?? [])]
}
