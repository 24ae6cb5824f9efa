// zod schemas of what the Admin API answers to documents.ts, field for field.
// They are the wire format: only order-mapper.ts and admin-client.ts see them.
import { z } from 'zod'
import { userErrorSchema } from './user-errors.ts'

const gid = z.string().regex(/^gid:\/\/shopify\/\w+\/\S+$/, { error: 'must be a Shopify GID' })

export const pageInfoSchema = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() })

export const lineItemWire = z.object({
  id: gid,
  name: z.string(),
  title: z.string(),
  variantTitle: z.string().nullable(),
  vendor: z.string().nullable(),
  sku: z.string().nullable(),
  quantity: z.number().int(),
  currentQuantity: z.number().int(),
  requiresShipping: z.boolean(),
  isGiftCard: z.boolean(),
  customAttributes: z.array(z.object({ key: z.string(), value: z.string().nullable() })),
  variant: z.object({ id: gid }).nullable(),
  product: z.object({ id: gid }).nullable(),
  originalUnitPriceSet: z.object({ shopMoney: z.object({ amount: z.string(), currencyCode: z.string() }) })
})

export const fulfillmentOrderLineItemWire = z.object({
  id: gid,
  totalQuantity: z.number().int(),
  remainingQuantity: z.number().int(),
  lineItem: z.object({ id: gid })
})

export const fulfillmentOrderWire = z.object({
  id: gid,
  status: z.string(),
  requestStatus: z.string(),
  updatedAt: z.string(),
  assignedLocation: z.object({
    name: z.string(),
    location: z.object({
      id: gid,
      isFulfillmentService: z.boolean(),
      fulfillmentService: z.object({ handle: z.string() }).nullable()
    }).nullable()
  }),
  fulfillmentHolds: z.array(z.object({ id: gid, reason: z.string(), reasonNotes: z.string().nullable() })),
  lineItems: z.object({ pageInfo: pageInfoSchema, nodes: z.array(fulfillmentOrderLineItemWire) })
})

const fulfillmentLineItemWire = z.object({ id: gid, quantity: z.number().int().nullable(), lineItem: z.object({ id: gid }) })

export const fulfillmentWire = z.object({
  id: gid,
  status: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  trackingInfo: z.array(z.object({ company: z.string().nullable(), number: z.string().nullable(), url: z.string().nullable() })),
  fulfillmentLineItems: z.object({ pageInfo: pageInfoSchema, nodes: z.array(fulfillmentLineItemWire) })
})

const mailingAddressWire = z.object({
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  name: z.string().nullable(),
  company: z.string().nullable(),
  address1: z.string().nullable(),
  address2: z.string().nullable(),
  city: z.string().nullable(),
  province: z.string().nullable(),
  provinceCode: z.string().nullable(),
  country: z.string().nullable(),
  countryCodeV2: z.string().nullable(),
  zip: z.string().nullable(),
  phone: z.string().nullable()
})

export const orderWire = z.object({
  id: gid,
  legacyResourceId: z.union([z.string(), z.number()]).transform(String),
  name: z.string(),
  number: z.number().int(),
  email: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  processedAt: z.string(),
  test: z.boolean(),
  displayFinancialStatus: z.string().nullable(),
  displayFulfillmentStatus: z.string(),
  cancelledAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
  closed: z.boolean(),
  presentmentCurrencyCode: z.string(),
  shippingAddress: mailingAddressWire.nullable(),
  localizedFields: z.object({ nodes: z.array(z.object({ key: z.string(), countryCode: z.string(), purpose: z.string(), title: z.string(), value: z.string() })) }),
  shippingLines: z.object({ nodes: z.array(z.object({ id: z.string().nullable(), title: z.string(), code: z.string().nullable(), source: z.string().nullable(), carrierIdentifier: z.string().nullable() })) }),
  lineItems: z.object({ pageInfo: pageInfoSchema, nodes: z.array(lineItemWire) }),
  fulfillmentOrders: z.object({ pageInfo: pageInfoSchema, nodes: z.array(fulfillmentOrderWire) }),
  fulfillments: z.array(fulfillmentWire)
})

