// The sweeper reads due orders through the suppliers' list endpoints (one
// request per page of one status) and reads on its own whatever a page did
// not show. Requests are counted at the simulators.
import t from 'tap'
import { sql } from 'kysely'
import { loadConfig } from '../../src/config.ts'
import type { Db } from '../../src/db/database.ts'
import { createLogger } from '../../src/lib/logger.ts'
import { startService } from '../../src/service.ts'
import { PrintfulSupplier } from '../../src/suppliers/printful/supplier.ts'
import { PrintifySupplier } from '../../src/suppliers/printify/supplier.ts'
import { printfulSimDefaults } from '../../src/sim/printful/index.ts'
import { printifySimDefaults } from '../../src/sim/printify/index.ts'
import { eventually } from '../helpers/bridge.ts'
import { seedPolledOrders, type PolledOrder } from '../helpers/polled-orders.ts'
import { startSupplierBridge, type SupplierBridge } from '../helpers/supplier-bridge.ts'

// Nothing falls due by itself during a test; no budget or simulator limit gets in the way.
const env = { SUPPLIER_POLL_INTERVAL: '3600', PRINTFUL_RATE_PER_MINUTE: '100000', PRINTIFY_RATE_PER_MINUTE: '100000' }

async function bridgeWithoutWebhooks (t: Parameters<typeof startSupplierBridge>[0]): Promise<SupplierBridge> {
  const bridge = await startSupplierBridge(t, env)
  for (const sim of [bridge.sims.printful, bridge.sims.printify]) {
    sim.control.setRateLimit({ limit: 100_000, windowMs: 60_000 })
    // Every supplier webhook is lost: only polling can tell.
    sim.control.setWebhookUrl(undefined)
  }
  return bridge
}

const printful = (bridge: SupplierBridge) => new PrintfulSupplier({ apiUrl: bridge.sims.printful.url, token: printfulSimDefaults.token })
const printify = (bridge: SupplierBridge) => new PrintifySupplier({ apiUrl: bridge.sims.printify.url, token: printifySimDefaults.token, shopId: String(printifySimDefaults.shopId) })

/** Makes the orders due; returns the moment, for `allRead`. */
async function makeDue (db: Db, orders: readonly PolledOrder[]): Promise<Date> {
  const rows = await db.updateTable('supplier_orders').set({ next_poll_at: sql`now() - interval '1 minute'` }).where('id', 'in', orders.map((o) => o.supplierOrderId)).returning(sql<Date>`now()`.as('at')).execute()
  return rows[0]!.at
}

/** Waits until every given order was read after `since`, by a page or on its own (a read always stamps updated_at). */
async function allRead (db: Db, orders: readonly PolledOrder[], since: Date): Promise<void> {
  await eventually(async () => {
    const unread = await db.selectFrom('supplier_orders').select('id').where('id', 'in', orders.map((o) => o.supplierOrderId))
      .where('updated_at', '<=', since).execute()
    return unread.length === 0 || undefined
  }, 30_000, 'every due order read')
}

async function shipmentsOf (db: Db, supplierOrderId: string) {
  return db.selectFrom('shipments').select(['tracking_number', 'carrier', 'items']).where('supplier_order_id', '=', supplierOrderId).orderBy('tracking_number').execute()
}

t.test('when 150 Printful orders in production fall due with their webhooks lost, then two list requests read them, and the one that shipped meanwhile is read on its own', async (t) => {
  const bridge = await bridgeWithoutWebhooks(t)
  const db = bridge.database.db
  const orders = await seedPolledOrders(db, bridge.sims, printful(bridge), 150, { lines: 2 })
  const shipped = orders[70]!
  await bridge.sims.printful.control.advance(shipped.supplierRef, { to: 'shipped', packages: 2 })
  bridge.sims.printful.control.clearRequests()

  const since = await makeDue(db, orders)
  await allRead(db, orders, since)

  const lists = bridge.sims.printful.control.requests({ method: 'GET' }).filter((r) => r.path === '/orders')
  t.equal(lists.length, 2, 'two pages of 100')
  t.same(lists.map((r) => [r.query.status, r.query.offset, r.query.limit]), [['inprocess', '0', '100'], ['inprocess', '100', '100']])
  const singles = bridge.sims.printful.control.requests({ method: 'GET' }).filter((r) => r.path.startsWith('/orders/'))
  t.same(singles.map((r) => r.path), [`/orders/${shipped.supplierRef}`], 'only the order missing from the list is read on its own')

  // What the single read found is what the supplier shows: both parcels, tracked, every line in one.
  const simOrder = bridge.sims.printful.control.order(shipped.supplierRef)!
  const rows = await shipmentsOf(db, shipped.supplierOrderId)
  t.same(rows.map((r) => r.tracking_number), simOrder.shipments.map((s) => String(s.tracking_number)).sort())
  t.same(rows.flatMap((r) => (r.items as { orderLineId: string }[]).map((i) => i.orderLineId)).sort(), [...shipped.lineIds].sort())
  const so = await db.selectFrom('supplier_orders').select(['supplier_status', 'next_poll_at']).where('id', '=', shipped.supplierOrderId).executeTakeFirstOrThrow()
  t.same(so, { supplier_status: 'shipped', next_poll_at: null }, 'shipped: no longer polled')

  const later = await db.selectFrom('supplier_orders').select(sql<number>`count(*)::int`.as('n'))
    .where('id', 'in', orders.filter((o) => o !== shipped).map((o) => o.supplierOrderId)).where('next_poll_at', '>', sql<Date>`now() + interval '50 minutes'`).executeTakeFirstOrThrow()
  t.equal(later.n, 149, 'every listed order is next due a full interval on')
})

