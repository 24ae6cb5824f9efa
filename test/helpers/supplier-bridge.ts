// The service (startService: HTTP, workers, sweeper) wired to the supplier
// simulators over loopback, and orders seeded as the router leaves them, with
// their lines, so submission, webhooks and polling all run for real.
import { randomInt } from 'node:crypto'
import type { Db } from '../../src/db/database.ts'
import type { SupplierName } from '../../src/db/schema.ts'
import { sendJob } from '../../src/queue/boss.ts'
import type { Service } from '../../src/service.ts'
import { startSupplierSimulators, type SupplierSimulators } from '../../src/sim/suppliers.ts'
import { eventually, startTestService, type TapLike } from './bridge.ts'
import { testDatabase, type TestDatabase } from './database.ts'

export const PRINTFUL_WEBHOOK_TOKEN = 'printful-webhook-token-0123456789'

export interface SupplierBridge {
  readonly service: Service
  readonly sims: SupplierSimulators
  readonly database: TestDatabase
}

export async function startSupplierBridge (t: TapLike, env: Record<string, string> = {}): Promise<SupplierBridge> {
  const database = await testDatabase(t)
  const sims = await startSupplierSimulators()
  t.teardown(() => sims.close())
  const service = await startTestService(t, { ...sims.env, DATABASE_URL: database.url, PRINTFUL_WEBHOOK_SECRET: PRINTFUL_WEBHOOK_TOKEN, ...env })
  sims.printful.control.setWebhookUrl(`${service.url}/webhooks/printful?token=${PRINTFUL_WEBHOOK_TOKEN}`)
  sims.printify.control.setWebhookUrl(`${service.url}/webhooks/printify`)
  return { service, sims, database }
}

/** `ref`: the supplier's item reference, as a mapping would give it. */
export interface SeededLine { readonly sku: string, readonly quantity: number, readonly ref: unknown }

/** An order with lines and one submitted-to-be supplier order, submitted through the real job. */
export async function submitOrder (bridge: SupplierBridge, supplier: SupplierName, lines: readonly SeededLine[]): Promise<{ orderId: string, supplierOrderId: string, lineIds: string[], supplierOrderRef: string }> {
  const db: Db = bridge.database.db
  const n = randomInt(1000, 10 ** 9)
  const order = await db.insertInto('orders').values({ shop: 'pod-bridge-test.myshopify.com', shopify_order_id: `gid://shopify/Order/${n}`, name: `#${n}`, state: 'received' }).returning('id').executeTakeFirstOrThrow()
  const lineIds: string[] = []
  for (const [i, line] of lines.entries()) {
    const row = await db.insertInto('order_lines').values({ order_id: order.id, shopify_line_item_id: `gid://shopify/LineItem/${n}${i}`, sku: line.sku, quantity: line.quantity, routable_quantity: line.quantity, state: 'routed', supplier }).returning('id').executeTakeFirstOrThrow()
    lineIds.push(row.id)
  }
  const externalId = `pb-${n}-${supplier === 'printful' ? 'f' : 'y'}1`
  const draft = {
    externalId, label: `#${n}`, test: false,
    recipient: { name: 'Jane Doe', address1: '19749 Dearborn St', city: 'Chatsworth', stateCode: 'CA', countryCode: 'US', zip: '91311' },
    items: lines.map((line, i) => ({ lineRef: lineIds[i]!, sku: line.sku, quantity: line.quantity, ref: line.ref }))
  }
  const so = await db.insertInto('supplier_orders').values({ order_id: order.id, supplier, external_id: externalId, state: 'pending', draft: JSON.stringify(draft) }).returning('id').executeTakeFirstOrThrow()
  for (const [i, line] of lines.entries()) await db.insertInto('supplier_order_lines').values({ supplier_order_id: so.id, order_line_id: lineIds[i]!, quantity: line.quantity }).execute()
  await sendJob(bridge.service.boss, 'supplier.submit', { supplierOrderId: so.id })
  const submitted = await eventually(async () => {
    const row = await db.selectFrom('supplier_orders').select(['state', 'supplier_order_id']).where('id', '=', so.id).executeTakeFirstOrThrow()
    return row.state === 'submitted' && row.supplier_order_id ? row.supplier_order_id : undefined
  }, 15_000, 'the supplier order to be submitted')
  return { orderId: order.id, supplierOrderId: so.id, lineIds, supplierOrderRef: submitted }
}
