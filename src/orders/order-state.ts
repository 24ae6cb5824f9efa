// The order's one-word state, derived from its supplier orders (DESIGN.md
// "State model"), written with a timeline row when it changes.
import { sql } from 'kysely'
import type { Trx } from '../db/database.ts'
import type { OrderState } from '../db/schema.ts'
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
  if (live.every((r) => r.state === 'submitted')) return { state: fromSupplierStatuses(live.map((r) => r.supplierStatus)), reason: null }
  return undefined
}

/** Where the parcels are, once everything is at the suppliers. */
function fromSupplierStatuses (statuses: readonly (string | null)[]): OrderState {
  if (statuses.every((s) => s === 'shipped')) return 'shipped'
  if (statuses.some((s) => s === 'shipped' || s === 'partially_shipped')) return 'partially_shipped'
  if (statuses.some((s) => s === 'in_production')) return 'in_production'
  return 'submitted'
}

export async function refreshOrderState (trx: Trx, orderId: string): Promise<void> {
  const rows = await trx.selectFrom('supplier_orders').select(['state', 'supplier', 'reason', 'supplier_status as supplierStatus']).where('order_id', '=', orderId).execute()
  const next = deriveFromSupplierOrders(rows)
  if (!next) return
  const order = await trx.selectFrom('orders').select(['state', 'state_reason']).where('id', '=', orderId).forNoKeyUpdate().executeTakeFirstOrThrow()
  if (order.state === next.state && order.state_reason === next.reason) return
  await trx.updateTable('orders').set({ state: next.state, state_reason: next.reason, state_changed_at: sql`now()`, updated_at: sql`now()` }).where('id', '=', orderId).execute()
  await appendTimeline(trx, { orderId, kind: `order.${next.state}`, actor: 'worker', detail: next.reason ?? `order is ${next.state.replaceAll('_', ' ')}` })
}
