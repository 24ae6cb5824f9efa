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

export interface SimPrintifyVariant { readonly id: number, readonly sku: string, readonly cost: number, readonly price: number, readonly title: string }
export interface SimPrintifyProduct { readonly id: string, readonly title: string, readonly blueprintId: number, readonly printProviderId: number, readonly variants: readonly SimPrintifyVariant[] }

export const defaultPrintifyProducts: readonly SimPrintifyProduct[] = [
  {
    id: '5b05842f3921c9547531758d', title: 'Unisex Heavy Cotton Tee', blueprintId: 6, printProviderId: 99,
    variants: [
      { id: 12100, sku: 'PFY-TEE-WHT-S', cost: 1050, price: 2500, title: 'White / S' },
      { id: 12101, sku: 'PFY-TEE-WHT-M', cost: 1050, price: 2500, title: 'White / M' }
    ]
  },
  {
    id: '5b05842f3921c9547531758e', title: 'Ceramic Mug 11oz', blueprintId: 68, printProviderId: 1,
    variants: [{ id: 33719, sku: 'PFY-MUG-11', cost: 495, price: 1500, title: '11oz' }]
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
