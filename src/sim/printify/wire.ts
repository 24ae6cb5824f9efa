// The Printify v1 objects the simulator answers with, shaped field for field
// after the documented "Get order details by ID" response
// (samples/printify-order.sample.json): ids as 24-hex strings, money as integer
// cents, times as "YYYY-MM-DD HH:MM:SS+00:00" (suppliers.md §2.4, §5.8).
export interface PyAddress {
  first_name: string
  last_name: string
  region: string
  address1: string
  address2?: string
  city: string
  zip: string
  email: string
  phone: string
  country: string
  company: string
}

export type PyLineStatus = 'on-hold' | 'in-production' | 'sending-to-production' | 'has-issues' | 'fulfilled' | 'canceled'
export type PyStatus = 'pending' | 'on-hold' | 'sending-to-production' | 'in-production' | 'canceled' | 'fulfilled' | 'partially-fulfilled' | 'payment-not-received' | 'had-issues'

export interface PyLineItem {
  product_id: string
  quantity: number
  variant_id: number
  print_provider_id: number
  cost: number
  shipping_cost: number
  status: PyLineStatus
  metadata: { title: string, price: number, variant_label: string, sku: string, country: string }
  sent_to_production_at: string
  fulfilled_at: string
}

export interface PyShipment { carrier: string, number: string, url: string, delivered_at: string | null }

export interface PyOrder {
  id: string
  address_to: PyAddress
  line_items: PyLineItem[]
  /** shop_order_id is a number in the documented sample; what the simulator puts there is its ShopOrderIdMode. */
  metadata: { order_type: string, shop_order_id?: number | string, shop_order_label: string, shop_fulfilled_at: string }
  total_price: number
  total_shipping: number
  total_tax: number
  status: PyStatus
  shipping_method: number
  is_printify_express: boolean
  is_economy_shipping: boolean
  shipments: PyShipment[]
  created_at: string
  sent_to_production_at: string
  fulfilled_at: string
  printify_connect: { url: string, id: string }
}

/** "1970-01-01 00:00:00+00:00" means "not yet" (§2.4). */
export const notYet = '1970-01-01 00:00:00+00:00'

/** Printify's date format: a space, not T, and +00:00 (§2.4). */
export function printifyTime (ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '+00:00')
}

/**
 * A product as the simulated shop holds it: what orders need (id, provider,
 * variants with SKU, cost and price in cents) and what a publish reads
 * (description, tags, options with value ids, images per variant), after the
 * documented product object (https://developers.printify.com/ Products,
 * "Product Update Response Example").
 */
export interface SimPrintifyVariant {
  readonly id: number
  readonly sku: string
  readonly cost: number
  readonly price: number
  readonly title: string
  readonly grams?: number
  /** Only enabled variants are for sale; default true. */
  readonly isEnabled?: boolean
  /** Value ids, one per product option. */
  readonly options?: readonly number[]
}
export interface SimPrintifyOption { readonly name: string, readonly type: string, readonly values: readonly { readonly id: number, readonly title: string }[] }
export interface SimPrintifyImage { readonly src: string, readonly variantIds: readonly number[], readonly position: string, readonly isDefault: boolean }
export interface SimPrintifyProduct {
  readonly id: string
  readonly title: string
  readonly blueprintId: number
  readonly printProviderId: number
  readonly variants: readonly SimPrintifyVariant[]
  readonly description?: string
  readonly tags?: readonly string[]
  readonly options?: readonly SimPrintifyOption[]
  readonly images?: readonly SimPrintifyImage[]
}

const mockup = (name: string) => `https://images-api.printify.com/mockup/${name}.jpg`

/**
 * The tee: Color × Size, two enabled variants (ordered by the order tests)
 * and two the merchant switched off. The mug: one size enabled, one not.
 */
export const defaultPrintifyProducts: readonly SimPrintifyProduct[] = [
  {
    id: '5b05842f3921c9547531758d', title: 'Unisex Heavy Cotton Tee', blueprintId: 6, printProviderId: 99,
    description: '<p>Heavy cotton, classic fit.</p>', tags: ['T-shirts', 'Men\'s Clothing'],
    options: [
      { name: 'Colors', type: 'color', values: [{ id: 521, title: 'White' }, { id: 418, title: 'Black' }] },
      { name: 'Sizes', type: 'size', values: [{ id: 14, title: 'S' }, { id: 15, title: 'M' }, { id: 16, title: 'L' }] }
    ],
    variants: [
      { id: 12100, sku: 'PFY-TEE-WHT-S', cost: 1050, price: 2500, title: 'White / S', grams: 150, options: [521, 14] },
      { id: 12101, sku: 'PFY-TEE-WHT-M', cost: 1050, price: 2500, title: 'White / M', grams: 160, options: [521, 15] },
      { id: 12102, sku: 'PFY-TEE-WHT-L', cost: 1150, price: 2700, title: 'White / L', grams: 170, options: [521, 16], isEnabled: false },
      { id: 12103, sku: 'PFY-TEE-BLK-S', cost: 1050, price: 2500, title: 'Black / S', grams: 150, options: [418, 14], isEnabled: false }
    ],
    images: [
      { src: mockup('tee-white-front'), variantIds: [12100, 12101, 12102], position: 'front', isDefault: true },
      { src: mockup('tee-black-front'), variantIds: [12103], position: 'front', isDefault: false }
    ]
  },
  {
    id: '5b05842f3921c9547531758e', title: 'Ceramic Mug 11oz', blueprintId: 68, printProviderId: 1,
    description: '<p>White ceramic, dishwasher safe.</p>', tags: ['Mugs'],
    options: [{ name: 'Sizes', type: 'size', values: [{ id: 1189, title: '11oz' }, { id: 1190, title: '15oz' }] }],
    variants: [
      { id: 33719, sku: 'PFY-MUG-11', cost: 495, price: 1500, title: '11oz', grams: 340, options: [1189] },
      { id: 33720, sku: 'PFY-MUG-15', cost: 595, price: 1800, title: '15oz', grams: 450, options: [1190], isEnabled: false }
    ],
    images: [{ src: mockup('mug-11oz'), variantIds: [33719, 33720], position: 'front', isDefault: true }]
  }
]

/** Laravel-style page, as Printify's list endpoints answer. */
export function page<T> (items: readonly T[], pageNumber: number, limit: number, path: string): Record<string, unknown> {
  const lastPage = Math.max(1, Math.ceil(items.length / limit))
  const from = (pageNumber - 1) * limit
  const data = items.slice(from, from + limit)
  const link = (n: number) => `${path}?page=${String(n)}`
  return {
    current_page: pageNumber, data, first_page_url: link(1), from: data.length > 0 ? from + 1 : null, last_page: lastPage, last_page_url: link(lastPage),
    next_page_url: pageNumber < lastPage ? link(pageNumber + 1) : null, path, per_page: limit, prev_page_url: pageNumber > 1 ? link(pageNumber - 1) : null,
    to: data.length > 0 ? from + data.length : null, total: items.length
  }
}
