import t from 'tap'
import { printReport, type DemoOrder } from '../../src/cli/demo.ts'
import type { OrderDetail } from '../../src/cli/orders.ts'

const tee: DemoOrder = { what: 'a tee', order: { lines: [] }, accepted: ['submitted'], final: 'fulfilled' }
const poster: DemoOrder = { what: 'a poster', order: { lines: [] }, accepted: ['needs_attention'], final: 'needs_attention', reason: /SKU POSTER-A2/ }

function detail (name: string, state: string, stateReason: string | null): OrderDetail {
  return {
    order: { id: 'id', name, shopifyOrderId: 'gid://shopify/Order/1', state, stateReason, financialStatus: 'PAID', createdAt: '2026-11-27T10:00:00Z' },
    lines: [], supplierOrders: [], shipments: [],
    timeline: [{ at: '2026-11-27T10:00:01.500Z', kind: 'order.state', actor: 'worker', detail: `received → ${state}`, error: null }]
  }
}

const started = Date.parse('2026-11-27T10:00:00Z')
const elapsed = (at = started + 9_000): string => `${((at - started) / 1000).toFixed(1)}s`

t.test('when every order is in its expected state, then the table says so, each timeline follows, and the result is 0', async (t) => {
  const lines: string[] = []
  const details = new Map([['#1001', detail('#1001', 'fulfilled', null)], ['#1002', detail('#1002', 'needs_attention', 'no mapping for SKU POSTER-A2')]])
  const code = printReport((l) => lines.push(l), details, [{ demo: tee, name: '#1001' }, { demo: poster, name: '#1002' }], [], (d) => d.final, elapsed)
  t.equal(code, 0)
  const text = lines.join('\n')
  t.match(text, /#1001\s+a tee\s+fulfilled\s+as expected/)
  t.match(text, /#1002\s+a poster\s+needs_attention\s+as expected\s+no mapping for SKU POSTER-A2/)
  t.match(text, /\+1\.5s\s+order\.state\s+\[worker\] received → fulfilled/, 'timeline times are relative to the start')
  t.match(text, /all 2 orders reached their expected state/)
})

t.test('when an order misses its state, its reason, or never arrived, then each is named and the result is 1', async (t) => {
  const lines: string[] = []
  const details = new Map([['#1001', detail('#1001', 'submitted', null)], ['#1002', detail('#1002', 'needs_attention', 'something else')]])
  const code = printReport((l) => lines.push(l), details, [{ demo: tee, name: '#1001' }, { demo: poster, name: '#1002' }, { demo: tee, name: '#1003' }], ['#1001', '#1003'], (d) => d.final, elapsed)
  t.equal(code, 1)
  const text = lines.join('\n')
  t.match(text, /#1001\s+a tee\s+submitted\s+MISSING: expected fulfilled/)
  t.match(text, /#1002\s+a poster\s+needs_attention\s+MISSING: the reason does not match \/SKU POSTER-A2\//)
  t.match(text, /#1003\s+a tee\s+-\s+MISSING: never reached the service/)
  t.match(text, /3 of 3 orders did not reach their expected state after 9\.0s/)
})
