// Printful v1 order rules as the simulator applies them to POST /orders and
// PUT /orders/{id}. Each rule cites the documented behaviour it reproduces.
import { z } from 'zod'
import { postalCodeRequired } from '../../suppliers/common/countries.ts'
import { catalogVariantPrice, type SimSyncProduct, type SimSyncVariant } from './catalog.ts'
import { offeredTo, shippingMethod } from './shipping.ts'
import { money, type PfItem, type PfOrder, type PfRecipient } from './wire.ts'

/** An answer the simulator refuses with, in Printful's error envelope. */
export class PrintfulSimError extends Error {
  readonly status: number
  readonly reason: string
  constructor (status: number, message: string, reason = 'BadRequest') {
    super(message)
    this.status = status
    this.reason = reason
  }
}

const text = z.string().nullish()
export const orderBodySchema = z.object({
  external_id: z.union([z.string(), z.number()]).nullish(),
  shipping: z.string().nullish(),
  recipient: z.object({
    name: text, company: text, address1: text, address2: text, city: text, state_code: text, state_name: text,
    country_code: text, country_name: text, zip: z.union([z.string(), z.number()]).nullish(), phone: text, email: text, tax_number: text
  }).optional(),
  items: z.array(z.object({
    id: z.number().optional(),
    external_id: z.union([z.string(), z.number()]).nullish(),
    sync_variant_id: z.number().int().nullish(),
    external_variant_id: z.string().nullish(),
    variant_id: z.number().int().nullish(),
    quantity: z.number().int().default(1),
    retail_price: z.string().nullish(),
    name: text,
    sku: text,
    files: z.array(z.object({ type: z.string().default('default'), url: z.string().nullish(), id: z.number().nullish(), filename: text })).default([])
  })).optional(),
  retail_costs: z.object({ currency: text, subtotal: text, discount: text, shipping: text, tax: text }).nullish(),
  gift: z.object({ subject: z.string().max(200), message: z.string().max(200) }).nullish(),
  packing_slip: z.record(z.string(), z.string()).nullish()
})
export type OrderBody = z.infer<typeof orderBodySchema>

// "At most 32 characters: digits, Latin letters, - and _" (§1.5 external_id rules).
const externalIdPattern = /^[A-Za-z0-9_-]{1,32}$/

/** Countries whose addresses need a state code (suppliers.md §5.5). */
const statesRequired = new Set(['US', 'CA', 'AU'])

const countryNames: Readonly<Record<string, string>> = { US: 'United States', CA: 'Canada', AU: 'Australia', GB: 'United Kingdom', DE: 'Germany', BR: 'Brazil', BE: 'Belgium', FR: 'France', LV: 'Latvia' }

export function parseOrderBody (raw: unknown): OrderBody {
  if (raw === null || raw === undefined || typeof raw !== 'object') throw new PrintfulSimError(400, 'Missing required parameters')
  const parsed = orderBodySchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new PrintfulSimError(400, `Invalid parameter: ${issue ? issue.path.join('.') : 'body'}`)
  }
  return parsed.data
}

export function checkExternalId (value: string | number | null | undefined): string | null {
  if (value === null || value === undefined) return null
  const id = String(value)
  if (!externalIdPattern.test(id)) throw new PrintfulSimError(400, 'External ID must be at most 32 characters: Latin letters, digits, "-" and "_"')
  return id
}

export function buildRecipient (body: NonNullable<OrderBody['recipient']>): PfRecipient {
  const country = body.country_code?.toUpperCase() ?? null
  const missing = (['name', 'address1', 'city', 'country_code'] as const).filter((key) => !body[key])
  if (missing.length > 0) throw new PrintfulSimError(400, `Recipient: ${missing.join(', ')} is required`)
  if (country && statesRequired.has(country) && !body.state_code) throw new PrintfulSimError(400, `Recipient: State code is missing for ${country}`)
  if (country === 'BR' && !body.tax_number) throw new PrintfulSimError(400, 'Recipient: Tax number (CPF/CNPJ) is required for Brazil')
  const zip = body.zip === undefined || body.zip === null || String(body.zip) === '' ? null : String(body.zip)
  // "ZIP or postal code (... required for some countries ...)" (AddressInfo schema): those with postal codes (src/suppliers/common/countries.ts).
  if (zip === null && postalCodeRequired(country)) throw new PrintfulSimError(400, 'Recipient: ZIP code is required')
  return {
    name: body.name ?? null,
    company: body.company ?? null,
    address1: body.address1 ?? null,
    address2: body.address2 ?? null,
    city: body.city ?? null,
    state_code: body.state_code ?? null,
    state_name: body.state_name ?? null,
    country_code: country,
    country_name: country ? countryNames[country] ?? country : null,
    zip,
    phone: body.phone ?? null,
    email: body.email ?? null,
    tax_number: body.tax_number ?? null
  }
}

export interface ItemContext {
  readonly products: readonly SimSyncProduct[]
  readonly nextItemId: () => number
  readonly nextFileId: () => number
  readonly now: number
}

