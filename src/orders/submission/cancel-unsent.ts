// The local part of a cancel: supplier orders never sent (pending, held, or
// stopped by the router's checks) are cancelled here and never reach the
// supplier. Cancelling at the supplier comes with the submission work.
import { sql } from 'kysely'
import type { Trx } from '../../db/database.ts'
import { appendTimeline, type Actor } from '../timeline.ts'

/** Never sent: nothing exists at the supplier (no id, no attempt), so a local cancel is the whole cancel. */
export const unsentStates = ['pending', 'held', 'needs_attention'] as const

export async function sentSupplierOrders (trx: Trx, orderId: string): Promise<{ id: string, supplier: string, external_id: string, state: string }[]> {
  return trx.selectFrom('supplier_orders').select(['id', 'supplier', 'external_id', 'state'])
    .where('order_id', '=', orderId).where('state', '!=', 'cancelled')
    .where((eb) => eb.or([eb('state', 'not in', unsentStates), eb('supplier_order_id', 'is not', null), eb('attempts', '>', 0)]))
    .execute()
}

/** Cancels the order's unsent supplier orders; returns how many. Needs the order row lock. */
export async function cancelUnsentSupplierOrders (trx: Trx, orderId: string, reason: string, actor: Actor): Promise<number> {
  const cancelled = await trx.updateTable('supplier_orders')
    .set({ state: 'cancelled', reason, hold_until: null, updated_at: sql<Date>`now()` })
    .where('order_id', '=', orderId).where('state', 'in', unsentStates)
    .where('supplier_order_id', 'is', null).where('attempts', '=', 0)
    .returning(['id', 'supplier', 'external_id']).execute()
  for (const row of cancelled) {
    await appendTimeline(trx, { orderId, supplierOrderId: row.id, kind: 'supplier_order.cancelled', actor, detail: `${row.supplier} order ${row.external_id} cancelled before it was sent: ${reason}` })
  }
  return cancelled.length
}