export type OrderWire = z.infer<typeof orderWire>
export type FulfillmentOrderWire = z.infer<typeof fulfillmentOrderWire>
export type FulfillmentWire = z.infer<typeof fulfillmentWire>

export const orderResponse = z.object({ order: orderWire.nullable() })
export const orderLineItemsResponse = z.object({ order: z.object({ lineItems: z.object({ pageInfo: pageInfoSchema, nodes: z.array(lineItemWire) }) }).nullable() })
export const orderFulfillmentOrdersResponse = z.object({
  order: z.object({ id: gid, updatedAt: z.string(), fulfillmentOrders: z.object({ pageInfo: pageInfoSchema, nodes: z.array(fulfillmentOrderWire) }) }).nullable()
})
export const fulfillmentOrderLineItemsResponse = z.object({
  fulfillmentOrder: z.object({ lineItems: z.object({ pageInfo: pageInfoSchema, nodes: z.array(fulfillmentOrderLineItemWire) }) }).nullable()
})
export const orderFulfillmentIdsResponse = z.object({ order: z.object({ fulfillments: z.array(z.object({ id: gid })) }).nullable() })
export const fulfillmentResponse = z.object({ fulfillment: fulfillmentWire.nullable() })
export const fulfillmentLineItemsResponse = z.object({
  fulfillment: z.object({ fulfillmentLineItems: z.object({ pageInfo: pageInfoSchema, nodes: z.array(fulfillmentLineItemWire) }) }).nullable()
})
export const ordersUpdatedSinceResponse = z.object({
  orders: z.object({ pageInfo: pageInfoSchema, nodes: z.array(z.object({ id: gid, name: z.string(), updatedAt: z.string() })) })
})
export const fulfillmentOrdersUpdatedSinceResponse = z.object({
  fulfillmentOrders: z.object({ pageInfo: pageInfoSchema, nodes: z.array(z.object({ id: gid, orderId: gid, status: z.string(), updatedAt: z.string() })) })
})
export const fulfillmentOrderOwnerResponse = z.object({
  fulfillmentOrder: z.object({ id: gid, orderId: gid }).nullable()
})
export const fulfillmentCreateResponse = z.object({
  fulfillmentCreate: z.object({ fulfillment: fulfillmentWire.nullable(), userErrors: z.array(userErrorSchema) }).nullable()
})
export const fulfillmentTrackingInfoUpdateResponse = z.object({
  fulfillmentTrackingInfoUpdate: z.object({ fulfillment: fulfillmentWire.nullable(), userErrors: z.array(userErrorSchema) }).nullable()
})
const webhookSubscriptionWire = z.object({ id: gid, topic: z.string(), uri: z.string() })
export const webhookSubscriptionsResponse = z.object({
  webhookSubscriptions: z.object({ pageInfo: pageInfoSchema, nodes: z.array(webhookSubscriptionWire) })
})
export const webhookSubscriptionCreateResponse = z.object({
  webhookSubscriptionCreate: z.object({ webhookSubscription: webhookSubscriptionWire.nullable(), userErrors: z.array(userErrorSchema) }).nullable()
})
export const webhookSubscriptionDeleteResponse = z.object({
  webhookSubscriptionDelete: z.object({ deletedWebhookSubscriptionId: gid.nullable(), userErrors: z.array(userErrorSchema) }).nullable()
})
export const productVariantsResponse = z.object({
  productVariants: z.object({
    pageInfo: pageInfoSchema,
    nodes: z.array(z.object({ id: gid, sku: z.string().nullable(), title: z.string(), displayName: z.string(), product: z.object({ id: gid, title: z.string(), vendor: z.string() }) }))
  })
})
