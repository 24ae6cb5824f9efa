// The running service: a shopify.fulfill job sent the way status sync sends it
// is worked by the real worker; an ops cancel reaches the Printful simulator.
import t from 'tap'
import { sql } from 'kysely'
import type { Db } from '../../src/db/database.ts'
import { sendJob } from '../../src/queue/boss.ts'
import { PrintfulSupplier } from '../../src/suppliers/printful/supplier.ts'
import { printfulSimDefaults } from '../../src/sim/printful/index.ts'
import { startSupplierSimulators } from '../../src/sim/suppliers.ts'
import { bearer } from '../helpers/app.ts'
import { eventually, orderStory, startBridge } from '../helpers/bridge.ts'
import { seedShipment } from '../helpers/fulfillment-factories.ts'

/**
 * The order as order.sync and the router leave it (no mapping here, so its
 * lines unroutable), its lines then marked routed to Printful with a submitted
 * supplier order. Waiting for the router first: overriding the lines while it
 * runs would race it.
 */
async function routedToPrintful (db: Db, gid: string, supplierOrderId: string | null): Promise<{ orderId: string, supplierOrderId: string, lineIds: string[] }> {
  const order = await eventually(async () => {
    const row = await db.selectFrom('orders').select(['id', 'snapshot']).where('shopify_order_id', '=', gid).executeTakeFirst()
    if (!row?.snapshot) return undefined
    const undecided = await db.selectFrom('order_lines').select('id').where('order_id', '=', row.id).where('state', '=', 'pending').executeTakeFirst()
    return undecided ? undefined : row
  }, 15_000, 'order.sync and the router')
  // One transaction under the order's row lock, as the router takes it: a later order.route (the
  // store's orders/paid can queue one) then sees a sent supplier order and keeps its lines, where
  // between separate statements it saw routed lines with no supplier order and re-decided them.
  return db.transaction().execute(async (trx) => {
    await trx.selectFrom('orders').select('id').where('id', '=', order.id).forNoKeyUpdate().execute()
    const lines = await trx.updateTable('order_lines').set({ state: 'routed', supplier: 'printful' }).where('order_id', '=', order.id).returning(['id', 'quantity']).execute()
    const so = await trx.insertInto('supplier_orders').values({ order_id: order.id, supplier: 'printful', external_id: `pb-${order.id.slice(0, 8)}-f1`, state: 'submitted', supplier_order_id: supplierOrderId })
      .returning('id').executeTakeFirstOrThrow()
    for (const line of lines) await trx.insertInto('supplier_order_lines').values({ supplier_order_id: so.id, order_line_id: line.id, quantity: line.quantity }).execute()
    return { orderId: order.id, supplierOrderId: so.id, lineIds: lines.map((l) => l.id) }
  })
}

t.test('when status sync enqueues shopify.fulfill for a new shipment, then the worker writes it to the store and the order is fulfilled', async (t) => {
  const { service, store, database } = await startBridge(t)
  const ref = await store.store.createOrder({ lines: [{ sku: 'PF-TEE', quantity: 2 }] })
  const routed = await routedToPrintful(database.db, ref.id, '9001')
  const shipment = await seedShipment(database.db, { supplierOrderId: routed.supplierOrderId, items: [{ orderLineId: routed.lineIds[0] ?? '', quantity: 2 }], carrier: 'USPS', trackingNumber: '9400100000000000000077' })
  await sendJob(service.boss, 'shopify.fulfill', { shipmentId: shipment }, { singletonKey: shipment })
  const state = await eventually(async () => {
    const row = await database.db.selectFrom('orders').select('state').where('id', '=', routed.orderId).executeTakeFirstOrThrow()
    return row.state === 'fulfilled' ? row.state : undefined
  }, 15_000, 'the order to be fulfilled', () => orderStory(database.db, routed.orderId))
  t.equal(state, 'fulfilled')
  t.match(store.store.fulfillments(ref.id), [{ tracking: [{ company: 'USPS', number: '9400100000000000000077' }], lineItems: [{ quantity: 2 }] }])
  // The store's webhooks about the new fulfillment reach the service before it closes.
  await store.store.idle()
})

t.test('when ops cancel an order submitted to Printful, then the answer is 202 and the worker cancels it there', async (t) => {
  const sims = await startSupplierSimulators()
  t.teardown(() => sims.close())
  const { service, store, database } = await startBridge(t, { ...sims.env })
  const printful = new PrintfulSupplier({ apiUrl: sims.printful.url, token: printfulSimDefaults.token, storeId: String(printfulSimDefaults.storeId) })
  const ref = await store.store.createOrder({ lines: [{ sku: 'PF-TEE' }] })
  const remote = await printful.submit({
    externalId: 'pb-2001-f1',
    recipient: { name: 'Jane Doe', address1: '19749 Dearborn St', city: 'Chatsworth', stateCode: 'CA', countryCode: 'US', zip: '91311' },
    items: [{ lineRef: 'line-1', quantity: 1, ref: { syncVariantId: '4001' } }],
    test: false
  }, { confirm: true })
  const routed = await routedToPrintful(database.db, ref.id, remote.supplierOrderId)
  await database.db.updateTable('supplier_orders').set({ external_id: 'pb-2001-f1' }).where('id', '=', routed.supplierOrderId).execute()
  const res = await fetch(`${service.url}/v1/orders/${encodeURIComponent(ref.name)}/cancel`, { method: 'POST', headers: bearer() })
  t.equal(res.status, 202)
  t.match(await res.json(), { supplierOrders: [{ outcome: 'cancel_requested' }] })
  await eventually(async () => {
    const row = await database.db.selectFrom('supplier_orders').select('state').where('id', '=', routed.supplierOrderId).executeTakeFirstOrThrow()
    return row.state === 'cancelled'
  }, 15_000, 'the supplier order to be cancelled', () => orderStory(database.db, routed.orderId))
  t.equal(sims.printful.control.order(remote.supplierOrderId)?.status, 'canceled')
  // pg-boss marks the job completed after the handler's own transaction commits: wait for it too.
  const jobs = await eventually(async () => {
    const rows = (await sql<{ state: string }>`select state from pgboss.job where name = 'order.cancel'`.execute(database.db)).rows
    return rows.every((j) => j.state === 'completed') ? rows : undefined
  }, 5_000, 'the order.cancel job to complete')
  t.same(jobs.map((j) => j.state), ['completed'])
})
