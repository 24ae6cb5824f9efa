// Rows for write-back and cancellation tests: an order created in the store
// simulator and the matching rows in our database as routing, submission and
// status sync leave them (lines routed, supplier orders submitted, shipments).
import { randomInt } from 'node:crypto'
import type { PgBoss } from 'pg-boss'
import { loadConfig, type Config } from '../../src/config.ts'
import type { Db } from '../../src/db/database.ts'
import type { LineSupplier, SubmissionState, SupplierName } from '../../src/db/schema.ts'
import { createBoss } from '../../src/queue/boss.ts'
import { createLogger } from '../../src/lib/logger.ts'
import type { FulfillDeps } from '../../src/orders/fulfillment/write-back.ts'
import type { ShopifyAdminClient, ShopifyClientOptions } from '../../src/shopify/index.ts'
import type { ShopifySimulator } from '../../src/sim/shopify/index.ts'
import type { LineInput } from '../../src/sim/shopify/index.ts'
import { clientFor, startSim } from '../fixtures/shopify/sim-setup.ts'
import { testDatabase, type TestDatabase } from './database.ts'

interface Tap { teardown (fn: () => unknown): void, passing (): boolean, comment (...m: unknown[]): void }

export interface FulfillmentWorld {
  readonly database: TestDatabase
  readonly sim: ShopifySimulator
  readonly client: ShopifyAdminClient
  readonly boss: PgBoss
  readonly config: Config
  readonly deps: FulfillDeps
}

export async function fulfillmentWorld (t: Tap, options: { client?: Partial<ShopifyClientOptions>, env?: Record<string, string> } = {}): Promise<FulfillmentWorld> {
  const database = await testDatabase(t)
  const sim = await startSim(t)
  const client = clientFor(t, sim, options.client)
  const config = loadConfig({ DATABASE_URL: database.url, ...options.env })
  const boss = createBoss({ url: database.url, jobs: config.jobs, maintenance: false })
  // Dropping the test database at teardown ends its connections: not an error worth failing on.
  boss.on('error', () => {})
  await boss.start()
  t.teardown(() => boss.stop({ graceful: false, close: true }))
  return { database, sim, client, boss, config, deps: { db: database.db, boss, shopify: client, config, log: createLogger('silent') } }
}

export interface SeedLine extends LineInput {
  readonly sku: string
  /** Where the router sent it; `none` = the merchant ships it. */
  readonly supplier: LineSupplier
}

export interface SeededOrder {
  readonly orderId: string
  readonly shopifyOrderId: string
  /** By SKU. */
  readonly lines: Record<string, { readonly id: string, readonly lineItemId: string, readonly quantity: number }>
  readonly supplierOrders: Partial<Record<SupplierName, string>>
}

/** A paid order in the store, synced, routed and submitted in our database. */
export async function seedRoutedOrder (world: FulfillmentWorld, lines: readonly SeedLine[], options: { supplierState?: SubmissionState, supplierOrderIds?: Partial<Record<SupplierName, string | null>> } = {}): Promise<SeededOrder> {
  const { db } = world.database
  const ref = await world.sim.store.createOrder({ lines: lines.map(({ supplier: _supplier, ...line }) => line) })
  const snapshot = await world.client.order(ref.id)
  if (!snapshot) throw new Error('the simulator lost the order')
  const order = await db.insertInto('orders').values({
    shop: world.sim.store.shopDomain,
    shopify_order_id: snapshot.id,
    name: snapshot.name,
    order_number: String(snapshot.number),
    state: 'submitted',
    financial_status: snapshot.financialStatus,
    snapshot: JSON.stringify(snapshot),
    shopify_updated_at: snapshot.updatedAt
  }).returning('id').executeTakeFirstOrThrow()
  const seeded: SeededOrder = { orderId: order.id, shopifyOrderId: snapshot.id, lines: {}, supplierOrders: {} }
  for (const [i, line] of lines.entries()) {
    const shopifyLine = snapshot.lines[i]
    if (!shopifyLine) throw new Error(`no line ${i}`)
    const row = await db.insertInto('order_lines').values({
      order_id: order.id, shopify_line_item_id: shopifyLine.id, sku: line.sku, quantity: shopifyLine.quantity,
      routable_quantity: shopifyLine.quantity, supplier: line.supplier, state: 'routed'
    }).returning('id').executeTakeFirstOrThrow()
    seeded.lines[line.sku] = { id: row.id, lineItemId: shopifyLine.id, quantity: shopifyLine.quantity }
    if (line.supplier === 'none') continue
    let supplierOrderId = seeded.supplierOrders[line.supplier]
    if (!supplierOrderId) {
      const letter = line.supplier === 'printful' ? 'f' : 'y'
      const given = options.supplierOrderIds?.[line.supplier]
      supplierOrderId = (await db.insertInto('supplier_orders').values({
        order_id: order.id, supplier: line.supplier, external_id: `pb-${snapshot.number}-${letter}1-${randomInt(1e6)}`,
        supplier_order_id: given === undefined ? String(randomInt(1e9)) : given, state: options.supplierState ?? 'submitted', supplier_status: 'in_production'
      }).returning('id').executeTakeFirstOrThrow()).id
      seeded.supplierOrders[line.supplier] = supplierOrderId
    }
    await db.insertInto('supplier_order_lines').values({ supplier_order_id: supplierOrderId, order_line_id: row.id, quantity: shopifyLine.quantity }).execute()
  }
  return seeded
}

export interface SeedShipment {
  readonly supplierOrderId: string
  readonly items: ReadonlyArray<{ readonly orderLineId: string, readonly quantity: number }>
  readonly carrier?: string | null
  readonly trackingNumber?: string | null
  readonly trackingUrl?: string | null
}

/** A shipment as status sync records it. */
export async function seedShipment (db: Db, shipment: SeedShipment): Promise<string> {
  const number = shipment.trackingNumber === undefined ? `TRK${randomInt(1e9)}` : shipment.trackingNumber
  const row = await db.insertInto('shipments').values({
    supplier_order_id: shipment.supplierOrderId,
    dedupe_key: number ?? `untracked-${randomInt(1e9)}`,
    carrier: shipment.carrier === undefined ? 'USPS' : shipment.carrier,
    tracking_number: number,
    tracking_url: shipment.trackingUrl ?? null,
    items: JSON.stringify(shipment.items),
    shipped_at: new Date()
  }).returning('id').executeTakeFirstOrThrow()
  return row.id
}

export async function timelineKinds (db: Db, orderId: string): Promise<string[]> {
  const rows = await db.selectFrom('order_events').select('kind').where('order_id', '=', orderId).orderBy('id').execute()
  return rows.map((r) => r.kind)
}
