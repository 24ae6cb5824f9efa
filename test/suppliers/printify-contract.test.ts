// Contract: the Printify simulator's order matches the documented "Get order
// details by ID" response (test/fixtures/suppliers/printify-order.sample.json)
// field for field in type: the same keys at every level, each with the same
// JSON type (cents as integers, dates as strings, ids as strings).
import { readFileSync } from 'node:fs'
import t from 'tap'
import { startPrintifySimulator } from '../../src/sim/printify/index.ts'
import { toObservation } from '../../src/suppliers/printify/mapper.ts'
import { PrintifySupplier } from '../../src/suppliers/printify/supplier.ts'
import { pyOrderSchema } from '../../src/suppliers/printify/wire.ts'
import { draft, printifyItem } from '../fixtures/suppliers/drafts.ts'

type Shape = string | Shape[] | { [key: string]: Shape }

function shape (value: unknown): Shape {
  if (value === null) return 'null'
  if (Array.isArray(value)) return value.length === 0 ? [] : [shape(value[0])]
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, shape(v)]))
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}

const sample = JSON.parse(readFileSync(new URL('../fixtures/suppliers/printify-order.sample.json', import.meta.url), 'utf8')) as unknown

void t.test('when a delivered order is read from the simulator, then it has the documented sample\'s fields, each of the same type', async (t) => {
  // The sample is an imported order, whose shop_order_id is there; past its pending moment at once.
  const sim = await startPrintifySimulator({ pendingForMs: 0, shopOrderId: 'echo' })
  t.teardown(() => sim.close())
  const supplier = new PrintifySupplier({ apiUrl: sim.url, token: 'py-sim-token', shopId: '5432' })
  // The sample's shop_order_id is a number (an external channel's numeric id), so this order's external id is numeric too.
  const accepted = await supplier.submit(draft({
    externalId: '1370762297',
    recipient: { name: 'John Smith', company: 'MSN', address1: 'ExampleBaan 121', city: 'Retie', countryCode: 'BE', zip: '2470', email: 'example@msn.com', phone: '0574 69 21 90' },
    items: [printifyItem('line-1', '5b05842f3921c9547531758d', '12100')]
  }), { confirm: true })
  await sim.control.advance(accepted.supplierOrderId, { to: 'shipped' })
  await sim.control.advance(accepted.supplierOrderId, { to: 'delivered' })
  const response = await fetch(`${sim.url}/v1/shops/5432/orders/${accepted.supplierOrderId}.json`, { headers: { authorization: 'Bearer py-sim-token', 'user-agent': 'contract-test' } })
  const order = await response.json() as Record<string, unknown>
  t.same(shape(order), shape(sample))
  t.match(order, { status: 'fulfilled', total_price: 1050, created_at: /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00$/, id: /^[0-9a-f]{24}$/ })
})

void t.test('when the documented sample is read by the client\'s mapper, then it observes a shipped order with its delivery', (t) => {
  const variant = { variantId: '17887', productId: '5b05842f3921c9547531758d', printProviderId: '5' }
  t.same(toObservation(pyOrderSchema.parse(sample)), {
    supplierOrderId: '5a96f649b2439217d070f507', externalId: '1370762297', status: 'shipped', observedAt: '2017-04-18T13:24:28.000Z',
    shipments: [{ carrier: 'usps', trackingNumber: '94001116990045395649372', trackingUrl: 'http://example.com/94001116990045395649372', shippedAt: '2017-04-18T13:24:28.000Z', deliveredAt: '2017-04-18T13:24:28.000Z', items: [{ sku: '168699843', variant, quantity: 1 }] }],
    // metadata.sku is Printify's own SKU: the line is known by the variant we ordered, and its SKU learned for SKU-only webhooks.
    lines: [{ sku: '168699843', variant }]
  })
  t.end()
})
