// Our picture of a Shopify order: what routing, fulfillment write-back and ops
// need, nothing else. The schema is the type; ids are GID strings (DESIGN.md rule 6).
import { z } from 'zod'

const gid = z.string().startsWith('gid://shopify/')

export const addressSchema = z.object({
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
  countryCode: z.string().nullable(),
  zip: z.string().nullable(),
  phone: z.string().nullable()
})

export const fulfillmentOrderSchema = z.object({
  id: gid,
  /** OPEN, IN_PROGRESS, ON_HOLD, SCHEDULED, INCOMPLETE, CLOSED, CANCELLED */
  status: z.string(),
  requestStatus: z.string(),
  updatedAt: z.iso.datetime({ offset: true }),
  location: z.object({
    id: gid.nullable(),
    name: z.string(),
    /** A fulfillment service's location owns its lines: they are never ours to route. */
    fulfillmentServiceHandle: z.string().nullable()
  }),
  holds: z.array(z.object({ id: gid, reason: z.string(), reasonNotes: z.string().nullable() })),
  lineItems: z.array(z.object({
    id: gid,
    lineItemId: gid,
    totalQuantity: z.number().int().nonnegative(),
    remainingQuantity: z.number().int().nonnegative()
  }))
})

export const trackingSchema = z.object({ company: z.string().nullable(), number: z.string().nullable(), url: z.string().nullable() })

export const fulfillmentSchema = z.object({
  id: gid,
  status: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
  tracking: z.array(trackingSchema),
  lineItems: z.array(z.object({ id: gid, lineItemId: gid, quantity: z.number().int().nonnegative() }))
})

export const orderLineSchema = z.object({
  id: gid,
  name: z.string(),
  title: z.string(),
  variantTitle: z.string().nullable(),
  vendor: z.string().nullable(),
  sku: z.string().nullable(),
  variantId: gid.nullable(),
  productId: gid.nullable(),
  /** As ordered; `currentQuantity` is after edits and refunds. */
  quantity: z.number().int().nonnegative(),
  currentQuantity: z.number().int().nonnegative(),
  requiresShipping: z.boolean(),
  isGiftCard: z.boolean(),
  /** Line item properties, where personalization ids live. */
  properties: z.array(z.object({ name: z.string(), value: z.string() })),
  unitPrice: z.object({ amount: z.string(), currencyCode: z.string() }),
  /** Left to fulfil over all fulfillment orders; 0 when refunded, removed or fulfilled elsewhere. */
  remainingQuantity: z.number().int().nonnegative()
})

export const orderSnapshotSchema = z.object({
  id: gid,
  /** The numeric id as a decimal string (exceeds 2^53 on some stores). */
  legacyId: z.string().regex(/^\d+$/),
  name: z.string(),
  number: z.number().int(),
  email: z.string().nullable(),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
  processedAt: z.iso.datetime({ offset: true }),
  test: z.boolean(),
  /** PENDING, AUTHORIZED, PAID, PARTIALLY_PAID, PARTIALLY_REFUNDED, REFUNDED, VOIDED, EXPIRED; null when Shopify has none. */
  financialStatus: z.string().nullable(),
  fulfillmentStatus: z.string(),
  cancelledAt: z.iso.datetime({ offset: true }).nullable(),
  cancelReason: z.string().nullable(),
  closed: z.boolean(),
  currencyCode: z.string(),
  /** Empty when the app lacks protected customer data access (see docs/shopify-setup.md). */
  shippingAddress: addressSchema.nullable(),
  /** Tax and shipping credentials, e.g. Brazil's CPF as TAX_CREDENTIAL_BR. */
  localizedFields: z.array(z.object({ key: z.string(), countryCode: z.string(), purpose: z.string(), value: z.string() })),
  shippingLines: z.array(z.object({ id: z.string().nullable(), title: z.string(), code: z.string().nullable(), source: z.string().nullable() })),
  lines: z.array(orderLineSchema),
  fulfillmentOrders: z.array(fulfillmentOrderSchema),
  fulfillments: z.array(fulfillmentSchema)
})

export type OrderSnapshot = z.infer<typeof orderSnapshotSchema>
export type OrderLine = z.infer<typeof orderLineSchema>
export type FulfillmentOrder = z.infer<typeof fulfillmentOrderSchema>
export type Fulfillment = z.infer<typeof fulfillmentSchema>
export type Address = z.infer<typeof addressSchema>
