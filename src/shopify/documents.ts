// Every GraphQL document the bridge sends to the Admin API, in one place so a
// test can validate each against the pinned 2026-10 schema. Field paths follow
// shopify.md's "Checked against the real 2026-10 Admin schema" list.
//
// Cost: Shopify prices a connection at 2 + first × its item and refuses any single
// query above 1000 points (shopify.md §3.6), so nested lists are kept short here and
// the rest is paged by the follow-up queries below (test/shopify/documents.test.ts
// checks every document's estimated cost at the page sizes admin-client.ts uses).

const lineItemFields = `
fragment PodBridgeLineItem on LineItem {
  id name title variantTitle vendor sku quantity currentQuantity
  requiresShipping isGiftCard
  customAttributes { key value }
  variant { id }
  product { id }
  originalUnitPriceSet { shopMoney { amount currencyCode } }
}`

const fulfillmentOrderLineItemFields = `
fragment PodBridgeFulfillmentOrderLineItem on FulfillmentOrderLineItem {
  id totalQuantity remainingQuantity
  lineItem { id }
}`

const fulfillmentOrderFields = `
fragment PodBridgeFulfillmentOrder on FulfillmentOrder {
  id status requestStatus updatedAt
  assignedLocation { name location { id isFulfillmentService fulfillmentService { handle } } }
  fulfillmentHolds { id reason reasonNotes }
  lineItems(first: $foLines) {
    pageInfo { hasNextPage endCursor }
    nodes { ...PodBridgeFulfillmentOrderLineItem }
  }
}
${fulfillmentOrderLineItemFields}`

const fulfillmentLineItemFields = `
fragment PodBridgeFulfillmentLineItem on FulfillmentLineItem {
  id quantity
  lineItem { id }
}`

const fulfillmentFields = `
fragment PodBridgeFulfillment on Fulfillment {
  id status createdAt updatedAt
  trackingInfo(first: 10) { company number url }
  fulfillmentLineItems(first: 10) {
    pageInfo { hasNextPage endCursor }
    nodes { ...PodBridgeFulfillmentLineItem }
  }
}
${fulfillmentLineItemFields}`

/** What routing, fulfillment and ops need of one order (DESIGN.md "order.sync"). */
export const orderQuery = `
query PodBridgeOrder($id: ID!, $lines: Int!, $fulfillmentOrders: Int!, $foLines: Int!, $fulfillments: Int!) {
  order(id: $id) {
    id legacyResourceId name number email
    createdAt updatedAt processedAt test
    displayFinancialStatus displayFulfillmentStatus cancelledAt cancelReason closed
    presentmentCurrencyCode
    shippingAddress { firstName lastName name company address1 address2 city province provinceCode country countryCodeV2 zip phone }
    localizedFields(first: 10) { nodes { key countryCode purpose title value } }
    shippingLines(first: 5) { nodes { id title code source carrierIdentifier } }
    lineItems(first: $lines) {
      pageInfo { hasNextPage endCursor }
      nodes { ...PodBridgeLineItem }
    }
    fulfillmentOrders(first: $fulfillmentOrders) {
      pageInfo { hasNextPage endCursor }
      nodes { ...PodBridgeFulfillmentOrder }
    }
    fulfillments(first: $fulfillments) { ...PodBridgeFulfillment }
  }
}
${lineItemFields}
${fulfillmentOrderFields}
${fulfillmentFields}`

/** The next page of an order's line items (orders with more lines than one page). */
export const orderLineItemsQuery = `
query PodBridgeOrderLineItems($id: ID!, $first: Int!, $after: String) {
  order(id: $id) {
    lineItems(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { ...PodBridgeLineItem }
    }
  }
}
${lineItemFields}`

/** An order's fulfillment orders, page by page; also the typed read for fulfillment write-back. */
export const orderFulfillmentOrdersQuery = `
query PodBridgeOrderFulfillmentOrders($id: ID!, $first: Int!, $after: String, $foLines: Int!) {
  order(id: $id) {
    id updatedAt
    fulfillmentOrders(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { ...PodBridgeFulfillmentOrder }
    }
  }
}
${fulfillmentOrderFields}`

/** The next page of one fulfillment order's line items. */
export const fulfillmentOrderLineItemsQuery = `
query PodBridgeFulfillmentOrderLineItems($id: ID!, $first: Int!, $after: String) {
  fulfillmentOrder(id: $id) {
    lineItems(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { ...PodBridgeFulfillmentOrderLineItem }
    }
  }
}
${fulfillmentOrderLineItemFields}`

/** Order.fulfillments is a plain list with no paging: when the first read was full, list every id. */
export const orderFulfillmentIdsQuery = `
query PodBridgeOrderFulfillmentIds($id: ID!, $first: Int!) {
  order(id: $id) {
    fulfillments(first: $first) { id }
  }
}`

