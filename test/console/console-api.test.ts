import t from 'tap'
import { sql } from 'kysely'
import { bearer, testApp } from '../helpers/app.ts'
import { ago, order, shipment, supplierOrder, timeline } from '../helpers/factories.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR

t.test('when orders are added, moved and deleted, then /v1/stats counts them from the rollup, equal to counting the table', async (t) => {
  const { app, database } = await testApp(t)
  const db = database.db
  const a = await order(db, { state: 'received' })
  await order(db, { state: 'received' })
  await order(db, { state: 'needs_attention' })
  await db.updateTable('orders').set({ state: 'submitted' }).where('id', '=', a.id).execute()
  await db.updateTable('orders').set({ updated_at: sql`now()` }).execute()
  await db.deleteFrom('orders').where('state', '=', 'needs_attention').execute()
  const stats = (await app.inject({ method: 'GET', url: '/v1/stats', headers: bearer() })).json()
  t.match(stats.orders, { total: 2, byState: { received: 1, submitted: 1, needs_attention: 0 } })
  const { rows } = await sql<{ n: string }>`select count(*) as n from order_state_deltas`.execute(db)
  t.ok(Number(rows[0]?.n) > 0, 'intake appended deltas; no row of counts was updated by it')
})

t.test('when the deltas pile up, then a reader folds them into the counts and the answer does not change', async (t) => {
  const { app, database } = await testApp(t)
  await sql`insert into orders (shop, shopify_order_id, state) select 's', 'gid://shopify/Order/' || g, 'received' from generate_series(1, 1500) g`.execute(database.db)
  for (let i = 0; i < 1100; i++) await sql`update orders set state = case when state = 'received' then 'held' else 'received' end where shopify_order_id = 'gid://shopify/Order/1'`.execute(database.db)
  const first = (await app.inject({ method: 'GET', url: '/v1/stats', headers: bearer() })).json()
  t.match(first.orders.byState, { received: 1500, held: 0 })
  const { rows } = await sql<{ n: string }>`select count(*) as n from order_state_deltas`.execute(database.db)
  t.equal(Number(rows[0]?.n), 0, 'folded')
  t.same((await app.inject({ method: 'GET', url: '/v1/stats', headers: bearer() })).json().orders, first.orders)
})

t.test('when orders enter states over the last hours, then /v1/stats/state-entries counts them per hour, closed hours from the rollup', async (t) => {
  const { app, database } = await testApp(t)
  const db = database.db
  const now = Date.now()
  const twoHoursAgo = new Date(Math.floor(now / HOUR) * HOUR - 2 * HOUR + 60_000)
  const o = await order(db, { created_at: twoHoursAgo })
  await timeline(db, o.id, { kind: 'order.state', at: twoHoursAgo, data: JSON.stringify({ from: 'received', to: 'submitted' }) })
  await timeline(db, o.id, { kind: 'order.state', at: new Date(now), data: JSON.stringify({ from: 'submitted', to: 'in_production' }) })
  await order(db, { created_at: ago(8 * DAY) })
  const read = async () => (await app.inject({ method: 'GET', url: '/v1/stats/state-entries', headers: bearer() })).json().hours as Array<{ hour: string, state: string, entered: number }>
  const expected = [
    { hour: new Date(Math.floor(now / HOUR) * HOUR - 2 * HOUR).toISOString(), state: 'received', entered: 1 },
    { hour: new Date(Math.floor(now / HOUR) * HOUR - 2 * HOUR).toISOString(), state: 'submitted', entered: 1 },
    { hour: new Date(Math.floor(now / HOUR) * HOUR).toISOString(), state: 'in_production', entered: 1 }
  ]
  t.same(await read(), expected)
  const rolled = await sql<{ n: string }>`select count(*) as n from console_state_hours`.execute(db)
  t.equal(Number(rolled.rows[0]?.n), 2, 'the closed hour is in the rollup')
  t.same(await read(), expected, 'read again from the rollup, the same')
})

t.test('when shipments are recorded, then /v1/stats/ship-times gives p50 and p90 per supplier and week within 5 %', async (t) => {
  const { app, database } = await testApp(t)
  const db = database.db
  const days = [1, 2, 2, 3, 3, 3, 4, 4, 5, 10]
  for (const [i, d] of days.entries()) {
    const o = await order(db, { created_at: ago((d + 1) * DAY), shopify_created_at: ago((d + 1) * DAY) })
    const so = await supplierOrder(db, o.id, { supplier: i === 9 ? 'printify' : 'printful' })
    await shipment(db, so.id, { shipped_at: ago(DAY), created_at: ago(DAY - 60_000) })
  }
  const weeks = (await app.inject({ method: 'GET', url: '/v1/stats/ship-times', headers: bearer() })).json().weeks as Array<{ supplier: string, shipments: number, p50Seconds: number, p90Seconds: number }>
  const printful = weeks.filter((w) => w.supplier === 'printful')
  t.equal(printful.reduce((n, w) => n + w.shipments, 0), 9)
  t.equal(printful.length, 1, 'one week')
  const only = printful[0]
  if (only) {
    t.ok(Math.abs(only.p50Seconds / 86400 / 3 - 1) < 0.05, `p50 ${only.p50Seconds / 86400} d is 3 d within 5 %`)
    t.ok(Math.abs(only.p90Seconds / 86400 / 5 - 1) < 0.05, `p90 ${only.p90Seconds / 86400} d is 5 d (the 9th of 9) within 5 %`)
  }
  t.match(weeks.find((w) => w.supplier === 'printify'), { shipments: 1 })
})

t.test('when bulk-retrying needs_attention orders of a supplier, then the count matches and each is retried with its own timeline row', async (t) => {
  const { app, database } = await testApp(t, { boss: true })
  const db = database.db
  const ids: string[] = []
  for (const supplier of ['printful', 'printful', 'printify'] as const) {
    const o = await order(db, { state: 'needs_attention', state_reason: `${supplier}: 503` })
    await supplierOrder(db, o.id, { supplier, state: 'needs_attention', reason: '503', attempts: 1 })
    ids.push(o.id)
  }
  const count = await app.inject({ method: 'GET', url: '/v1/orders/needs-attention/count?supplier=printful', headers: bearer() })
  t.same(count.json(), { count: 2, limit: 500 })
  const res = await app.inject({ method: 'POST', url: '/v1/orders/retry', headers: bearer(), payload: { supplier: 'printful' } })
  t.same(res.json(), { matched: 2, retried: 2, refused: [] })
  const retried = await db.selectFrom('order_events').select('order_id').where('kind', '=', 'ops.retry').execute()
  t.same(retried.map((r) => r.order_id).sort(), ids.slice(0, 2).sort())
})
