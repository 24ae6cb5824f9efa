// Approval (APPROVAL_MODE manual and delay) and the ops person's local cancel.
// A held supplier order exists only here: nothing was created at the supplier,
// so approving sends it and cancelling it is complete without the supplier.
// Approving also marks a change after submission as fixed at the supplier
// (src/orders/submission/changes-after-submission.ts): that supplier order is back to submitted, unsent again.
import { sql } from 'kysely'
import type { PgBoss } from 'pg-boss'
import type { Db, Trx } from '../../db/database.ts'
import { sendJob } from '../../queue/boss.ts'
import { AppError } from '../../lib/errors.ts'
import { cancelUnsentSupplierOrders } from '../submission/cancel-unsent.ts'
import { acknowledgeChanges, type AcknowledgedChange } from '../submission/changes-after-submission.ts'
import { refreshOrderState } from '../state/order-state.ts'
import { enqueueSubmit } from './supplier-order-writer.ts'
import { appendTimeline, type Actor } from '../timeline.ts'

export interface ReleasedSupplierOrder { readonly id: string, readonly supplier: string, readonly externalId: string }

export type ApproveOutcome = (
  | { readonly kind: 'released', readonly supplierOrders: readonly ReleasedSupplierOrder[] }
  /** Held by order.sync (before the cut-over): approved, and order.sync will route it. */
  | { readonly kind: 'sync_requested' }
  /** Only changes after submission, marked fixed at the supplier: back to submitted, nothing sent. */
  | { readonly kind: 'acknowledged', readonly supplierOrders: readonly [] }
) & {
  /** Supplier orders flagged by a change after submission that this approval marked fixed. */
  readonly acknowledged: readonly AcknowledgedChange[]
}

async function lockOrder (trx: Trx, orderId: string) {
  const order = await trx.selectFrom('orders').select(['id', 'shop', 'shopify_order_id', 'name', 'state', 'state_reason', 'cancelled_at', 'cancelled_locally_at'])
    .where('id', '=', orderId).forNoKeyUpdate().executeTakeFirst()
  if (!order) throw new AppError('not_found', `no order ${orderId}`)
  return order
}

/** Moves the order's unsent held supplier orders to pending and enqueues their submission. */
async function releaseHeld (trx: Trx, boss: PgBoss, orderId: string, actor: Actor, detail: string, options: { dueBy?: Date } = {}): Promise<ReleasedSupplierOrder[]> {
  let query = trx.updateTable('supplier_orders').set({ state: 'pending', reason: null, hold_until: null, updated_at: sql<Date>`now()` })
    .where('order_id', '=', orderId).where('state', '=', 'held').where('supplier_order_id', 'is', null).where('attempts', '=', 0)
  if (options.dueBy) query = query.where('hold_until', '<=', options.dueBy)
  const released = await query.returning(['id', 'supplier', 'external_id']).execute()
  for (const row of released) {
    await enqueueSubmit(trx, boss, row.id)
    await appendTimeline(trx, { orderId, supplierOrderId: row.id, kind: 'supplier_order.released', actor, detail: `${row.supplier} order ${row.external_id}: ${detail}` })
  }
  await trx.updateTable('orders').set({ hold_until: sql<Date | null>`(select min(hold_until) from supplier_orders where order_id = ${orderId} and state = 'held')` }).where('id', '=', orderId).execute()
  return released.map((r) => ({ id: r.id, supplier: r.supplier, externalId: r.external_id }))
}

export async function approveOrder (trx: Trx, boss: PgBoss, orderId: string, by: string): Promise<ApproveOutcome> {
  const order = await lockOrder(trx, orderId)
  const name = order.name ?? order.id
  if (order.cancelled_at || order.cancelled_locally_at || order.state === 'cancelled') throw new AppError('conflict', `order ${name} is cancelled: there is nothing to approve`)
  // A change after submission fixed at the supplier: approving says so (nothing is sent again).
  const acknowledged = await acknowledgeChanges(trx, orderId, by)
  const state = acknowledged.length > 0 ? (await trx.selectFrom('orders').select('state').where('id', '=', orderId).executeTakeFirstOrThrow()).state : order.state
  if (state !== 'held') {
    if (acknowledged.length > 0) return { kind: 'acknowledged', supplierOrders: [], acknowledged }
    throw new AppError('conflict', `order ${name} is ${order.state}, not held: there is nothing to approve${order.state_reason ? ` (${order.state_reason})` : ''}`)
  }
  await trx.updateTable('orders').set({ approved_at: sql<Date>`now()`, approved_by: by, updated_at: sql<Date>`now()` }).where('id', '=', orderId).execute()
  const released = await releaseHeld(trx, boss, orderId, 'ops', `approved by ${by}, sent for submission`)
  if (released.length > 0) {
    await appendTimeline(trx, { orderId, kind: 'order.approved', actor: 'ops', detail: `approved by ${by}: ${String(released.length)} supplier order(s) released`, data: { by } })
    await refreshOrderState(trx, orderId, 'ops')
    return { kind: 'released', supplierOrders: released, acknowledged }
  }
  // Nothing held at our end: order.sync held it (before the cut-over); approved_at lets it through.
  await sendJob(boss, 'order.sync', { shop: order.shop, shopifyOrderId: order.shopify_order_id, reason: 'approved' }, { trx })
  await appendTimeline(trx, { orderId, kind: 'order.approved', actor: 'ops', detail: `approved by ${by}: the order will be read again and routed${order.state_reason ? ` (was held: ${order.state_reason})` : ''}`, data: { by } })
  return { kind: 'sync_requested', acknowledged }
}


/** The orders.release sweep: due delay holds go to pending, one order (and its row lock) at a time. */
export async function releaseDueHolds (db: Db, boss: PgBoss, now: Date = new Date(), batch = 100): Promise<number> {
  let total = 0
  // Each order is looked at once per sweep, whatever happens to it.
  const seen = new Set<string>()
  for (;;) {
    let query = db.selectFrom('supplier_orders').select('order_id').distinct()
      .where('state', '=', 'held').where('hold_until', '<=', now).where('supplier_order_id', 'is', null).where('attempts', '=', 0)
    if (seen.size > 0) query = query.where('order_id', 'not in', [...seen])
    const due = await query.limit(batch).execute()
    if (due.length === 0) return total
    for (const { order_id: orderId } of due) {
      seen.add(orderId)
      total += await db.transaction().execute(async (trx) => {
        const order = await lockOrder(trx, orderId)
        if (order.cancelled_at || order.cancelled_locally_at) {
          await cancelUnsentSupplierOrders(trx, orderId, order.cancelled_locally_at ? 'cancelled by ops' : 'the order was cancelled in Shopify', 'worker')
          await refreshOrderState(trx, orderId, 'worker')
          return 0
        }
        const released = await releaseHeld(trx, boss, orderId, 'worker', 'the approval delay is over, sent for submission', { dueBy: now })
        await refreshOrderState(trx, orderId, 'worker')
        return released.length
      })
    }
  }
}
