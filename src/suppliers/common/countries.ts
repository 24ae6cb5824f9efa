// Countries whose addresses have no postal code. The one table the address
// checks and the supplier simulators follow (issue 13, "Addresses").
//
// Source: Shopify's own address data, github.com/Shopify/worldwide
// (data/regions/<code>.yml, snapshot of 2026-08-06, commit 2514b31c). A region
// "has postal codes" when its address format (`format.show`) contains `{zip}`
// (lib/worldwide/region.rb `has_zip?`); these 52 countries' formats do not,
// and Shopify's checkout takes their addresses without one (e.g. Hong Kong, the UAE).
// Every other country, and any code not listed here, needs a postal code: the
// stricter reading where we do not know.
const withoutPostalCodes: ReadonlySet<string> = new Set([
  'AE', 'AG', 'AO', 'AW', 'BI', 'BJ', 'BO', 'BQ', 'BS', 'BW', 'BZ', 'CD', 'CF', 'CG', 'CI', 'CK', 'CM', 'CW',
  'DJ', 'DM', 'ER', 'FJ', 'GA', 'GD', 'GM', 'GQ', 'GY', 'HK', 'JM', 'KM', 'ML', 'MO', 'MR', 'QA', 'RW', 'SB',
  'SC', 'SL', 'SR', 'SS', 'ST', 'SX', 'TD', 'TG', 'TK', 'TL', 'TO', 'TV', 'UG', 'VU', 'YE', 'ZW'
])

/** Whether an address in this country (ISO 3166-1 alpha-2) must carry a postal code. */
export function postalCodeRequired (countryCode: string | null | undefined): boolean {
  return !withoutPostalCodes.has((countryCode ?? '').trim().toUpperCase())
}

// Shopify's province codes for the countries that need one: two letters (US, CA) or two to three (AU: NSW, ACT...).
export const stateCodePattern = /^[A-Z]{2,3}$/
export const usZipPattern = /^\d{5}(-\d{4})?$/
