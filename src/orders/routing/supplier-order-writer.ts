// Writes the router's plan for one supplier: the open (never sent) supplier
// order is created or brought up to date, and left alone when nothing changed,
// so a re-run writes nothing. A supplier order moving to `pending` gets its
// supplier.submit job in the same transaction.
import { isDeepStrictEqual } from 'node:util'
import { sql } from 'kysely'
import type { PgBoss } from 'pg-boss'
import type { Trx } from '../../db/database.ts'
import type { SubmissionState, SupplierName } from '../../db/schema.ts'
import { sendJob } from '../../queue/boss.ts'
import type { StoredDraft } from '../submission/personalize.ts'
import { appendTimeline } from '../timeline.ts'

export interface OpenSupplierOrder {
  readonly id: string
  readonly supplier: SupplierName
  readonly sequence: number
  readonly external_id: string
  readonly state: SubmissionState
  readonly reason: string | null
  readonly draft: unknown
  readonly hold_until: Date | null
  readonly lines: readonly { order_line_id: string, quantity: number }[]
}

export interface SupplierOrderPlan {
  readonly supplier: SupplierName
  readonly sequence: number
  readonly externalId: string
  /** What supplier.submit sends, per-order files still to resolve. */
  readonly draft: StoredDraft
  readonly lines: readonly { order_line_id: string, quantity: number }[]
  readonly state: 'pending' | 'held' | 'needs_attention'
  readonly reason: string | null
  readonly holdUntil: Date | null
}

/** Returns whether anything was written. */
export async function writeSupplierOrder (trx: Trx, boss: PgBoss, orderId: string, existing: OpenSupplierOrder | undefined, plan: SupplierOrderPlan): Promise<boolean> {
  const sortLines = (lines: readonly { order_line_id: string, quantity: number }[]) => [...lines].map((l) => ({ order_line_id: l.order_line_id, quantity: l.quantity })).sort((a, b) => a.order_line_id.localeCompare(b.order_line_id))
  const values = { state: plan.state, reason: plan.reason, hold_until: plan.holdUntil, draft: JSON.stringify(plan.draft) }
  const insertLines = async (id: string) => {
    if (plan.lines.length === 0) return
    await trx.insertInto('supplier_order_lines').values(plan.lines.map((l) => ({ supplier_order_id: id, order_line_id: l.order_line_id, quantity: l.quantity }))).execute()
  }
  if (!existing) {
    const row = await trx.insertInto('supplier_orders').values({
      order_id: orderId, supplier: plan.supplier, sequence: plan.sequence, generation: 1, external_id: plan.externalId, ...values
    }).returning('id').executeTakeFirstOrThrow()
    await insertLines(row.id)
    await appendTimeline(trx, {
      orderId, supplierOrderId: row.id, kind: 'supplier_order.created', actor: 'worker',
      detail: `${plan.supplier} order ${plan.externalId}${plan.sequence > 0 ? ' (follow-up)' : ''} with ${describeItems(plan.lines)}: ${describeState(plan)}`,
      data: { supplier: plan.supplier, externalId: plan.externalId, state: plan.state, sequence: plan.sequence }
    })
    if (plan.state === 'pending') await enqueueSubmit(trx, boss, row.id)
    return true
  }
  const sameLines = isDeepStrictEqual(sortLines(existing.lines), sortLines(plan.lines))
  const sameDraft = isDeepStrictEqual(existing.draft, JSON.parse(values.draft))
  const sameState = existing.state === plan.state && existing.reason === plan.reason && (existing.hold_until?.getTime() ?? null) === (plan.holdUntil?.getTime() ?? null)
  if (sameLines && sameDraft && sameState) return false
  await trx.updateTable('supplier_orders').set({ ...values, updated_at: sql<Date>`now()` }).where('id', '=', existing.id).execute()
  if (!sameLines) {
    await trx.deleteFrom('supplier_order_lines').where('supplier_order_id', '=', existing.id).execute()
    await insertLines(existing.id)
  }
  const what = [sameLines ? undefined : `now ${describeItems(plan.lines)}`, sameDraft ? undefined : 'draft rebuilt', sameState ? undefined : describeState(plan)].filter(Boolean).join('; ')
  await appendTimeline(trx, {
    orderId, supplierOrderId: existing.id, kind: 'supplier_order.updated', actor: 'worker',
    detail: `${plan.supplier} order ${plan.externalId}: ${what}`,
    data: { state: plan.state, previousState: existing.state }
  })
  if (plan.state === 'pending' && existing.state !== 'pending') await enqueueSubmit(trx, boss, existing.id)
  return true
}

export async function enqueueSubmit (trx: Trx, boss: PgBoss, supplierOrderId: string): Promise<void> {
  await sendJob(boss, 'supplier.submit', { supplierOrderId }, { trx })
}

function describeItems (lines: readonly { quantity: number }[]): string {
  const units = lines.reduce((sum, l) => sum + l.quantity, 0)
  return `${String(lines.length)} line(s), ${String(units)} unit(s)`
}

function describeState (plan: Pick<SupplierOrderPlan, 'state' | 'reason'>): string {
  return plan.reason ? `${plan.state} (${plan.reason})` : plan.state
}
