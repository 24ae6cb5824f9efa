// Printful v1 wire format, as the client reads it (STYLE.md §4: the schema is
// the type). Lenient where the documentation and the real examples disagree:
// fields the schema types as string arrive as null in the verbatim example
// (samples/printful-order.sample.json), and tracking_number / shipped_at are
// strings in the schema but integers in its own examples (suppliers.md §1.7).
import { z } from 'zod'

const text = z.string().nullish()
// UNIX seconds a Date can hold (±8.64e15 ms): a time past that would throw in toISOString (found by fuzzing).
const unixTime = z.number().min(-8.64e12).max(8.64e12)
const unixOrText = z.union([unixTime, z.string()]).nullish()

export const pfShipmentSchema = z.object({
  id: z.number().int(),
  carrier: text,
  service: text,
  tracking_number: z.union([z.string(), z.number()]).nullish(),
  tracking_url: text,
  created: unixTime.nullish(),
  ship_date: text,
  shipped_at: unixOrText,
  reshipment: z.boolean().nullish(),
  items: z.array(z.object({ item_id: z.number().int(), quantity: z.number().int() })).nullish()
})
export type PfShipmentWire = z.infer<typeof pfShipmentSchema>

export const pfItemSchema = z.object({
  id: z.number().int(),
  external_id: text,
  variant_id: z.number().int().nullish(),
  sync_variant_id: z.number().int().nullish(),
  external_variant_id: text,
  quantity: z.number().int(),
  retail_price: text,
  name: text,
  sku: text
})

export const pfOrderSchema = z.object({
  id: z.number().int(),
  external_id: text,
  store: z.number().int().nullish(),
  status: z.string(),
  error: text,
  shipping: text,
  created: unixTime,
  updated: unixTime,
  items: z.array(pfItemSchema),
  shipments: z.array(pfShipmentSchema).nullish()
})
export type PfOrderWire = z.infer<typeof pfOrderSchema>

export const pfPagingSchema = z.object({ total: z.number().int(), offset: z.number().int(), limit: z.number().int() })

export const pfEnvelope = <T extends z.ZodType>(result: T) => z.object({ code: z.number(), result, paging: pfPagingSchema.optional() })

/** {code, result, error:{reason, message}}; `reason` is an integer in the documented 409 (§1.2). */
export const pfErrorSchema = z.object({
  code: z.number().optional(),
  result: z.unknown().optional(),
  error: z.object({ reason: z.union([z.string(), z.number()]).optional(), message: z.string().optional() }).optional()
})

export const pfStoreSchema = z.object({ id: z.number().int(), type: z.string(), name: z.string() })

/** v1 WebhookInfo (GET/POST /webhooks, §1.8): the store's one webhook configuration. An unset URL comes back empty or null [unverified]. */
export const pfWebhookInfoSchema = z.object({
  url: z.string().nullish().transform((url) => url || null),
  types: z.array(z.string()).nullish().transform((types) => types ?? []),
  params: z.unknown().optional()
})
export type PfWebhookInfo = z.infer<typeof pfWebhookInfoSchema>

/** ShippingInfo of POST /shipping/rates (v1); the delivery estimates "may not be present". */
export const pfShippingRateSchema = z.object({ id: z.string(), name: z.string(), rate: z.string(), currency: z.string() })

export const pfSyncProductSchema = z.object({ id: z.number().int(), external_id: text, name: z.string(), thumbnail_url: text })

/**
 * v1 SyncVariant (printful-v1-openapi.json components.schemas.SyncVariant):
 * `size` and `color` are "of the associated Catalog Variant"; `files` are the
 * print files and preview images (type "preview" for a mockup, with
 * `preview_url`); `product` is the catalog variant (its image is the blank
 * product, not the design). No cost: that is the catalog variant's `price`
 * (GET /products/variant/{id}), one more request per variant.
 */
export const pfSyncVariantSchema = z.object({
  id: z.number().int(),
  external_id: text,
  name: z.string(),
  variant_id: z.number().int().nullish(),
  retail_price: text,
  currency: text,
  sku: text,
  is_ignored: z.boolean().nullish(),
  size: text,
  color: text,
  availability_status: text,
  product: z.object({ variant_id: z.number().int().nullish(), product_id: z.number().int().nullish(), image: text, name: text }).nullish(),
  files: z.array(z.object({ type: text, url: text, preview_url: text, thumbnail_url: text })).nullish()
})
export type PfSyncVariantWire = z.infer<typeof pfSyncVariantSchema>

export const pfSyncProductDetailSchema = z.object({
  sync_product: pfSyncProductSchema,
  sync_variants: z.array(pfSyncVariantSchema)
})
export type PfSyncProductDetail = z.infer<typeof pfSyncProductDetailSchema>

/** v1 webhook envelope {type, created (UNIX), retries, store, data} (§1.8). */
export const pfWebhookSchema = z.object({
  type: z.string(),
  created: unixTime,
  retries: z.number().optional(),
  store: z.number().nullish(),
  data: z.object({
    reason: z.string().nullish(),
    order: pfOrderSchema.partial().extend({ id: z.number().int() }).nullish(),
    shipment: pfShipmentSchema.nullish()
  }).loose().nullish()
})

export interface PfOrderBody {
  external_id: string
  shipping?: string
  recipient: Record<string, string>
  items: Record<string, unknown>[]
  retail_costs?: Record<string, string>
  packing_slip?: Record<string, string>
}
