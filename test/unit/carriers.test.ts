// Carrier names against Shopify's own list: the supported tracking companies
// are read from the 2026-10 Admin schema's description of
// FulfillmentTrackingInfo.company (src/sim/shopify/, copied from
// shared/reference), so the table cannot drift from what Shopify recognises.
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import t from 'tap'
import { shopifyCarrier, shopifyCarrierNames } from '../../src/shopify/carriers.ts'

interface Field { name: string, description: string | null }
interface Type { name: string, fields: Field[] | null }

function supportedCompanies (): string[] {
  const file = new URL('../../src/sim/shopify/graphql/shopify-admin-2026-10.introspection.json.gz', import.meta.url)
  const schema = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as { data: { __schema: { types: Type[] } } }
  const info = schema.data.__schema.types.find((type) => type.name === 'FulfillmentTrackingInfo')
  const description = info?.fields?.find((field) => field.name === 'company')?.description ?? ''
  // The "any country" list: the bullets between its heading and the per-country paragraph.
  const start = description.indexOf('display for shops located in any country')
  const end = description.indexOf('displayed for shops located in specific countries')
  return description.slice(start, end).split('\n').map((line) => /^\s*\* (.+)$/.exec(line)?.[1]?.trim()).filter((name): name is string => Boolean(name))
}

const supported = supportedCompanies()

t.test('when the schema is read, then its list holds the carriers Shopify documents (the parse found it)', async (t) => {
  t.ok(supported.length > 100, `${supported.length} names`)
  for (const name of ['USPS', 'FedEx', 'UPS', 'DHL Express', 'DHL eCommerce', 'Canada Post']) t.ok(supported.includes(name), name)
})

t.test('when the table names a Shopify carrier, then it is spelled exactly as in the schema\'s list', async (t) => {
  for (const name of shopifyCarrierNames) t.ok(supported.includes(name), `"${name}" is in Shopify's list`)
})

t.test('when a supplier writes a carrier its own way, then Shopify\'s exact name comes out, and it is in the schema\'s list', async (t) => {
  const cases: [string, string | undefined, string][] = [
    ['FEDEX', 'FedEx SmartPost', 'FedEx'], // Printful v1 Shipment schema example
    ['USPS', 'USPS First Class Package', 'USPS'], // Printful package_shipped; Printify webhook example
    ['usps', undefined, 'USPS'], // Printify order object example
    ['UPS', undefined, 'UPS'],
    ['ups', undefined, 'UPS'],
    ['fedex', undefined, 'FedEx'],
    ['canada_post', undefined, 'Canada Post'],
    ['CANADA_POST', undefined, 'Canada Post'],
    ['royal_mail', undefined, 'Royal Mail'],
    ['australia_post', undefined, 'Australia Post'],
    ['dhl_express', undefined, 'DHL Express'],
    ['dhl_ecommerce', undefined, 'DHL eCommerce'],
    ['DHL eCommerce', undefined, 'DHL eCommerce'],
    ['dpd_uk', undefined, 'DPD UK'],
    ['postnl', undefined, 'PostNL']
  ]
  for (const [carrier, service, expected] of cases) {
    const name = shopifyCarrier(carrier, service)
    t.equal(name, expected, `${carrier} → ${expected}`)
    t.ok(supported.includes(name ?? ''), `${expected} is in Shopify's list`)
  }
})

t.test('when the carrier is "DHL" alone, then the service text decides, else DHL Express', async (t) => {
  t.equal(shopifyCarrier('DHL', 'DHL Express Worldwide'), 'DHL Express')
  t.equal(shopifyCarrier('DHL', 'DHL eCommerce Parcel International Direct'), 'DHL eCommerce')
  t.equal(shopifyCarrier('dhl', 'DHL eCommerce Asia Packet Plus'), 'DHL eCommerce Asia')
  t.equal(shopifyCarrier('DHL', 'DHL GlobalMail Packet Priority'), 'DHL eCommerce')
  t.equal(shopifyCarrier('DHL', null), 'DHL Express')
  t.equal(shopifyCarrier('DHL', 'Standard'), 'DHL Express')
  for (const name of ['DHL Express', 'DHL eCommerce', 'DHL eCommerce Asia']) t.ok(supported.includes(name), name)
})

t.test('when the carrier is unknown, then it passes through as written; when empty, there is no company', async (t) => {
  t.equal(shopifyCarrier('Zasilkovna Local'), 'Zasilkovna Local')
  t.equal(shopifyCarrier('  Some Courier  '), 'Some Courier')
  t.equal(shopifyCarrier(''), null)
  t.equal(shopifyCarrier('   '), null)
  t.equal(shopifyCarrier(null), null)
  t.equal(shopifyCarrier(undefined, 'DHL Express'), null)
})
