// Small typed factories for seeding rows: each fills what a test does not care
// about and returns the inserted row.
import { randomInt } from 'node:crypto'
import type { Insertable, Selectable } from 'kysely'
import type { Db } from '../../src/db/database.ts'
import type { Database } from '../../src/db/schema.ts'

type Row<T extends keyof Database> = Selectable<Database[T]>
type Input<T extends keyof Database> = Partial<Insertable<Database[T]>>

export async function order (db: Db, values: Input<'orders'> = {}): Promise<Row<'orders'>> {
  const number = randomInt(1000, 1_000_000_000)
  return db.insertInto('orders').values({
    shop: 'pod-bridge-test.myshopify.com',
    shopify_order_id: `gid://shopify/Order/${number}`,
    name: `#${number}`,
    order_number: String(number),
    ...values
  }).returningAll().executeTakeFirstOrThrow()
}

export async function line (db: Db, orderId: string, values: Input<'order_lines'> = {}): Promise<Row<'order_lines'>> {
  return db.insertInto('order_lines').values({
    order_id: orderId,
    shopify_line_item_id: `gid://shopify/LineItem/${randomInt(1, 1_000_000_000)}`,
    quantity: 1,
    ...values
  }).returningAll().executeTakeFirstOrThrow()
}

export async function supplierOrder (db: Db, orderId: string, values: Input<'supplier_orders'> = {}): Promise<Row<'supplier_orders'>> {
  return db.insertInto('supplier_orders').values({
    order_id: orderId,
    supplier: 'printful',
    external_id: `pb-${randomInt(1, 1_000_000_000)}-f1`,
    ...values
  }).returningAll().executeTakeFirstOrThrow()
}

export async function shipment (db: Db, supplierOrderId: string, values: Input<'shipments'> = {}): Promise<Row<'shipments'>> {
  return db.insertInto('shipments').values({
    supplier_order_id: supplierOrderId,
    dedupe_key: `shp-${randomInt(1, 1_000_000_000)}`,
    ...values
  }).returningAll().executeTakeFirstOrThrow()
}

export async function timeline (db: Db, orderId: string, values: Input<'order_events'> = {}): Promise<void> {
  await db.insertInto('order_events').values({ order_id: orderId, kind: 'note', actor: 'system', detail: 'a step', ...values }).execute()
}

/** A time `ms` before `from` (default now). */
export function ago (ms: number, from: Date = new Date()): Date {
  return new Date(from.getTime() - ms)
}

/** Polls `check` until it returns a value, or fails after `timeoutMs`: tests wait for outcomes, never sleep a fixed time. */
export async function eventually<T> (check: () => Promise<T | undefined>, timeoutMs = 10_000, what = 'the expected outcome'): Promise<T> {
  const started = Date.now()
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() - started > timeoutMs) throw new Error(`${what} did not happen within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
