// The Printful v1 wire objects the simulator answers with, shaped after the
// verbatim example samples/printful-order.sample.json and the v1 OpenAPI
// schemas (Order, Item, Shipment, SyncProduct, SyncVariant). Times are UNIX
// seconds (suppliers.md §1.2); money is strings with 2 decimals.
export interface PfRecipient {
  name: string | null
  company: string | null
  address1: string | null
  address2: string | null
  city: string | null
  state_code: string | null
  state_name: string | null
  country_code: string | null
  country_name: string | null
  zip: string | null
  phone: string | null
  email: string | null
  tax_number: string | null
}

export interface PfFile { id: number, type: string, hash: string | null, url: string | null, filename: string | null, mime_type: string | null, size: number, width: number | null, height: number | null, dpi: number | null, status: string, created: number, thumbnail_url: string | null, preview_url: string | null, visible: boolean }

export interface PfItem {
  id: number
  external_id: string | null
  variant_id: number
  sync_variant_id: number | null
  external_variant_id: string | null
  quantity: number
  price: string
  retail_price: string | null
  name: string
  product: { variant_id: number, product_id: number, image: string, name: string }
  files: PfFile[]
  options: { id: string, value: string }[]
  sku: string | null
  discontinued: boolean
  out_of_stock: boolean
}

export interface PfShipment {
  id: number
  carrier: string
  service: string
  /** A string, or a number when the numeric-tracking quirk is on (the schema's own example is the integer 0, §1.7). */
  tracking_number: string | number
  tracking_url: string
  created: number
  ship_date: string
  shipped_at: number
  reshipment: boolean
  items: { item_id: number, quantity: number, picked: 0 | 1, printed: 0 | 1 }[]
}

export interface PfCosts { currency: string, subtotal: string, discount: string, shipping: string, digitization: string, additional_fee: string, fulfillment_fee: string, retail_delivery_fee: string, tax: string, vat: string, total: string }
export interface PfRetailCosts { currency: string, subtotal: string | null, discount: string | null, shipping: string | null, tax: string | null, vat: string | null, total: string | null }

export type PfStatus = 'draft' | 'pending' | 'failed' | 'canceled' | 'inprocess' | 'onhold' | 'partial' | 'fulfilled' | 'archived'

export interface PfOrder {
  id: number
  external_id: string | null
  store: number
  status: PfStatus
  error: string | null
  shipping: string
  shipping_service_name: string
  created: number
  updated: number
  recipient: PfRecipient
  notes: string | null
  items: PfItem[]
  branding_items: PfItem[]
  incomplete_items: unknown[]
  is_sample: boolean
  needs_approval: boolean
  not_synced: boolean
  has_discontinued_items: boolean
  can_change_hold: boolean
  costs: PfCosts
  retail_costs: PfRetailCosts
  pricing_breakdown: unknown[]
  shipments: PfShipment[]
  gift: { subject: string, message: string } | null
  packing_slip: Record<string, string> | null
  dashboard_url: string
}

export function money (value: number): string {
  return value.toFixed(2)
}
