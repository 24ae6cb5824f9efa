// The Gelato objects the simulator answers with, shaped after the documented
// v4 "Get order" response (https://dashboard.gelato.com/docs/orders/v4/get),
// the search summaries (https://dashboard.gelato.com/docs/orders/v4/search)
// and the Product API v3 catalog (https://dashboard.gelato.com/docs/products/product/search/).
// Ids are UUID-shaped strings from a sequence (a run is reproducible); times
// ISO-8601 with "+00:00", as in the docs' samples.

/** https://dashboard.gelato.com/docs/orders/order_details/ ("Order statuses"); the simulator moves orders through these only. */
export type GtSimStatus = 'created' | 'passed' | 'in_production' | 'printed' | 'shipped' | 'delivered' | 'draft' | 'failed' | 'canceled' | 'pending_approval'

export interface GtSimItem {
  id: string
  itemReferenceId: string
  productUid: string
  quantity: number
  files: { type: string, url: string }[]
  fulfillmentStatus: GtSimStatus
}

export interface GtSimPackage { id: string, orderItemIds: string[], trackingCode: string, trackingUrl: string }

export interface GtSimOrder {
  id: string
  orderType: 'order' | 'draft'
  orderReferenceId: string
  customerReferenceId: string
  fulfillmentStatus: GtSimStatus
  financialStatus: string
  currency: string
  channel: 'api'
  storeId: null
  createdAt: string
  updatedAt: string
  orderedAt: string | null
  items: GtSimItem[]
  shippingAddress: Record<string, string>
  /** v4/get: shipment {id, shipmentMethodName, shipmentMethodUid, ..., fulfillmentCountry, packages[{id, orderItemIds, trackingCode, trackingUrl}]}; delivery estimates, weight and counts are not modelled. */
  shipment: { id: string, shipmentMethodName: string, shipmentMethodUid: string, fulfillmentCountry: string, packages: GtSimPackage[] } | null
  connectedOrderIds: string[]
  /** Why it failed or is held (not a documented field: the docs give no place for the reason; kept for the control API). */
  comment?: string
}

/** "2021-01-14T12:32:03+00:00", as the docs' samples write times. */
export function gelatoTime (ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00')
}

export function simUuid (prefix: number, n: number): string {
  return `${prefix.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`
}

export interface GtSimCatalog { readonly catalogUid: string, readonly title: string, readonly products: readonly { readonly productUid: string, readonly attributes: Readonly<Record<string, string>> }[] }

/**
 * A small catalog. The t-shirt uid is the one in the v4 "Get order" sample;
 * the others follow the same `<kind>_<attribute>_<value>...` pattern (the
 * product search page's samples).
 */
export const defaultGelatoCatalogs: readonly GtSimCatalog[] = [
  {
    catalogUid: 't-shirts',
    title: 'T-shirts',
    products: [
      { productUid: 'apparel_product_gca_t-shirt_gsc_crewneck_gcu_unisex_gqa_classic_gsi_s_gco_white_gpr_4-4', attributes: { GarmentSize: 'S', GarmentColor: 'white' } },
      { productUid: 'apparel_product_gca_t-shirt_gsc_crewneck_gcu_unisex_gqa_classic_gsi_m_gco_white_gpr_4-4', attributes: { GarmentSize: 'M', GarmentColor: 'white' } }
    ]
  },
  {
    catalogUid: 'posters',
    title: 'Posters',
    products: [
      { productUid: 'flat_product_pf_a3_pt_200-gsm-poster-paper_cl_4-0_ver', attributes: { PaperFormat: 'A3', Orientation: 'ver' } }
    ]
  }
]
