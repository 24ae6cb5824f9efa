// The console's test world: the real service listening on loopback over a
// test database with pg-boss, both tokens, and a few orders a person would
// look at (one stuck at its supplier, one needing attention, shipped ones).
import type { PgBoss } from 'pg-boss'
import type { Db } from '../../src/db/database.ts'
import { testApp, OPS_TOKEN } from './app.ts'
import { ago, line, order, shipment, supplierOrder, timeline } from './factories.ts'

export const READ_TOKEN = 'test-read-token-0123456789'
export { OPS_TOKEN }

const DAY = 86_400_000

export interface ConsoleWorld {
  readonly baseUrl: string
  readonly db: Db
  readonly boss: PgBoss | undefined
  /** Submitted 5 days ago (STUCK_AFTER submitted=3d), its Printful order not read since. */
  readonly stuck: { readonly id: string, readonly name: string }
}

interface TapLike { teardown (fn: () => unknown): void, passing (): boolean, comment (...m: unknown[]): void }

export async function consoleWorld (t: TapLike): Promise<ConsoleWorld> {
  const { app, database, boss } = await testApp(t, { boss: true, env: { OPS_READ_TOKEN: READ_TOKEN, SHOPIFY_SHOP_DOMAIN: 'pod-bridge-test.myshopify.com' } })
  const db = database.db
  const stuck = await order(db, { name: '#2001', state: 'submitted', state_changed_at: ago(5 * DAY), financial_status: 'paid', created_at: ago(5 * DAY) })
  await line(db, stuck.id, { sku: 'TEE-WHT-S', title: 'T-shirt, white, S', supplier: 'printful', state: 'routed' })
  await supplierOrder(db, stuck.id, { external_id: 'pb-2001-f1', supplier_order_id: '11360229', state: 'submitted', supplier_status: 'pending', submitted_at: ago(5 * DAY) })
  await timeline(db, stuck.id, { kind: 'submission.accepted', detail: 'printful accepted pb-2001-f1', at: ago(5 * DAY) })
  const attention = await order(db, { name: '#2002', state: 'needs_attention', state_reason: 'printful order pb-2002-f1: Printful: invalid address', state_changed_at: ago(DAY), created_at: ago(DAY) })
  await supplierOrder(db, attention.id, { external_id: 'pb-2002-f1', state: 'needs_attention', reason: 'Printful: invalid address', attempts: 1 })
  for (let i = 0; i < 3; i++) {
    const shipped = await order(db, { name: `#190${i}`, state: 'fulfilled', created_at: ago((10 + i) * DAY), financial_status: 'paid' })
    const so = await supplierOrder(db, shipped.id, { supplier: i === 0 ? 'printify' : 'printful', state: 'submitted', supplier_status: 'shipped' })
    await shipment(db, so.id, { carrier: 'USPS', tracking_number: `9400${i}`, tracking_url: `https://tools.usps.com/go/TrackConfirmAction?tLabels=9400${i}`, shipped_at: ago((7 + i) * DAY), shopify_sync_state: 'synced' })
  }
  await order(db, { name: '#2003', state: 'in_production', state_changed_at: ago(DAY) })
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  return { baseUrl: address, db, boss, stuck: { id: stuck.id, name: '#2001' } }
}
