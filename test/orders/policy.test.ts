// The routing policy, case by case, through the real service and the store
// simulator: what order.sync records for each kind of line and order.
import t from 'tap'
import { sql } from 'kysely'
import type { Db } from '../../src/db/database.ts'
import { eventually, startBridge, type Bridge } from '../helpers/bridge.ts'

/** order.sync's last decision about the order, as its timeline records it (the router may move the state on at once). */
async function decided (db: Db, gid: string, kind: string): Promise<string> {
  return eventually(async () => {
    const row = await db.selectFrom('order_events as e').innerJoin('orders as o', 'o.id', 'e.order_id').select(['e.kind', 'e.detail'])
      .where('o.shopify_order_id', '=', gid).where('e.kind', 'in', ['order.received', 'order.pending_payment', 'order.held', 'order.cancelled']).orderBy('e.id', 'desc').executeTakeFirst()
    return row?.kind === kind ? row.detail ?? '' : undefined
  }, 15_000, `order.sync to decide ${kind}`)
}

async function settled (db: Db, gid: string, predicate: (row: { state: string, state_reason: string | null, financial_status: string | null }) => boolean = () => true) {
  return eventually(async () => {
    const row = await db.selectFrom('orders').selectAll().where('shopify_order_id', '=', gid).executeTakeFirst()
    return row?.snapshot && predicate(row) ? row : undefined
  }, 15_000, `order ${gid} to be synced`)
}

async function lineStates (db: Db, orderId: string): Promise<Record<string, { qty: number, state: string, reason: string | null }>> {
  const rows = await db.selectFrom('order_lines').select(['sku', 'routable_quantity', 'state', 'reason']).where('order_id', '=', orderId).orderBy('sku').execute()
  return Object.fromEntries(rows.map((r) => [r.sku ?? '', { qty: r.routable_quantity, state: r.state, reason: r.reason }]))
}

async function routed (bridge: Bridge, orderId: string): Promise<boolean> {
  const jobs = await sql<{ id: string }>`select id from pgboss.job where name = 'order.route' and data->>'orderId' = ${orderId}`.execute(bridge.database.db)
  return jobs.rows.length > 0
}

/** Posts recorded store webhooks to the service, in the order given. */
async function deliver (bridge: Bridge, deliveries: ReadonlyArray<{ headers: Record<string, string>, body: string }>): Promise<void> {
  for (const delivery of deliveries) {
    const res = await fetch(`${bridge.service.url}/webhooks/shopify`, { method: 'POST', headers: delivery.headers, body: delivery.body })
    if (res.status !== 200) throw new Error(`delivery refused: ${res.status}`)
  }
}

t.test('when an order mixes a gift card, a non-shipping line, a refunded line and a normal one, then only the normal and partly refunded lines are routable', async (t) => {
  const bridge = await startBridge(t)
  const { store, database } = bridge
  const ref = await store.store.createOrder({
    lines: [
      { sku: 'TEE', quantity: 3 },
      { sku: 'GIFT', giftCard: true, requiresShipping: false },
      { sku: 'DIGITAL', requiresShipping: false },
      { sku: 'MUG', quantity: 1 }
    ]
  })
  await store.store.refund(ref.id, { lines: [{ lineItemId: ref.lineItemIds[0]!, quantity: 1 }, { lineItemId: ref.lineItemIds[3]!, quantity: 1 }] })
  const order = await settled(database.db, ref.id, (row) => row.financial_status === 'PARTIALLY_REFUNDED')
  // The router may have seen the order before the refund; the refunded MUG ends skipped either way.
  const states = await eventually(async () => {
    const found = await lineStates(database.db, order.id)
    return found.MUG?.state === 'skipped' ? found : undefined
  }, 15_000, 'the refunded line to be skipped')
  t.same({ DIGITAL: states.DIGITAL, GIFT: states.GIFT }, {
    DIGITAL: { qty: 0, state: 'skipped', reason: 'does not require shipping' },
    GIFT: { qty: 0, state: 'skipped', reason: 'gift card' }
  })
  t.equal(states.MUG?.qty, 0, 'the refunded mug has nothing to route')
  t.equal(states.TEE?.qty, 2, 'two of three tees are left to route')
  t.ok(['pending', 'unroutable'].includes(states.TEE?.state ?? ''), `TEE is ${states.TEE?.state ?? 'missing'}`)
  t.equal(await decided(database.db, ref.id, 'order.received'), 'ready for routing')
  t.ok(await eventually(() => routed(bridge, order.id), 5000, 'a routing job'))
})

