// One parcel recorded by two transactions at once: a signed shipment webhook's
// intake (which does not take the order's lock) and an order read. Seen in
// bench/job-tables.ts's full pipeline: the second insert failed on the unique
// key, so the read's job failed and the webhook was answered 503.
import t from 'tap'
import { sql } from 'kysely'
import { openDatabase } from '../../src/db/database.ts'
import { recordShipments } from '../../src/orders/status/shipments.ts'
import type { SupplierShipment } from '../../src/suppliers/common/supplier.ts'
import { testDatabase } from '../helpers/database.ts'

t.test('when two transactions record the same parcel at once, then the second finds it instead of failing, and there is one shipment', async (t) => {
  const database = await testDatabase(t)
  const db = database.db
  const other = openDatabase(database.url, { max: 1, applicationName: 'pod-bridge-test-second' })
  t.teardown(() => other.close())
  const order = await db.insertInto('orders').values({ shop: 'pod-bridge-test.myshopify.com', shopify_order_id: 'gid://shopify/Order/4242', name: '#4242', state: 'submitted' }).returning('id').executeTakeFirstOrThrow()
  const line = await db.insertInto('order_lines').values({ order_id: order.id, shopify_line_item_id: 'gid://shopify/LineItem/42421', sku: 'PFY-MUG-11', quantity: 1, routable_quantity: 1, state: 'routed', supplier: 'printify' }).returning('id').executeTakeFirstOrThrow()
  const draft = { externalId: 'pb-4242-y1', label: '#4242', test: false, recipient: {}, items: [{ lineRef: line.id, quantity: 1, sku: 'PFY-MUG-11', ref: { productId: 'p', variantId: '33719' } }] }
  const so = await db.insertInto('supplier_orders').values({ order_id: order.id, supplier: 'printify', external_id: 'pb-4242-y1', state: 'submitted', supplier_order_id: 'pfy-1', draft: JSON.stringify(draft) }).returning(['id', 'order_id', 'supplier']).executeTakeFirstOrThrow()
  await db.insertInto('supplier_order_lines').values({ supplier_order_id: so.id, order_line_id: line.id, quantity: 1 }).execute()
  const parcel: SupplierShipment = { carrier: 'USPS', trackingNumber: '9400111000000000000046', shippedAt: '2026-12-04T10:00:00Z', items: [{ sku: 'PFY-MUG-11', quantity: 1 }] }

  let releaseFirst!: () => void
  const firstHolds = new Promise<void>((resolve) => { releaseFirst = resolve })
  let firstRecorded!: () => void
  const recorded = new Promise<void>((resolve) => { firstRecorded = resolve })
  const first = db.transaction().execute(async (trx) => {
    const ids = await recordShipments(trx, so, [parcel])
    firstRecorded()
    await firstHolds
    return ids
  })
  await recorded
  // The second transaction's insert waits on the first's uncommitted row, then meets it.
  const second = other.db.transaction().execute((trx) => recordShipments(trx, so, [parcel]))
  await new Promise((resolve) => setTimeout(resolve, 200))
  releaseFirst()
  const firstIds = await first
  const secondIds = await second.then((ids) => ids, (err: unknown) => err)

  t.equal(firstIds.length, 1, 'the first records the parcel, with work for Shopify')
  t.same(secondIds, [], 'the second finds it: nothing new, no error')
  const rows = await sql<{ n: string }>`select count(*) as n from shipments where supplier_order_id = ${so.id}`.execute(db)
  t.equal(Number(rows.rows[0]?.n), 1, 'one shipment')
})
