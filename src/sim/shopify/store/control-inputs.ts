// What the control API accepts, as zod schemas shared by the typed store methods
// and the HTTP routes (/_control/...). Defaults make a one-line order valid.
import { z } from 'zod'

const numeric = z.string().regex(/^\d+$/, { error: 'must be a numeric id string' })
const anyId = z.string().regex(/^(gid:\/\/shopify\/\w+\/)?\d+$/, { error: 'must be a numeric id or a GID' })

export const lineInputSchema = z.object({
  /** Keep a known id (e.g. from a real sample); otherwise one is assigned. */
  id: numeric.optional(),
  title: z.string().default('Sim T-shirt'),
  variantTitle: z.string().nullable().default(null),
  sku: z.string().nullable().default(null),
  /** Omitted: the store's variant with this SKU, created if new. null: a custom item with no variant. */
  variantId: anyId.nullable().optional(),
  productId: anyId.nullable().optional(),
  vendor: z.string().nullable().default(null),
  quantity: z.number().int().positive().default(1),
  price: z.string().default('20.00'),
  requiresShipping: z.boolean().default(true),
  giftCard: z.boolean().default(false),
  properties: z.array(z.object({ name: z.string(), value: z.string() })).default([]),
  /** Name of the location that fulfils it; a new name creates a merchant-managed location. */
  location: z.string().optional()
})

export const addressInputSchema = z.object({
  firstName: z.string().nullable().default('Jane'),
  lastName: z.string().nullable().default('Doe'),
  company: z.string().nullable().default(null),
  address1: z.string().nullable().default('1 Main Street'),
  address2: z.string().nullable().default(null),
  city: z.string().nullable().default('Springfield'),
  province: z.string().nullable().default('Oregon'),
  provinceCode: z.string().nullable().default('OR'),
  country: z.string().nullable().default('United States'),
  countryCode: z.string().nullable().default('US'),
  zip: z.string().nullable().default('97477'),
  phone: z.string().nullable().default(null)
})

export const financialStatusSchema = z.enum(['PENDING', 'AUTHORIZED', 'PAID', 'PARTIALLY_PAID'])

export const createOrderInputSchema = z.object({
  id: numeric.optional(),
  orderNumber: z.number().int().positive().optional(),
  email: z.string().nullable().default('jane@example.com'),
  test: z.boolean().default(false),
  financialStatus: financialStatusSchema.default('PAID'),
  currency: z.string().default('USD'),
  note: z.string().nullable().default(null),
  tags: z.array(z.string()).default([]),
  /** Backdate an order (cut-over tests); defaults to the store's clock. */
  createdAt: z.iso.datetime({ offset: true }).optional(),
  /** null: what Shopify sends when the app lacks protected customer data access. */
  shippingAddress: addressInputSchema.nullable().default(() => addressInputSchema.parse({})),
  /** Tax/shipping credentials, e.g. { key: 'TAX_CREDENTIAL_BR', countryCode: 'BR', value: '123.456.789-09' } for Brazil's CPF. */
  localizedFields: z.array(z.object({
    key: z.string(),
    countryCode: z.string(),
    purpose: z.enum(['SHIPPING', 'TAX']).default('TAX'),
    title: z.string().default('CPF/CNPJ'),
    value: z.string()
  })).default([]),
  shippingLines: z.array(z.object({ title: z.string(), code: z.string().nullable().default(null), price: z.string().default('5.00') }))
    .default([{ title: 'Standard', code: 'STANDARD', price: '5.00' }]),
  lines: z.array(lineInputSchema).min(1)
})

export const editOrderInputSchema = z.object({
  add: z.array(lineInputSchema).default([]),
  quantities: z.array(z.object({ lineItemId: anyId, quantity: z.number().int().nonnegative() })).default([]),
  shippingAddress: addressInputSchema.nullable().optional(),
  /** What the merchant can also change on the order page (Shopify's orderUpdate): none of it concerns a supplier. */
  email: z.string().nullable().optional(),
  note: z.string().nullable().optional(),
  tags: z.array(z.string()).optional()
})

export const refundInputSchema = z.object({
  lines: z.array(z.object({ lineItemId: anyId, quantity: z.number().int().positive() })).default([]),
  note: z.string().nullable().default(null)
})

export const cancelInputSchema = z.object({
  reason: z.enum(['CUSTOMER', 'DECLINED', 'FRAUD', 'INVENTORY', 'OTHER', 'STAFF']).default('CUSTOMER'),
  refund: z.boolean().default(true)
})

export const holdInputSchema = z.object({
  reason: z.enum(['AWAITING_PAYMENT', 'HIGH_RISK_OF_FRAUD', 'INCORRECT_ADDRESS', 'INVENTORY_OUT_OF_STOCK', 'OTHER', 'UNKNOWN_DELIVERY_DATE', 'AWAITING_RETURN_ITEMS', 'ONLINE_STORE_POST_PURCHASE_CROSS_SELL']).default('OTHER'),
  reasonNotes: z.string().nullable().default(null)
})

export const moveInputSchema = z.object({ location: z.string().min(1) })

export const locationInputSchema = z.object({ name: z.string().min(1), fulfillmentServiceHandle: z.string().nullable().default(null) })

export const variantInputSchema = z.object({ sku: z.string().nullable(), title: z.string().default('Default Title'), productTitle: z.string().default('Sim product'), vendor: z.string().default('Sim vendor') })

export type CreateOrderInput = z.input<typeof createOrderInputSchema>
export type LineInput = z.input<typeof lineInputSchema>
export type EditOrderInput = z.input<typeof editOrderInputSchema>
export type RefundInput = z.input<typeof refundInputSchema>
export type CancelInput = z.input<typeof cancelInputSchema>
export type HoldInput = z.input<typeof holdInputSchema>
export type LocationInput = z.input<typeof locationInputSchema>
export type VariantInput = z.input<typeof variantInputSchema>

/** A merchant's edit of a product in the admin (POST /_control/products/:id/edit). */
export const productEditInputSchema = z.object({
  title: z.string().min(1).optional(),
  vendor: z.string().optional(),
  descriptionHtml: z.string().optional(),
  status: z.enum(['ACTIVE', 'DRAFT', 'ARCHIVED']).optional(),
  /** Replaces the tags; `addTags` adds to them. */
  tags: z.array(z.string()).optional(),
  addTags: z.array(z.string()).optional(),
  seoTitle: z.string().nullable().optional()
})
export type ProductEditInput = z.infer<typeof productEditInputSchema>