t.test('when ROUTE_WHEN=paid and the order is only authorized, then it waits; when paid, it is routed', async (t) => {
  const { store, database } = await startBridge(t)
  const ref = await store.store.createOrder({ financialStatus: 'AUTHORIZED', lines: [{ sku: 'A' }] })
  const waiting = await settled(database.db, ref.id)
  t.equal(waiting.state, 'pending_payment')
  t.match(waiting.state_reason, /payment is authorized; routed once paid \(ROUTE_WHEN\)/)
  await store.store.pay(ref.id)
  t.equal(await decided(database.db, ref.id, 'order.received'), 'ready for routing')
})

t.test('when ROUTE_WHEN=authorized, then an authorized order is routed at once', async (t) => {
  const { store, database } = await startBridge(t, { ROUTE_WHEN: 'authorized' })
  const ref = await store.store.createOrder({ financialStatus: 'AUTHORIZED', lines: [{ sku: 'A' }] })
  t.equal(await decided(database.db, ref.id, 'order.received'), 'ready for routing')
  t.equal((await settled(database.db, ref.id)).financial_status, 'AUTHORIZED')
})

t.test('when the order is a test order, then it goes through the flow, marked as a test', async (t) => {
  const { store, database } = await startBridge(t)
  const ref = await store.store.createOrder({ test: true, lines: [{ sku: 'A' }] })
  t.equal(await decided(database.db, ref.id, 'order.received'), 'ready for routing')
  t.equal((await settled(database.db, ref.id)).test, true)
})

t.test('when a fulfillment order is on hold, then the order is held; when released, it is routed', async (t) => {
  const bridge = await startBridge(t)
  const { store, database } = bridge
  store.store.setWebhookUrl(undefined) // recorded, delivered by hand below
  const ref = await store.store.createOrder({ lines: [{ sku: 'A' }] })
  await store.store.holdFulfillmentOrder(ref.fulfillmentOrderIds[0]!, { reason: 'HIGH_RISK_OF_FRAUD' })
  // The hold's webhook arrives first: the order is first known through its fulfillment order.
  const recorded = store.store.webhooks()
  await deliver(bridge, [...recorded.filter((d) => d.topic.startsWith('fulfillment_orders/')), ...recorded.filter((d) => d.topic.startsWith('orders/'))])
  const held = await settled(database.db, ref.id, (row) => row.state === 'held')
  t.match(held.state_reason, /fulfillment order on hold in Shopify \(high risk of fraud\)/)
  t.notOk(await routed(bridge, held.id), 'not routed while on hold')

  store.store.setWebhookUrl(`${bridge.service.url}/webhooks/shopify`)
  await store.store.releaseHold(ref.fulfillmentOrderIds[0]!)
  t.equal(await decided(database.db, ref.id, 'order.received'), 'ready for routing')
  t.ok(await eventually(() => routed(bridge, held.id), 5000, 'a routing job after the release'))
})

t.test('when an order was created before the cut-over, then it is recorded and held, never routed by itself', async (t) => {
  const bridge = await startBridge(t, { ROUTE_ORDERS_CREATED_AFTER: '2026-06-01T00:00:00Z' })
  const ref = await bridge.store.store.createOrder({ createdAt: '2026-05-01T12:00:00Z', lines: [{ sku: 'OLD' }] })
  const order = await settled(bridge.database.db, ref.id, (row) => row.state === 'held')
  t.match(order.state_reason, /created before the cut-over \(2026-06-01T00:00:00.000Z, ROUTE_ORDERS_CREATED_AFTER\): approve it to route it/)
  t.notOk(await routed(bridge, order.id))
})

t.test('when an order is cancelled before anything was submitted, then it is cancelled here and never routed', async (t) => {
  const bridge = await startBridge(t)
  const ref = await bridge.store.store.createOrder({ financialStatus: 'PENDING', lines: [{ sku: 'A' }] })
  await settled(bridge.database.db, ref.id, (row) => row.state === 'pending_payment')
  await bridge.store.store.cancel(ref.id)
  const order = await settled(bridge.database.db, ref.id, (row) => row.state === 'cancelled')
  t.match(order.state_reason, /cancelled in Shopify.*nothing was sent to a supplier/)
  t.notOk(await routed(bridge, order.id))
})
