// The order's one-word state, derived from its supplier orders (DESIGN.md
// "State model"), written with a timeline row when it changes.
import { sql } from 'kysely'
import type { Trx } from '../db/database.ts'
import type { OrderState } from '../db/schema.ts'
import { combineStates, deriveFromShipments, shipmentItemsSchema, type SentLine, type ShipmentFacts } from './fulfillment-state.ts'
import { appendTimeline } from './timeline.ts'

interface SupplierOrderView { readonly state: string, readonly supplier: string, readonly reason: string | null, readonly supplierStatus: string | null }

/** undefined: the supplier orders say nothing yet (routing not done); the order keeps its state. */
export function deriveFromSupplierOrders (rows: readonly SupplierOrderView[]): { state: OrderState, reason: string | null } | undefined {
  const live = rows.filter((r) => r.state !== 'cancelled')
  if (rows.length === 0) return undefined
  if (live.length === 0) return { state: 'cancelled', reason: 'every supplier order is cancelled' }
  const attention = live.find((r) => r.state === 'needs_attention')
  if (attention) return { state: 'needs_attention', reason: `${attention.supplier}: ${attention.reason ?? 'needs attention'}` }
  if (live.some((r) => r.state === 'held')) return { state: 'held', reason: live.find((r) => r.state === 'held')?.reason ?? 'held' }
  if (live.every((r) => r.state === 'submitted')) return { state: 'submitted', reason: null }
  return undefined
}

export async function refreshOrderState (trx: Trx, orderId: string): Promise<void> {
  const rows = await trx.selectFrom('supplier_orders').select(['state', 'supplier', 'reason', 'supplier_status as supplierStatus']).where('order_id', '=', orderId).execute()
  const next = combineStates(deriveFromSupplierOrders(rows), deriveFromShipments(...await shipmentFacts(trx, orderId)))
  if (!next) return
  const order = await trx.selectFrom('orders').select(['state', 'state_reason']).where('id', '=', orderId).forUpdate().executeTakeFirstOrThrow()
  if (order.state === next.state && order.state_reason === next.reason) return
  await trx.updateTable('orders').set({ state: next.state, state_reason: next.reason, state_changed_at: sql`now()`, updated_at: sql`now()` }).where('id', '=', orderId).execute()
  await appendTimeline(trx, { orderId, kind: `order.${next.state}`, actor: 'worker', detail: next.reason ?? `order is ${next.state.replaceAll('_', ' ')}` })
}

/** What the write-back has done for the order: lines sent to live supplier orders, and their shipments. */
async function shipmentFacts (trx: Trx, orderId: string): Promise<[SentLine[], ShipmentFacts[]]> {
  const sent = await trx.selectFrom('supplier_order_lines as l').innerJoin('supplier_orders as s', 's.id', 'l.supplier_order_id')
    .select(['l.order_line_id as orderLineId', sql<number>`sum(l.quantity)::int`.as('quantity')])
    .where('s.order_id', '=', orderId).where('s.state', '!=', 'cancelled')
    .groupBy('l.order_line_id').execute()
  const shipments = await trx.selectFrom('shipments as sh').innerJoin('supplier_orders as s', 's.id', 'sh.supplier_order_id')
    .select(['sh.shopify_sync_state', 'sh.shopify_sync_error', 'sh.items'])
    .where('s.order_id', '=', orderId).where('s.state', '!=', 'cancelled').execute()
  return [sent, shipments.map((row) => {
    const items = shipmentItemsSchema.safeParse(row.items)
    return { syncState: row.shopify_sync_state, error: row.shopify_sync_error, items: items.success ? items.data : [] }
  })]
}
