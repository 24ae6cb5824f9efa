// Builds simulator orders from real REST order payloads (the samples in
// test/fixtures/shopify), keeping their ids exact: JSON.parse's reviver sees the
// number's source text, so 820982911946154508 stays that, not ...500.
import { z } from 'zod'
import type { CreateOrderInput } from './store/control-inputs.ts'

interface ReviverContext { source?: string }

/** JSON.parse with every integer beyond 2^53 kept as its exact decimal string. */
export function parseShopifyJson (text: string): unknown {
  return JSON.parse(text, function (this: unknown, _key: string, value: unknown, ...rest: unknown[]) {
    const context = rest[0] as ReviverContext | undefined
    if (typeof value === 'number' && !Number.isSafeInteger(value) && Number.isInteger(value) && context?.source) return context.source
    return value
  } as (this: unknown, key: string, value: unknown) => unknown)
}

const id = z.union([z.string(), z.number()]).transform(String)
const nullableString = z.string().nullish().transform((v) => v ?? null)

const restAddress = z.object({
  first_name: nullableString, last_name: nullableString, company: nullableString, address1: nullableString, address2: nullableString,
  city: nullableString, province: nullableString, province_code: nullableString, country: nullableString, country_code: nullableString,
  zip: nullableString, phone: nullableString
})

const restOrder = z.object({
  id,
  order_number: z.number().int(),
  email: nullableString,
  test: z.boolean().default(false),
  currency: z.string().default('USD'),
  note: nullableString,
  tags: z.string().default(''),
  created_at: z.string(),
  shipping_address: restAddress.nullish(),
  shipping_lines: z.array(z.object({ title: z.string(), code: nullableString, price: z.string() })).default([]),
  line_items: z.array(z.object({
    id,
    title: z.string(),
    variant_title: nullableString,
    sku: nullableString,
    variant_id: id.nullish(),
    product_id: id.nullish(),
    vendor: nullableString,
    quantity: z.number().int().positive(),
    price: z.string(),
    requires_shipping: z.boolean(),
    gift_card: z.boolean(),
    properties: z.array(z.object({ name: z.string(), value: z.union([z.string(), z.number()]).transform(String) })).default([])
  }))
})

/** The REST order as a fresh, paid order in the simulator (its cancel and refund state is not copied). */
export function orderInputFromRest (payload: unknown): CreateOrderInput {
  const order = restOrder.parse(payload)
  const a = order.shipping_address
  return {
    id: order.id,
    orderNumber: order.order_number,
    email: order.email,
    test: order.test,
    currency: order.currency,
    note: order.note,
    tags: order.tags.split(',').map((t) => t.trim()).filter(Boolean),
    createdAt: new Date(order.created_at).toISOString(),
    shippingAddress: a
      ? { firstName: a.first_name, lastName: a.last_name, company: a.company, address1: a.address1, address2: a.address2, city: a.city, province: a.province, provinceCode: a.province_code, country: a.country, countryCode: a.country_code, zip: a.zip, phone: a.phone }
      : null,
    shippingLines: order.shipping_lines.map((s) => ({ title: s.title, code: s.code, price: s.price })),
    lines: order.line_items.map((line) => ({
      id: line.id,
      title: line.title,
      variantTitle: line.variant_title,
      sku: line.sku,
      ...(line.variant_id ? { variantId: line.variant_id } : { variantId: null }),
      ...(line.product_id ? { productId: line.product_id } : {}),
      vendor: line.vendor,
      quantity: line.quantity,
      price: line.price,
      requiresShipping: line.requires_shipping,
      giftCard: line.gift_card,
      properties: line.properties
    }))
  }
}