/** One fulfillment, for those the order query had no room for. */
export const fulfillmentQuery = `
query PodBridgeFulfillment($id: ID!) {
  fulfillment(id: $id) { ...PodBridgeFulfillment }
}
${fulfillmentFields}`

/** The next page of one fulfillment's line items. */
export const fulfillmentLineItemsQuery = `
query PodBridgeFulfillmentLineItems($id: ID!, $first: Int!, $after: String) {
  fulfillment(id: $id) {
    fulfillmentLineItems(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { ...PodBridgeFulfillmentLineItem }
    }
  }
}
${fulfillmentLineItemFields}`

/** Reconciliation: orders updated since a watermark, oldest first (shopify.md §3.8). */
export const ordersUpdatedSinceQuery = `
query PodBridgeOrdersUpdatedSince($first: Int!, $after: String, $query: String!) {
  orders(first: $first, after: $after, sortKey: UPDATED_AT, query: $query) {
    pageInfo { hasNextPage endCursor }
    nodes { id name updatedAt }
  }
}`

/**
 * Reconciliation of fulfillment orders: a hold bumps the fulfillment order's updated_at but not
 * the order's (shopify.md §3.2), so holds and releases are only found here. Searchable by
 * updated_at since 2024-04 (same section).
 */
export const fulfillmentOrdersUpdatedSinceQuery = `
query PodBridgeFulfillmentOrdersUpdatedSince($first: Int!, $after: String, $query: String!) {
  fulfillmentOrders(first: $first, after: $after, sortKey: UPDATED_AT, includeClosed: true, query: $query) {
    pageInfo { hasNextPage endCursor }
    nodes { id orderId status updatedAt }
  }
}`

export const fulfillmentCreateMutation = `
mutation PodBridgeFulfillmentCreate($fulfillment: FulfillmentInput!, $message: String) {
  fulfillmentCreate(fulfillment: $fulfillment, message: $message) {
    fulfillment { ...PodBridgeFulfillment }
    userErrors { field message }
  }
}
${fulfillmentFields}`

export const fulfillmentTrackingInfoUpdateMutation = `
mutation PodBridgeFulfillmentTrackingInfoUpdate($fulfillmentId: ID!, $trackingInfoInput: FulfillmentTrackingInput!, $notifyCustomer: Boolean) {
  fulfillmentTrackingInfoUpdate(fulfillmentId: $fulfillmentId, trackingInfoInput: $trackingInfoInput, notifyCustomer: $notifyCustomer) {
    fulfillment { ...PodBridgeFulfillment }
    userErrors { field message }
  }
}
${fulfillmentFields}`

export const webhookSubscriptionsQuery = `
query PodBridgeWebhookSubscriptions($first: Int!, $after: String) {
  webhookSubscriptions(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id topic uri }
  }
}`

export const webhookSubscriptionCreateMutation = `
mutation PodBridgeWebhookSubscriptionCreate($topic: WebhookSubscriptionTopic!, $webhookSubscription: WebhookSubscriptionInput!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) {
    webhookSubscription { id topic uri }
    userErrors { field message }
  }
}`

/** `webhooks register --replace`: an old address of this bridge is removed once the new one is subscribed. */
export const webhookSubscriptionDeleteMutation = `
mutation PodBridgeWebhookSubscriptionDelete($id: ID!) {
  webhookSubscriptionDelete(id: $id) {
    deletedWebhookSubscriptionId
    userErrors { field message }
  }
}`

/** The store's variants, for the unmapped report. */
export const productVariantsQuery = `
query PodBridgeProductVariants($first: Int!, $after: String) {
  productVariants(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id sku title displayName product { id title vendor } }
  }
}`

/** fulfillment_orders/* webhook bodies name only the fulfillment order: which order is it? */
export const fulfillmentOrderOwnerQuery = `
query PodBridgeFulfillmentOrderOwner($id: ID!) {
  fulfillmentOrder(id: $id) { id orderId }
}`

/** For the schema test: every document above, by name. */
export const allDocuments: Readonly<Record<string, string>> = {
  orderQuery,
  orderLineItemsQuery,
  orderFulfillmentOrdersQuery,
  fulfillmentOrderLineItemsQuery,
  orderFulfillmentIdsQuery,
  fulfillmentQuery,
  fulfillmentLineItemsQuery,
  ordersUpdatedSinceQuery,
  fulfillmentOrdersUpdatedSinceQuery,
  fulfillmentOrderOwnerQuery,
  fulfillmentCreateMutation,
  fulfillmentTrackingInfoUpdateMutation,
  webhookSubscriptionsQuery,
  webhookSubscriptionCreateMutation,
  webhookSubscriptionDeleteMutation,
  productVariantsQuery
}