export function buildItems (items: NonNullable<OrderBody['items']>, ctx: ItemContext): PfItem[] {
  if (items.length === 0) throw new PrintfulSimError(400, 'Missing required parameters')
  const seenExternal = new Set<string>()
  return items.map((item, index) => {
    const label = `Item ${String(index)}`
    // Quantity "Limited to 1000 for one item" (Item schema).
    if (item.quantity < 1 || item.quantity > 1000) throw new PrintfulSimError(400, `${label}: quantity must be between 1 and 1000`)
    const externalId = item.external_id === null || item.external_id === undefined ? null : String(item.external_id)
    // "Item-level external_id must be unique within the order" (§1.5).
    if (externalId !== null) {
      if (seenExternal.has(externalId)) throw new PrintfulSimError(400, `${label}: external_id must be unique within the order`)
      seenExternal.add(externalId)
    }
    // "Choose exactly one way to identify the variant" (§1.5 Specifying products). A catalog
    // variant_id without files is accepted: it prints blank (§5.7), which is the documented pitfall.
    const hasSync = item.sync_variant_id !== null && item.sync_variant_id !== undefined
    const hasExternal = item.external_variant_id !== null && item.external_variant_id !== undefined
    if (!hasSync && !hasExternal && (item.variant_id === null || item.variant_id === undefined)) throw new PrintfulSimError(400, `${label}: specify sync_variant_id, external_variant_id or variant_id with files`)
    if (hasSync && hasExternal) throw new PrintfulSimError(400, `${label}: give sync_variant_id or external_variant_id, not both`)
    // One file per type, type defaults to "default" (OR-12 DUPLICATED_FILE_TYPE, §1.5 file rules).
    const types = item.files.map((file) => file.type)
    if (new Set(types).size !== types.length) throw new PrintfulSimError(400, `${label}: OR-12 DUPLICATED_FILE_TYPE: only one file of each type`)
    let sync: SimSyncVariant | undefined
    if (item.sync_variant_id !== null && item.sync_variant_id !== undefined) {
      sync = findVariant(ctx.products, (v) => v.id === item.sync_variant_id)
      if (!sync) throw new PrintfulSimError(400, `${label}: Sync variant not found`)
    } else if (item.external_variant_id !== null && item.external_variant_id !== undefined) {
      sync = findVariant(ctx.products, (v) => v.externalId === item.external_variant_id)
      if (!sync) throw new PrintfulSimError(400, `${label}: Sync variant with external id ${item.external_variant_id} not found`)
    }
    const variantId = sync?.variantId ?? item.variant_id ?? 0
    return {
      id: ctx.nextItemId(),
      external_id: externalId,
      variant_id: variantId,
      sync_variant_id: sync?.id ?? null,
      external_variant_id: sync?.externalId ?? null,
      quantity: item.quantity,
      price: sync?.price ?? catalogVariantPrice,
      retail_price: item.retail_price ?? null,
      name: item.name ?? sync?.name ?? `Catalog variant ${String(variantId)}`,
      product: { variant_id: variantId, product_id: sync?.productId ?? 1, image: `https://files.cdn.printful.com/products/${String(variantId)}.jpg`, name: sync?.name ?? `Catalog variant ${String(variantId)}` },
      files: item.files.map((file) => ({
        id: file.id ?? ctx.nextFileId(), type: file.type, hash: null, url: file.url ?? null, filename: file.filename ?? null, mime_type: null,
        size: 0, width: null, height: null, dpi: null, status: 'waiting', created: ctx.now, thumbnail_url: null, preview_url: null, visible: true
      })),
      options: [],
      sku: item.sku ?? sync?.sku ?? null,
      discontinued: false,
      out_of_stock: false
    }
  })
}

/** The order's method: "shipping" defaults to STANDARD (Order schema); one not offered to the recipient is OR-4 (shipping.ts). */
export function checkShipping (value: string | null | undefined, countryCode: string | null): string {
  const method = value ?? 'STANDARD'
  if (!offeredTo(countryCode).some((m) => m.id === method)) {
    throw new PrintfulSimError(400, `OR-4 INVALID_SHIPPING_METHOD: The shipping method selected for the order is invalid or not supported (${method} to ${countryCode ?? 'no country'})`)
  }
  return method
}

export function computeCosts (order: Pick<PfOrder, 'items' | 'shipping' | 'costs'>): PfOrder['costs'] {
  const subtotal = order.items.reduce((sum, item) => sum + Number(item.price) * item.quantity, 0)
  const shipping = Number(shippingMethod(order.shipping)?.rate ?? '0')
  return { ...order.costs, subtotal: money(subtotal), shipping: money(shipping), total: money(subtotal + shipping) }
}

export function emptyCosts (currency: string): PfOrder['costs'] {
  return { currency, subtotal: '0.00', discount: '0.00', shipping: '0.00', digitization: '0.00', additional_fee: '0.00', fulfillment_fee: '0.00', retail_delivery_fee: '0.00', tax: '0.00', vat: '0.00', total: '0.00' }
}

function findVariant (products: readonly SimSyncProduct[], match: (variant: SimSyncVariant) => boolean): SimSyncVariant | undefined {
  for (const product of products) {
    const found = product.variants.find(match)
    if (found) return found
  }
  return undefined
}
