// Many open supplier orders at once, for the polling tests and benchmarks:
// each is created at the supplier simulator through the real client, moved
// to production there, and recorded in our database as the submit job and a
// first status read would have left it (submitted, its supplier id, the
// status it was last seen in, polled in an hour).
import { randomInt } from 'node:crypto'
import { sql } from 'kysely'
import type { Db } from '../../src/db/database.ts'
import type { SupplierName } from '../../src/db/schema.ts'
import type { Supplier, SupplierObservation } from '../../src/suppliers/common/supplier.ts'
import type { SupplierSimulators } from '../../src/sim/suppliers.ts'

export interface PolledOrder {
  readonly orderId: string
  readonly supplierOrderId: string
  /** The supplier's id. */
  readonly supplierRef: string
  readonly lineIds: string[]
}

const itemsBySupplier: Readonly<Record<string, (i: number) => { sku: string, ref: unknown, name?: string }>> = {
  printful: (i: number) => ({ sku: `TEE-${String(i)}`, ref: { syncVariantId: ['4001', '4002', '4003'][i % 3]! } }),
  printify: (i: number) => ({ sku: 'PFY-TEE-WHT-S', ref: { productId: '5b05842f3921c9547531758d', variantId: '12100' }, name: `line ${String(i)}` })
}

export async function seedPolledOrders (db: Db, sims: SupplierSimulators, client: Supplier, count: number, options: { lines?: number } = {}): Promise<PolledOrder[]> {
  const supplier: SupplierName = client.name
  const item = itemsBySupplier[supplier]
  if (!item) throw new Error(`no polled-order items for ${supplier}`)
  const lineCount = options.lines ?? 1
  // Created and sent to production in one go below, as the submit job leaves them: past Printify's pending moment at once.
  sims.printify.control.setPendingFor(0)
  const seeded: PolledOrder[] = []
  for (let k = 0; k < count; k++) {
    const n = randomInt(1000, 10 ** 9)
    const order = await db.insertInto('orders').values({ shop: 'pod-bridge-test.myshopify.com', shopify_order_id: `gid://shopify/Order/${String(n)}`, name: `#${String(n)}`, state: 'submitted' }).returning('id').executeTakeFirstOrThrow()
    const lineIds: string[] = []
    for (let i = 0; i < lineCount; i++) {
      const row = await db.insertInto('order_lines').values({ order_id: order.id, shopify_line_item_id: `gid://shopify/LineItem/${String(n)}${String(i)}`, sku: item(i).sku, quantity: 1, routable_quantity: 1, state: 'routed', supplier }).returning('id').executeTakeFirstOrThrow()
      lineIds.push(row.id)
    }
    const externalId = `pb-${String(n)}-${supplier === 'printful' ? 'f' : 'y'}1`
    const draft = {
      externalId, label: `#${String(n)}`, test: false,
      recipient: { name: 'Jane Doe', address1: '19749 Dearborn St', city: 'Chatsworth', stateCode: 'CA', countryCode: 'US', zip: '91311' },
      items: lineIds.map((lineRef, i) => ({ lineRef, quantity: 1, ...item(i) }))
    }
    const accepted = await client.submit(draft, { confirm: true })
    const control = supplier === 'printful' ? sims.printful.control : sims.printify.control
    await control.advance(accepted.supplierOrderId, { to: 'in_production' })
    const [seen] = await client.statuses([{ supplierOrderId: accepted.supplierOrderId, externalId }])
    const observed: SupplierObservation = seen!
    const so = await db.insertInto('supplier_orders').values({
      order_id: order.id, supplier, external_id: externalId, state: 'submitted', draft: JSON.stringify(draft),
      supplier_order_id: accepted.supplierOrderId, supplier_status: observed.status, supplier_status_reason: observed.statusReason ?? null,
      supplier_updated_at: new Date(observed.observedAt), submitted_at: sql`now()`, next_poll_at: sql`now() + interval '1 hour'`
    }).returning('id').executeTakeFirstOrThrow()
    for (const lineId of lineIds) await db.insertInto('supplier_order_lines').values({ supplier_order_id: so.id, order_line_id: lineId, quantity: 1 }).execute()
    seeded.push({ orderId: order.id, supplierOrderId: so.id, supplierRef: accepted.supplierOrderId, lineIds })
  }
  return seeded
}
