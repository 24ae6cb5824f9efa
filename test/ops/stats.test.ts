import t from 'tap'
import { bearer, testApp } from '../helpers/app.ts'
import { ago, order, supplierOrder } from '../helpers/factories.ts'
import { sendJob } from '../../src/queue/boss.ts'

const MIN = 60_000
const DAY = 86_400_000

t.test('when /v1/stats is called without, with a wrong, and with the right token, then 401, 401, 200', async (t) => {
  const { app } = await testApp(t)
  t.equal((await app.inject({ url: '/v1/stats' })).statusCode, 401)
  t.equal((await app.inject({ url: '/v1/stats', headers: bearer('wrong-token-0123456789') })).statusCode, 401)
  t.equal((await app.inject({ url: '/v1/stats', headers: bearer() })).statusCode, 200)
})

t.test('when orders are in several states and some are stuck, then counts, stuck counts and the oldest stuck age per state are reported', async (t) => {
  const { app, database, boss } = await testApp(t, { boss: true })
  const db = database.db
  await order(db, { state: 'received', state_changed_at: ago(5 * MIN) })
  await order(db, { state: 'received', state_changed_at: ago(20 * MIN) })
  await order(db, { state: 'received', state_changed_at: ago(60 * MIN) })
  await order(db, { state: 'in_production', state_changed_at: ago(8 * DAY) })
  await order(db, { state: 'fulfilled', state_changed_at: ago(100 * DAY) })
  await sendJob(boss!, 'order.route', { orderId: '2f0e3b1c-7a58-4a4e-9a51-0c3f4f0b7d11' })
  await sendJob(boss!, 'order.route', { orderId: '2f0e3b1c-7a58-4a4e-9a51-0c3f4f0b7d12' }, { startAfter: new Date(Date.now() + DAY), singletonKey: 'later' })

  const res = await app.inject({ url: '/v1/stats', headers: bearer() })
  t.equal(res.statusCode, 200)
  const stats = res.json()
  t.equal(stats.orders.total, 5)
  t.match(stats.orders.byState, { received: 3, in_production: 1, fulfilled: 1, needs_attention: 0 })
  t.equal(stats.stuck.total, 3)
  const received = stats.stuck.byState.find((s: { state: string }) => s.state === 'received')
  t.match(received, { count: 2, stuckAfterSeconds: 600 })
  t.ok(received.oldestAgeSeconds >= 3600 && received.oldestAgeSeconds < 3660, 'the oldest stuck received order: about an hour')
  t.match(stats.stuck.byState.find((s: { state: string }) => s.state === 'in_production'), { count: 1, stuckAfterSeconds: 7 * 86400 })
  t.match(stats.queues.find((q: { name: string }) => q.name === 'order.route'), { queued: 1, deferred: 1, active: 0, failed: 0, total: 2 })
  t.ok(stats.queues.some((q: { name: string }) => q.name === 'alerts.send'), 'every registered queue is listed')
  t.same(stats.suppliers.map((s: { name: string, budget: unknown, circuit: unknown }) => [s.name, s.budget, s.circuit]), [
    ['printful', { tracked: true, perMinute: 120, capacity: 2, tokens: 2 }, { tracked: true, state: 'closed', until: null, reason: null }],
    ['printify', { tracked: true, perMinute: 600, capacity: 12, tokens: 12 }, { tracked: true, state: 'closed', until: null, reason: null }],
    ['gelato', { tracked: true, perMinute: 120, capacity: 2, tokens: 2 }, { tracked: true, state: 'closed', until: null, reason: null }]
  ], 'a budget not used yet is full')
  t.same(stats.suppliers.map((s: { lastError: unknown }) => s.lastError), [null, null, null], 'no error recorded yet')
})

t.test('when supplier orders have recorded errors, then each supplier\'s latest one is reported', async (t) => {
  const { app, database } = await testApp(t)
  const o = await order(database.db)
  await supplierOrder(database.db, o.id, { supplier: 'printful', last_error: 'older: HTTP 502', updated_at: ago(2 * MIN) })
  const latest = await supplierOrder(database.db, o.id, { supplier: 'printful', sequence: 1, last_error: 'newer: HTTP 429', updated_at: ago(MIN) })
  await supplierOrder(database.db, o.id, { supplier: 'printify', last_error: null })
  const stats = (await app.inject({ url: '/v1/stats', headers: bearer() })).json()
  t.match(stats.suppliers[0], { name: 'printful', lastError: { message: 'newer: HTTP 429', supplierOrderId: latest.id, at: String } })
  t.match(stats.suppliers[1], { name: 'printify', lastError: null })
})

t.test('when a 429 blocked a supplier\'s budget, then stats show it empty and its circuit open until the Retry-After, with the reason', async (t) => {
  const { app, database } = await testApp(t)
  const until = new Date(Date.now() + 45_000)
  await database.db.insertInto('rate_budgets').values({ supplier: 'printify', tokens: 0, blocked_until: until, last_error: 'Printify answered HTTP 429' }).execute()
  const stats = (await app.inject({ url: '/v1/stats', headers: bearer() })).json()
  t.same(stats.suppliers[1], { name: 'printify', budget: { tracked: true, perMinute: 600, capacity: 12, tokens: 0 }, circuit: { tracked: true, state: 'open', until: until.toISOString(), reason: 'Printify answered HTTP 429' }, lastError: null })
  t.match(stats.suppliers[0], { name: 'printful', circuit: { state: 'closed' } })
  const metrics = await app.inject({ url: '/metrics' })
  t.match(metrics.body, /pod_bridge_supplier_blocked\{supplier="printify"\} 1/)
  t.match(metrics.body, /pod_bridge_supplier_budget_tokens\{supplier="printful"\} 2/)
})
