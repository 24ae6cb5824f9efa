// Issue 13, end to end through every real part: carrier names as Shopify
// spells them, Printful shipping methods as Printful knows them, and postal
// codes only where the country has them.
import t from 'tap'
import { eventually } from '../helpers/bridge.ts'
import { startFullBridge, type FullBridge } from '../helpers/full-bridge.ts'

const teeMapping = { match: { sku: 'TEE-WHT-S' }, supplier: 'printful', printful: { syncVariantId: '4001' } }

async function mapTee (bridge: FullBridge): Promise<void> {
  const put = await bridge.ops('PUT', '/v1/mappings', { mappings: [teeMapping] })
  if (put.status !== 200) throw new Error(`mapping refused: ${JSON.stringify(put.json)}`)
}

interface Detail { order: { state: string, stateReason: string | null }, supplierOrders: Array<{ state: string, reason: string | null }> }
async function detail (bridge: FullBridge, name: string): Promise<Detail> {
  return (await bridge.ops('GET', `/v1/orders/${encodeURIComponent(name)}`)).json as Detail
}

t.test('when Printful ships with carrier "FEDEX", then the Shopify fulfillment names Shopify\'s "FedEx", with the parcel\'s number and URL', async (t) => {
  const bridge = await startFullBridge(t)
  await mapTee(bridge)
  const ref = await bridge.store.store.createOrder({ lines: [{ sku: 'TEE-WHT-S' }] })
  const pf = await eventually(async () => bridge.suppliers.printful.control.orders()[0], 20_000, 'the order at Printful')
  await eventually(async () => (await detail(bridge, ref.name)).supplierOrders?.[0]?.state === 'submitted' || undefined, 20_000, 'submitted')
  const shipped = await bridge.suppliers.printful.control.advance(String(pf.id), { to: 'shipped', carrier: 'FEDEX' })
  const parcel = shipped.shipments[0]!
  t.match(parcel, { carrier: 'FEDEX', service: 'FedEx SmartPost' }, 'Printful\'s own spelling (v1 Shipment schema example)')
  const fulfillments = await eventually(async () => {
    const found = bridge.store.store.fulfillments(ref.id)
    return found.length === 1 ? found : undefined
  }, 20_000, 'the fulfillment in Shopify')
  t.same(fulfillments[0]?.tracking, [{ company: 'FedEx', number: String(parcel.tracking_number), url: parcel.tracking_url }])
})

t.test('when an order goes to Hong Kong without a postal code, then Printful gets it; to the US without one, it stops before any request, naming the field', async (t) => {
  const bridge = await startFullBridge(t)
  await mapTee(bridge)
  const hongKong = await bridge.store.store.createOrder({
    lines: [{ sku: 'TEE-WHT-S' }],
    shippingAddress: { address1: '1 Salisbury Rd', city: 'Tsim Sha Tsui', province: 'Kowloon', provinceCode: 'KL', country: 'Hong Kong SAR', countryCode: 'HK', zip: null }
  })
  const pf = await eventually(async () => bridge.suppliers.printful.control.orders()[0], 20_000, 'the Hong Kong order at Printful')
  t.match(pf.recipient, { country_code: 'HK', zip: null })
  await eventually(async () => (await detail(bridge, hongKong.name)).supplierOrders?.[0]?.state === 'submitted' || undefined, 20_000, 'the Hong Kong order submitted')

  const requestsBefore = bridge.suppliers.printful.control.orders().length
  const us = await bridge.store.store.createOrder({ lines: [{ sku: 'TEE-WHT-S' }], shippingAddress: { zip: null } })
  const stuck = await eventually(async () => {
    const body = await detail(bridge, us.name)
    return body.supplierOrders?.[0]?.state === 'needs_attention' ? body : undefined
  }, 20_000, 'the US order stopped')
  t.match(stuck.supplierOrders[0]?.reason, /recipient\.zip: required by Printful: US addresses have postal codes/)
  t.equal(stuck.order.state, 'needs_attention')
  t.equal(bridge.suppliers.printful.control.orders().length, requestsBefore, 'nothing was sent to Printful')
})

t.test('when SHIPPING_METHODS names a Printful method Printful does not offer, then /readyz says so at start and the refused order names the setting', async (t) => {
  const bridge = await startFullBridge(t, { SHIPPING_METHODS: '{"*":{"printful":"EXPRESS"}}' })
  const readyz = await eventually(async () => {
    const body = await (await fetch(`${bridge.service.url}/readyz`)).json() as { problems: string[] }
    return body.problems.some((p) => p.startsWith('SHIPPING_METHODS')) ? body : undefined
  }, 10_000, 'the startup check reported')
  t.match(readyz.problems.find((p) => p.startsWith('SHIPPING_METHODS')), /"EXPRESS" that Printful does not offer .*it offers STANDARD, PRINTFUL_FAST/)

  await mapTee(bridge)
  const ref = await bridge.store.store.createOrder({ lines: [{ sku: 'TEE-WHT-S' }] })
  const stuck = await eventually(async () => {
    const body = await detail(bridge, ref.name)
    return body.supplierOrders?.[0]?.state === 'needs_attention' ? body : undefined
  }, 20_000, 'the refused order')
  t.match(stuck.supplierOrders[0]?.reason, /Printful refused shipping method "EXPRESS" \(OR-4 INVALID_SHIPPING_METHOD.*set SHIPPING_METHODS/)
  t.equal(bridge.suppliers.printful.control.orders().length, 0, 'Printful holds no order')
})
