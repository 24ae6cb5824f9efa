// Printify's order submission rules as the simulator applies them (suppliers.md
// §2.4 "Submit body"), refused with the documented error body: code 8103,
// errors.reason a JSON *string* of field → messages (§2.2).
import { z } from 'zod'
import { postalCodeRequired } from '../../suppliers/common/countries.ts'
import { notYet, type PyAddress, type PyLineItem, type SimPrintifyProduct } from './wire.ts'

export class PrintifySimError extends Error {
  readonly status: number
  readonly code: number
  readonly reason: string
  constructor (status: number, code: number, message: string, reason: string = message) {
    super(message)
    this.status = status
    this.code = code
    this.reason = reason
  }
}

export function printifyErrorBody (code: number, message: string, reason: string): unknown {
  return { status: 'error', code, message, errors: { reason, code } }
}

const lineSchema = z.object({
  product_id: z.string().optional(),
  variant_id: z.number().int().optional(),
  sku: z.string().optional(),
  blueprint_id: z.number().int().optional(),
  print_provider_id: z.number().int().optional(),
  print_areas: z.record(z.string(), z.unknown()).optional(),
  quantity: z.number().int().default(1)
})
export const submitSchema = z.object({
  external_id: z.union([z.string(), z.number()]).optional(),
  label: z.string().optional(),
  line_items: z.array(lineSchema).optional(),
  shipping_method: z.number().int().optional(),
  is_printify_express: z.boolean().optional(),
  is_economy_shipping: z.boolean().optional(),
  send_shipping_notification: z.boolean().optional(),
  address_to: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).optional()
}).loose()
export type SubmitBody = z.infer<typeof submitSchema>

const countryNames: Readonly<Record<string, string>> = { US: 'United States', CA: 'Canada', GB: 'United Kingdom', DE: 'Germany', BE: 'Belgium', FR: 'France', AU: 'Australia' }

export interface Validated { address: PyAddress, lines: PyLineItem[], shippingMethod: number }

/** The documented refusal: every field problem, Laravel style, in one 8103. */
export function validateSubmit (body: SubmitBody, products: readonly SimPrintifyProduct[], validationStatus: number): Validated {
  const errors: Record<string, string[]> = {}
  const add = (field: string, message: string) => { (errors[field] ??= []).push(message) }
  if (body.external_id === undefined || String(body.external_id) === '') add('external_id', 'The external id field is required.')
  const method = body.shipping_method
  if (method === undefined) add('shipping_method', 'The shipping method field is required.')
  else if (![1, 2, 3, 4].includes(method)) add('shipping_method', 'The selected shipping method is invalid.')
  const address = body.address_to ?? {}
  const field = (name: string) => { const v = address[name]; return v === undefined || v === null ? '' : String(v) }
  for (const name of ['first_name', 'last_name', 'country', 'address1', 'city']) {
    if (field(name) === '') add(name, `The ${name.replace('_', ' ')} field is required.`)
  }
  // The documented 8103 example is a missing zip (§2.2); where the country has no postal codes there is none to give (src/suppliers/common/countries.ts).
  if (field('zip') === '' && postalCodeRequired(field('country'))) add('zip', 'The zip field is required.')
  // "Email and phone are required for Printify Express" (§2.4).
  if (method === 3 || body.is_printify_express === true) {
    if (field('email') === '') add('email', 'The email field is required for Printify Express.')
    if (field('phone') === '') add('phone', 'The phone field is required for Printify Express.')
  }
  const economy = method === 4 || body.is_economy_shipping === true
  const lines: PyLineItem[] = []
  if (!body.line_items || body.line_items.length === 0) add('line_items', 'The line items field is required.')
  body.line_items?.forEach((line, index) => {
    const at = `line_items.${String(index)}`
    if (line.quantity < 1) add(`${at}.quantity`, 'The quantity must be at least 1.')
    if (line.blueprint_id !== undefined) {
      // "Economy cannot be used when creating a product from the order" (§2.4).
      if (economy) add('shipping_method', 'Economy shipping is not available for products created from an order.')
      if (line.print_provider_id === undefined || line.variant_id === undefined || !line.print_areas) add(at, 'print_provider_id, variant_id and print_areas are required with blueprint_id.')
      lines.push(lineItem(`${line.blueprint_id.toString(16).padStart(12, '0')}${String(line.variant_id ?? 0).padStart(12, '0')}`, line.variant_id ?? 0, line.print_provider_id ?? 0, line.quantity, { title: `Blueprint ${String(line.blueprint_id)}`, price: 0, variant_label: String(line.variant_id ?? ''), sku: createdSku(line.blueprint_id, line.print_provider_id ?? 0, line.variant_id ?? 0), cost: 0 }, field('country')))
      return
    }
    const match = findLine(products, line)
    if (!match) { add(at, line.sku !== undefined ? `No variant with SKU ${line.sku}.` : 'The selected product or variant is invalid.'); return }
    lines.push(lineItem(match.product.id, match.variant.id, match.product.printProviderId, line.quantity, { title: match.product.title, price: match.variant.price, variant_label: match.variant.title, sku: match.variant.sku, cost: match.variant.cost }, field('country')))
  })
  if (Object.keys(errors).length > 0) throw new PrintifySimError(validationStatus, 8103, 'Validation failed.', JSON.stringify(errors))
  const country = field('country').toUpperCase()
  return {
    address: {
      first_name: field('first_name'), last_name: field('last_name'), region: field('region'), address1: field('address1'),
      ...(field('address2') === '' ? {} : { address2: field('address2') }),
      city: field('city'), zip: field('zip'), email: field('email'), phone: field('phone'), country, company: field('company')
    },
    lines,
    shippingMethod: method ?? 1
  }

  function lineItem (productId: string, variantId: number, providerId: number, quantity: number, meta: { title: string, price: number, variant_label: string, sku: string, cost: number }, countryCode: string): PyLineItem {
    return {
      product_id: productId, quantity, variant_id: variantId, print_provider_id: providerId, cost: meta.cost, shipping_cost: 400, status: 'on-hold',
      metadata: { title: meta.title, price: meta.price, variant_label: meta.variant_label, sku: meta.sku, country: countryNames[countryCode.toUpperCase()] ?? countryCode },
      sent_to_production_at: notYet, fulfilled_at: notYet
    }
  }
}

/**
 * The product Printify makes from the order has its own variant SKU, a number
 * like the documented order sample's metadata.sku "168699843" (suppliers.md
 * §2.6): nothing we sent. Derived from what was ordered, so a run is reproducible.
 */
function createdSku (blueprintId: number, providerId: number, variantId: number): string {
  return String(100_000_000 + (blueprintId * 7919 + providerId * 104_729 + variantId) % 900_000_000)
}

function findLine (products: readonly SimPrintifyProduct[], line: z.infer<typeof lineSchema>) {
  for (const product of products) {
    for (const variant of product.variants) {
      if (line.sku !== undefined ? variant.sku === line.sku : product.id === line.product_id && variant.id === line.variant_id) return { product, variant }
    }
  }
  return undefined
}
