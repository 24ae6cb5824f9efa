// Printify v1 wire format as the client reads it (suppliers.md §2). Ids are
// 24-hex strings, money integer cents, times "YYYY-MM-DD HH:MM:SS+00:00".
// shop_order_id is a number in the documented sample, so both are accepted.
import { z } from 'zod'

const text = z.string().nullish()

export const pyShipmentSchema = z.object({
  carrier: z.string(),
  number: z.union([z.string(), z.number()]).nullish(),
  url: text,
  delivered_at: text
})

export const pyLineItemSchema = z.object({
  product_id: text,
  variant_id: z.number().int().nullish(),
  print_provider_id: z.number().int().nullish(),
  quantity: z.number().int(),
  status: text,
  metadata: z.object({ title: text, sku: text, variant_label: text, price: z.number().nullish() }).nullish(),
  sent_to_production_at: text,
  fulfilled_at: text
})

export const pyOrderSchema = z.object({
  id: z.string(),
  status: z.string(),
  metadata: z.object({ order_type: text, shop_order_id: z.union([z.string(), z.number()]).nullish(), shop_order_label: text, shop_fulfilled_at: text }).nullish(),
  line_items: z.array(pyLineItemSchema),
  shipments: z.array(pyShipmentSchema).nullish(),
  created_at: z.string(),
  sent_to_production_at: text,
  fulfilled_at: text
})
export type PyOrderWire = z.infer<typeof pyOrderSchema>

export const pyPageSchema = <T extends z.ZodType>(item: T) => z.object({
  current_page: z.number().int(),
  last_page: z.number().int(),
  total: z.number().int().nullish(),
  data: z.array(item)
})

/** {status, code, message, errors:{reason, code}}: reason is a JSON *string* for 8103 (§2.2). */
export const pyErrorSchema = z.object({
  status: z.string().optional(),
  code: z.number().optional(),
  message: z.string().optional(),
  errors: z.object({ reason: z.unknown().optional(), code: z.number().optional() }).optional()
})

export const pyShopSchema = z.object({ id: z.number().int(), title: z.string(), sales_channel: z.string().nullish() })

/**
 * GET /v1/shops/{shop}/products/{id}.json and the product list's items, as
 * the documented "Product Update Response Example" shows them
 * (https://developers.printify.com/ Products): options [{name, type,
 * values:[{id,title}]}], variants with `options` = value ids, cost and price
 * in cents, images [{src, variant_ids, position, is_default}], `is_locked`
 * while a publish waits for its answer, `external` {id, handle} once published.
 */
export const pyProductSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: text,
  tags: z.array(z.string()).nullish(),
  options: z.array(z.object({ name: z.string(), type: text, values: z.array(z.object({ id: z.number().int(), title: z.string() })) })).nullish(),
  variants: z.array(z.object({
    id: z.number().int(),
    sku: text,
    cost: z.number().nullish(),
    price: z.number().nullish(),
    title: z.string(),
    grams: z.number().nullish(),
    is_enabled: z.boolean().nullish(),
    is_default: z.boolean().nullish(),
    is_available: z.boolean().nullish(),
    options: z.array(z.number().int()).nullish()
  })),
  images: z.array(z.object({ src: z.string(), variant_ids: z.array(z.number().int()).nullish(), position: text, is_default: z.boolean().nullish() })).nullish(),
  created_at: text,
  updated_at: text,
  is_locked: z.boolean().nullish(),
  external: z.object({ id: z.union([z.string(), z.number()]).nullish(), handle: text }).nullish(),
  blueprint_id: z.number().int().nullish(),
  print_provider_id: z.number().int().nullish()
})
export type PyProductWire = z.infer<typeof pyProductSchema>

/**
 * The body of POST .../products/{id}/publish.json: which fields the channel
 * is to sync (https://developers.printify.com/ "Publish a product"; the
 * OpenAPI example sends all seven, each true). The webhook names the same
 * seven under `publish_details`, with `key_features` in snake case.
 */
export interface PyPublishBody {
  title: boolean
  description: boolean
  images: boolean
  variants: boolean
  tags: boolean
  keyFeatures: boolean
  shipping_template: boolean
}

export const pyCreatedSchema = z.object({ id: z.string() })

/** GET/POST /v1/shops/{shop_id}/webhooks.json (§2.5): {topic, url, shop_id, id}; the secret is never shown back. */
export const pyWebhookConfigSchema = z.object({ id: z.string(), topic: z.string(), url: z.string(), shop_id: z.union([z.number(), z.string()]).optional() })
export type PyWebhookConfig = z.infer<typeof pyWebhookConfigSchema>

/** Envelope {id, type, created_at, resource:{id, type, data}} (§2.5); `carrier` may lack tracking_url. */
export const pyWebhookSchema = z.object({
  id: z.string(),
  type: z.string(),
  created_at: z.string(),
  resource: z.object({
    id: z.string(),
    type: z.string(),
    data: z.object({
      shop_id: z.number().nullish(),
      status: text,
      shipped_at: text,
      delivered_at: text,
      carrier: z.object({ code: z.string(), tracking_number: z.union([z.string(), z.number()]).nullish(), tracking_url: text }).nullish(),
      skus: z.array(z.string()).nullish(),
      // product:publish:started (https://developers.printify.com/ Events, "Product events"; typed the same
      // way by public integrations): the fields to sync, and `action` ("create"; "delete" in one typing).
      publish_details: z.record(z.string(), z.boolean()).nullish(),
      action: text
    }).loose().nullish()
  })
})

export interface PyOrderBody {
  external_id: string
  label?: string
  line_items: Record<string, unknown>[]
  shipping_method: number
  send_shipping_notification: boolean
  address_to: Record<string, string>
}

/** "2017-04-18 13:24:28+00:00" → ISO; "1970-01-01 00:00:00+00:00" means not yet (§2.4). */
export function printifyTimeToIso (value: string | null | undefined): string | undefined {
  if (!value || value.startsWith('1970-01-01')) return undefined
  const ms = Date.parse(value.includes('T') ? value : value.replace(' ', 'T'))
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString()
}
