// Supplier carrier names → Shopify's tracking company names. Shopify builds the
// tracking link and follows the parcel's status only when `company` is spelled
// exactly as in its list of supported tracking companies ("capitalization
// matters": FulfillmentTrackingInput.company and FulfillmentTrackingInfo.company
// in the 2026-10 Admin schema). Suppliers write the same carriers their own way:
// Printful `FEDEX`, `USPS` (v1 Shipment schema; its package_shipped event),
// Printify `usps` in the order object and `USPS` in the webhook (its API
// reference's examples), and `DHL`, `canada_post`, or nothing.
// test/unit/carriers.test.ts checks every name here against the schema's list.

/** Shopify's names we may send: each is in the schema's "any country" list. */
export const shopifyCarrierNames = [
  'Amazon', 'APC', 'Asendia USA', 'Australia Post', 'BPost', 'Canada Post', 'Canpar', 'China Post', 'Chronopost',
  'Colissimo', 'Correios', 'Correos', 'Deutsche Post', 'DHL eCommerce', 'DHL eCommerce Asia', 'DHL Express', 'DPD',
  'DPD UK', 'Evri', 'FedEx', 'GLS', 'Japan Post (EN)', 'La Poste Colissimo', 'Lasership', 'New Zealand Post', 'OnTrac',
  'Pitney Bowes', 'Poste Italiane', 'PostNL', 'Purolator', 'Royal Mail', 'Sendle', 'SF Express', 'Singapore Post',
  'StarTrack', 'Swiss Post', 'TNT', 'UPS', 'USPS', 'YunExpress'
] as const

export type ShopifyCarrierName = typeof shopifyCarrierNames[number]

/** Case, spaces, dashes and underscores do not tell carriers apart: `canada_post`, `Canada Post`, `CANADA-POST`. */
function key (name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '')
}

// Spellings that do not reduce to Shopify's own name.
const aliases: Readonly<Record<string, ShopifyCarrierName>> = {
  dhlexpressworldwide: 'DHL Express',
  dhlecommercesolutions: 'DHL eCommerce',
  dhlglobalmail: 'DHL eCommerce',
  fedexsmartpost: 'FedEx',
  fedexground: 'FedEx',
  unitedstatespostalservice: 'USPS',
  auspost: 'Australia Post',
  nzpost: 'New Zealand Post',
  hermesuk: 'Evri',
  japanpost: 'Japan Post (EN)',
  royalmailinternational: 'Royal Mail'
}

const byKey: ReadonlyMap<string, ShopifyCarrierName> = new Map([
  ...shopifyCarrierNames.map((name) => [key(name), name] as const),
  ...Object.entries(aliases)
])

/**
 * Shopify's name for a supplier's carrier; `service` (Printful's "DHL Express
 * Worldwide", "DHL eCommerce Parcel International"...) settles a bare "DHL".
 * An unknown carrier passes through as the supplier wrote it (its tracking URL
 * goes along); an empty one is no company at all.
 */
export function shopifyCarrier (carrier: string | null | undefined, service?: string | null): string | null {
  const name = carrier?.trim() ?? ''
  if (name === '') return null
  const k = key(name)
  if (k === 'dhl') return dhlFromService(service)
  return byKey.get(k) ?? name
}

/** "DHL" alone is DHL Express unless the service says eCommerce (issue 13). */
function dhlFromService (service: string | null | undefined): ShopifyCarrierName {
  const s = key(service ?? '')
  if (s.startsWith('dhlecommerceasia')) return 'DHL eCommerce Asia'
  if (s.startsWith('dhlecommerce') || s.startsWith('dhlglobalmail')) return 'DHL eCommerce'
  return 'DHL Express'
}
