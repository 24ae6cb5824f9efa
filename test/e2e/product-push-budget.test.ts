// The product push and the shared request budget (issue 18 with
// src/suppliers/budget.ts): every request the push makes to Printful takes a
// token, below the submissions' reserve and without taking a turn, so a
// catalogue's push keeps within PRINTFUL_RATE_PER_MINUTE, an order placed
// meanwhile is sent while the push still goes on, and a push needing more
// requests than the bucket holds waits for the refill and completes.
import t from 'tap'
import { bucketShape } from '../../src/suppliers/budget.ts'
import { eventually } from '../helpers/bridge.ts'
import { startFullBridge } from '../helpers/full-bridge.ts'

interface ProductItem { supplierProductId: string, outcome: string | null, reason: string | null, acknowledgedAt: string | null }

const perMinute = 30

t.test('when a Printful catalogue is pushed under a small budget and an order comes in meanwhile, then the push keeps within the budget, the order is sent before the push ends, and the push completes', async (t) => {
  const bridge = await startFullBridge(t, { PRINTFUL_RATE_PER_MINUTE: String(perMinute) })
  const printful = bridge.suppliers.printful.control
  const shape = bucketShape({ perMinute })
  // Product 301 alone takes three requests (its read, two external_id writes): more than the bucket holds.
  t.ok(shape.capacity < 3, `the bucket holds ${shape.capacity} tokens`)

  t.equal((await bridge.ops('PUT', '/v1/mappings', { mappings: [{ match: { sku: 'BUDGET-MUG' }, supplier: 'printful', printful: { syncVariantId: '4003' } }] })).status, 200)
  const pushed = await bridge.ops('POST', '/v1/products/push', { supplier: 'printful' })
  t.equal(pushed.status, 202, JSON.stringify(pushed.json))
  await bridge.store.store.createOrder({ lines: [{ sku: 'BUDGET-MUG', title: 'Mug' }] })

  const order = await eventually(async () => printful.orders()[0], 60_000, 'the order at Printful')
  const products = await eventually(async () => {
    const res = await bridge.ops('GET', '/v1/products?supplier=printful')
    const rows = (res.json as { products: ProductItem[] }).products
    return rows.length === 2 && rows.every((p) => p.acknowledgedAt !== null) ? rows : undefined
  }, 90_000, 'both sync products pushed and told')
  t.same(products.map((p) => p.outcome).sort(), ['created', 'created'], JSON.stringify(products))

  const requests = printful.requests()
  const created = requests.find((r) => r.method === 'POST' && r.path.startsWith('/orders'))
  t.ok(created, 'the order was created with one POST')
  const writes = requests.filter((r) => r.method === 'PUT' && r.path.startsWith('/store/variants/'))
  t.equal(writes.length, 3, 'one external_id write per sync variant')
  t.ok(writes.some((w) => w.seq > created!.seq), `the order (${String(order.id)}) went out while the push was still writing`)

  // No window of the log carries more than the bucket allows: its burst plus the refill over the
  // window (one request of slack for the time between taking a token and the request's arrival),
  // and never more than the published limit in any minute.
  const times = requests.map((r) => Date.parse(r.at))
  let worst = { count: 0, allowed: Infinity, seconds: 0 }
  let fullestMinute = 0
  for (let i = 0; i < times.length; i++) {
    for (let j = i; j < times.length; j++) {
      const seconds = (times[j]! - times[i]!) / 1000
      const count = j - i + 1
      const allowed = shape.capacity + shape.ratePerSecond * seconds + 1
      if (count - allowed > worst.count - worst.allowed) worst = { count, allowed, seconds }
      if (seconds < 60) fullestMinute = Math.max(fullestMinute, count)
    }
  }
  t.ok(fullestMinute <= perMinute, `at most ${perMinute} requests in any minute (${fullestMinute})`)
  t.ok(worst.count <= worst.allowed, `the fullest window: ${worst.count} requests in ${worst.seconds.toFixed(1)} s, the budget allows ${worst.allowed.toFixed(1)} (${requests.length} requests in all)`)
})
