// What the supplier simulators say about parcels: Printful's reshipment
// (v1 spec x-webhooks.package_shipped, Shipment.reshipment) and Printify's
// own SKUs in its orders and shipment webhooks (suppliers.md §2.4, §2.5, §2.6).
import t from 'tap'
import { startPrintfulSimulator } from '../../src/sim/printful/index.ts'
import { startPrintifySimulator } from '../../src/sim/printify/index.ts'
import { PrintfulApi } from '../../src/suppliers/printful/client.ts'
import { PrintifyApi } from '../../src/suppliers/printify/client.ts'
import { startReceiver } from '../helpers/receiver.ts'

void t.test('when Printful reships a parcel, then package_shipped comes again for the same items as a new shipment marked reshipment, with its carrier\'s number and link', async (t) => {
  const sim = await startPrintfulSimulator()
  t.teardown(() => sim.close())
  const receiver = await startReceiver(t)
  sim.control.setWebhookUrl(receiver.url)
  const api = new PrintfulApi({ apiUrl: sim.url, token: 'pf-sim-token' })
  const recipient = { name: 'Jane Doe', address1: '19749 Dearborn St', city: 'Chatsworth', state_code: 'CA', country_code: 'US', zip: '91311' }
  const order = await api.createOrder({ external_id: 'pb-1-f1', recipient, items: [{ sync_variant_id: 4001, quantity: 2 }] }, { confirm: true, updateExisting: false })
  await t.rejects(sim.control.advance(order.id, { to: 'reshipped' }), /No shipment to reship/)
  await sim.control.advance(order.id, { to: 'shipped' })
  const shipped = await sim.control.advance(order.id, { to: 'reshipped', carrier: 'FEDEX' })
  t.equal(shipped.status, 'fulfilled', 'the order stays fulfilled')
  const [first, again] = shipped.shipments
  t.match(again, { reshipment: true, carrier: 'FEDEX', service: 'FedEx SmartPost', items: first?.items, tracking_url: `https://www.fedex.com/fedextrack/?tracknumbers=${String(again?.tracking_number)}` })
  t.not(again?.tracking_number, first?.tracking_number)
  const hooks = receiver.requests.map((r) => r.body as { type: string, data: { shipment?: { id: number, reshipment: boolean } } }).filter((b) => b.type === 'package_shipped')
  t.same(hooks.map((h) => h.data.shipment?.reshipment), [false, true], 'a second package_shipped, for the reshipment')
})

void t.test('when Printify makes an order, then each line carries Printify\'s own SKU, also for a product made from the order, and its shipment webhooks name those SKUs', async (t) => {
  const sim = await startPrintifySimulator()
  t.teardown(() => sim.close())
  const receiver = await startReceiver(t)
  sim.control.setWebhookUrl(receiver.url)
  const api = new PrintifyApi({ apiUrl: sim.url, token: 'py-sim-token', shopId: '5432' })
  const address = { first_name: 'Jane', last_name: 'Doe', country: 'US', region: 'CA', address1: '1 Main St', city: 'Chatsworth', zip: '91311' }
  const id = await api.createOrder({
    external_id: 'pb-1-y1', shipping_method: 1, send_shipping_notification: false, address_to: address,
    line_items: [{ product_id: '5b05842f3921c9547531758e', variant_id: 33719, quantity: 1 }, { blueprint_id: 6, print_provider_id: 99, variant_id: 12100, print_areas: { front: 'https://x/a.png' }, quantity: 1 }]
  })
  const order = sim.control.order(id)
  t.equal(order?.line_items[0]?.metadata.sku, 'PFY-MUG-11', 'the catalogue variant\'s SKU')
  t.match(order?.line_items[1]?.metadata.sku, /^\d{9}$/, 'a made product has a SKU of its own, shaped like the documented sample\'s "168699843"')
  await sim.control.advance(id, { to: 'shipped' })
  const reshipped = await sim.control.advance(id, { to: 'reshipped' })
  t.equal(reshipped.status, 'fulfilled')
  t.equal(reshipped.shipments.length, 2)
  t.not(reshipped.shipments[1]?.number, reshipped.shipments[0]?.number)
  const shipmentHooks = receiver.requests.map((r) => r.body as { type: string, resource: { data: { skus?: string[] } } }).filter((b) => b.type === 'order:shipment:created')
  const skus = order?.line_items.map((l) => l.metadata.sku)
  t.same(shipmentHooks.map((h) => h.resource.data.skus), [skus, skus], 'the parcel and the later one over the same lines, by Printify\'s SKUs')
})