t.test('when a partially shipped Printful order ships its next parcel, then the list page carries it and it is recorded once, as by the webhook', async (t) => {
  const bridge = await bridgeWithoutWebhooks(t)
  const db = bridge.database.db
  const orders = await seedPolledOrders(db, bridge.sims, printful(bridge), 3, { lines: 3 })
  const control = bridge.sims.printful.control
  // All three partially shipped and known so.
  for (const order of orders) await control.advance(order.supplierRef, { to: 'shipped', items: 1 })
  await allRead(db, orders, await makeDue(db, orders))
  const seen = await db.selectFrom('supplier_orders').select('supplier_status').where('id', 'in', orders.map((o) => o.supplierOrderId)).execute()
  t.ok(seen.every((r) => r.supplier_status === 'partially_shipped'), 'known as partially shipped')

  const target = orders[1]!
  await control.advance(target.supplierRef, { to: 'shipped', items: 1 })
  control.clearRequests()
  await allRead(db, orders, await makeDue(db, orders))

  const gets = control.requests({ method: 'GET' })
  t.same(gets.map((r) => [r.path, r.query.status]), [['/orders', 'partial']], 'one list request, no single read')
  const simOrder = control.order(target.supplierRef)!
  t.same((await shipmentsOf(db, target.supplierOrderId)).map((r) => r.tracking_number), simOrder.shipments.map((s) => String(s.tracking_number)).sort())
  const fulfills = await sql<{ n: number }>`select count(*)::int as n from pgboss.job where name = 'shopify.fulfill'`.execute(db)
  t.equal(fulfills.rows[0]?.n, 4, 'one Shopify write-back per parcel: three first parcels and the new one')
  // Read again: nothing new.
  await allRead(db, orders, await makeDue(db, orders))
  t.equal((await shipmentsOf(db, target.supplierOrderId)).length, 2, 'recorded once')
})

t.test('when 25 Printify orders in production fall due, then three list pages of ten read them', async (t) => {
  const bridge = await bridgeWithoutWebhooks(t)
  const db = bridge.database.db
  const orders = await seedPolledOrders(db, bridge.sims, printify(bridge), 25)
  bridge.sims.printify.control.clearRequests()
  await allRead(db, orders, await makeDue(db, orders))
  const gets = bridge.sims.printify.control.requests({ method: 'GET' })
  const path = `/v1/shops/${String(printifySimDefaults.shopId)}/orders.json`
  t.same(gets.map((r) => [r.path, r.query.status, r.query.page, r.query.limit]), [1, 2, 3].map((page) => [path, 'in-production', String(page), '10']))
})

t.test('when list reads are off (the baseline), then each due order is one GET', async (t) => {
  const bridge = await startSupplierBridge(t, env)
  const db = bridge.database.db
  bridge.sims.printful.control.setRateLimit({ limit: 100_000, windowMs: 60_000 })
  bridge.sims.printful.control.setWebhookUrl(undefined)
  // The same service, started again with its sweeper in the one-GET-per-order mode.
  await bridge.service.close()
  const config = loadConfig({ ...bridge.sims.env, ...env, DATABASE_URL: bridge.database.url, HOST: '127.0.0.1', LOG_LEVEL: 'silent' })
  const service = await startService({ config, role: 'all', migrate: false, logger: createLogger('silent'), port: 0, shutdownTimeoutMs: 2000, sweeper: { listReads: false } })
  t.teardown(() => service.close())
  const orders = await seedPolledOrders(db, bridge.sims, printful(bridge), 5)
  bridge.sims.printful.control.clearRequests()
  await allRead(db, orders, await makeDue(db, orders))
  const gets = bridge.sims.printful.control.requests({ method: 'GET' })
  t.same(gets.map((r) => r.path).sort(), orders.map((o) => `/orders/${o.supplierRef}`).sort())
})
