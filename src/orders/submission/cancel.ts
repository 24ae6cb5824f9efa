// Cancellation carried to the suppliers (order.cancel, POST /v1/orders/:ref/cancel).
// 1. Locally, under the order's row lock: what was never sent (pending, held)
//    is cancelled here and is never sent afterwards (supplier.submit claims
//    only pending or submitting rows); everything else becomes
//    `cancel_requested`, the intent, committed before any supplier is asked.
// 2. At the supplier, one supplier order at a time, under the same advisory
//    lock supplier.submit holds over its request: a submission in flight
//    finishes first, so we cancel what it created instead of racing it. An
//    order whose creation is in doubt is looked up by external id first.
// 3. A supplier's "cancelled" is confirmed by reading the order back; "too
//    late" (in production) and failures become needs_attention with the
//    supplier's words. Nothing is swallowed: every step is a timeline row.
import { sql } from 'kysely'
import type { PgBoss } from 'pg-boss'
import type { Logger } from 'pino'
import type { Db, Trx } from '../../db/database.ts'
import type { SubmissionState, SupplierName } from '../../db/schema.ts'
import { sendJob } from '../../queue/boss.ts'
import { queues } from '../../queue/queues.ts'
import { AppError, errorMessage } from '../../lib/errors.ts'
import { failureRung } from '../../lib/failure-ladder.ts'
import type { Budget } from '../../suppliers/budget.ts'
import type { Suppliers } from '../../suppliers/index.ts'
import type { SupplierRef } from '../../suppliers/common/supplier.ts'
import { refreshOrderState } from '../state/order-state.ts'
import { appendTimeline, type Actor } from '../timeline.ts'

export interface CancelDeps {
  readonly db: Db
  readonly boss: PgBoss
  readonly suppliers: Suppliers
  readonly budget: Budget
  readonly log: Logger
}

export type CancelActor = 'shopify' | 'ops'

// order.cancel is a stately queue keyed by the order id (src/queue/queues.ts, which sendJob
// reads): without it pg-boss would treat every order's queued cancellation as one.

/** Per supplier order: what happened (cancel_requested = the supplier is still to be asked or is being retried). */
export type CancelOutcome = 'cancelled' | 'already_cancelled' | 'cancel_requested' | 'needs_attention' | 'rescheduled'

export interface SupplierOrderCancel {
  readonly id: string
  readonly supplier: SupplierName
  readonly externalId: string
  readonly outcome: CancelOutcome
  readonly reason: string | null
}

export interface CancelResult {
  readonly orderId: string
  readonly supplierOrders: SupplierOrderCancel[]
}

const cause = (actor: CancelActor): string => actor === 'shopify' ? 'cancelled in Shopify' : 'cancelled by ops'

/**
 * Step 1 (local, no network): takes the order's row lock. Returns each supplier
 * order's outcome so far; those still `cancel_requested` need cancelAtSuppliers.
 */
export async function requestCancellation (trx: Trx, orderId: string, actor: CancelActor): Promise<CancelResult> {
  const order = await trx.selectFrom('orders').select('id').where('id', '=', orderId).forNoKeyUpdate().executeTakeFirst()
  if (!order) throw new AppError('not_found', `no order ${orderId}`)
  // Cancelled here by ops: order.sync keeps it cancelled whatever Shopify says next.
  if (actor === 'ops') await trx.updateTable('orders').set({ cancelled_locally_at: sql`coalesce(cancelled_locally_at, now())`, cancelled_locally_by: sql`coalesce(cancelled_locally_by, 'ops')` }).where('id', '=', orderId).execute()
  const rows = await trx.selectFrom('supplier_orders').select(['id', 'supplier', 'external_id', 'state', 'supplier_order_id', 'reason'])
    .where('order_id', '=', orderId).orderBy('created_at').forNoKeyUpdate().execute()
  const results: SupplierOrderCancel[] = []
  for (const row of rows) {
    const base = { id: row.id, supplier: row.supplier, externalId: row.external_id }
    if (row.state === 'cancelled') {
      results.push({ ...base, outcome: 'already_cancelled', reason: row.reason })
      continue
    }
    // Held and pending orders were never created at the supplier; a submitted one with no supplier id is a test order Printify never saw.
    const neverSent = row.state === 'pending' || row.state === 'held' || (row.state === 'submitted' && row.supplier_order_id === null)
    if (neverSent) {
      const reason = `${cause(actor)}; never sent to ${row.supplier}`
      await setState(trx, row.id, 'cancelled', reason)
      await appendTimeline(trx, { orderId, supplierOrderId: row.id, kind: 'cancel.local', actor, detail: `${row.external_id} cancelled here: it was never sent to ${row.supplier}, and nothing will be` })
      results.push({ ...base, outcome: 'cancelled', reason })
      continue
    }
    const reason = `${cause(actor)}: asking ${row.supplier} to cancel`
    if (row.state !== 'cancel_requested') {
      await setState(trx, row.id, 'cancel_requested', reason)
      await appendTimeline(trx, { orderId, supplierOrderId: row.id, kind: 'cancel.requested', actor, detail: `asking ${row.supplier} to cancel ${row.external_id} (was ${row.state.replaceAll('_', ' ')})` })
    }
    results.push({ ...base, outcome: 'cancel_requested', reason })
  }
  await refreshOrderState(trx, orderId, 'worker')
  return { orderId, supplierOrders: results }
}

/** Steps 1 and 2: the whole cancellation, as the order.cancel job runs it. Throws (to retry) only after recording what it learned. */
export async function cancelOrder (deps: CancelDeps, orderId: string, options: { actor: CancelActor }, retryCount = 0): Promise<CancelResult> {
  const local = await deps.db.transaction().execute((trx) => requestCancellation(trx, orderId, options.actor))
  const results: SupplierOrderCancel[] = []
  let retry: unknown
  for (const entry of local.supplierOrders) {
    if (entry.outcome !== 'cancel_requested') {
      results.push(entry)
      continue
    }
    const outcome = await cancelAtSupplier(deps, entry.id, options.actor, retryCount)
    if (outcome.retry !== undefined) retry = outcome.retry
    results.push({ ...entry, outcome: outcome.outcome, reason: outcome.reason })
  }
  if (retry !== undefined) throw new AppError('upstream_transient', errorMessage(retry), { cause: retry })
  return { orderId, supplierOrders: results }
}

interface AtSupplier { outcome: CancelOutcome, reason: string | null, retry?: unknown }

async function cancelAtSupplier (deps: CancelDeps, supplierOrderId: string, actor: CancelActor, retryCount: number): Promise<AtSupplier> {
  return deps.db.transaction().execute(async (trx): Promise<AtSupplier> => {
    // The key supplier.submit locks over its request: see (2) above.
    await sql`select pg_advisory_xact_lock(hashtextextended(${supplierOrderId}, 0))`.execute(trx)
    const row = await trx.selectFrom('supplier_orders').selectAll().where('id', '=', supplierOrderId).forNoKeyUpdate().executeTakeFirstOrThrow()
    if (row.state === 'cancelled') return { outcome: 'already_cancelled', reason: row.reason }
    const at = { orderId: row.order_id, supplierOrderId: row.id } as const
    try {
      const supplier = deps.suppliers[row.supplier]
      if (!supplier) throw new AppError('not_configured', `${row.supplier} is not configured, so ${row.external_id} cannot be cancelled there`)
      const taken = await deps.budget.take(row.supplier, 'submit', { turn: true })
      if (!taken.ok) {
        await sendJob(deps.boss, 'order.cancel', { orderId: row.order_id, actor }, { trx, startAfter: taken.retryAt })
        await appendTimeline(trx, { ...at, kind: 'cancel.rate_limited', actor: 'worker', detail: `${row.supplier}'s request budget is spent; asking again after ${taken.retryAt.toISOString()}` })
        return { outcome: 'rescheduled', reason: row.reason }
      }
      let supplierId = row.supplier_order_id
      if (supplierId === null) {
        // A submission that failed or died midway: whether it created the order there is unknown, so look.
        const found = await supplier.find(row.external_id)
        if (!found) return await finish(trx, row, 'cancelled', `${cause(actor)}; never created at ${row.supplier}`, 'cancel.local', actor, `${row.supplier} has no order ${row.external_id}: cancelled here, and nothing will be sent`)
        supplierId = found.supplierOrderId
        await trx.updateTable('supplier_orders').set({ supplier_order_id: supplierId }).where('id', '=', row.id).execute()
      }
      const ref: SupplierRef = { supplierOrderId: supplierId, externalId: row.external_id }
      const answer = await supplier.cancel(ref)
      const [observed] = await supplier.statuses([ref])
      const status = observed?.status ?? 'unknown'
      if (answer === 'cancelled' && status === 'cancelled') {
        await trx.updateTable('supplier_orders').set({ supplier_status: 'cancelled', next_poll_at: null }).where('id', '=', row.id).execute()
        return await finish(trx, row, 'cancelled', cause(actor), 'cancel.confirmed', row.supplier, `${row.supplier} cancelled order ${supplierId} (${row.external_id}); read back as cancelled`)
      }
      const reason = answer === 'too_late'
        ? `${cause(actor)}, already in production at ${row.supplier}`
        : `${cause(actor)}: ${row.supplier} said it cancelled order ${supplierId}, but it reads back as ${status}`
      return await finish(trx, row, 'needs_attention', reason, answer === 'too_late' ? 'cancel.too_late' : 'cancel.unconfirmed', row.supplier,
        `${row.supplier} did not cancel order ${supplierId} (${row.external_id}; status ${status.replaceAll('_', ' ')}): stop or refund it by hand`)
    } catch (err) {
      return failed(deps, trx, row, err, actor, retryCount)
    }
  })
}

type Row = { id: string, order_id: string, supplier: SupplierName, external_id: string, attempts: number }

async function finish (trx: Trx, row: Row, state: SubmissionState, reason: string, kind: string, actor: Actor, detail: string): Promise<AtSupplier> {
  await setState(trx, row.id, state, reason)
  await appendTimeline(trx, { orderId: row.order_id, supplierOrderId: row.id, kind, actor, detail, ...(state === 'needs_attention' ? { error: reason } : {}) })
  await refreshOrderState(trx, row.order_id, 'worker')
  return { outcome: state === 'cancelled' ? 'cancelled' : 'needs_attention', reason }
}

async function failed (deps: CancelDeps, trx: Trx, row: Row, err: unknown, actor: CancelActor, retryCount: number): Promise<AtSupplier> {
  const at = { orderId: row.order_id, supplierOrderId: row.id } as const
  const step = failureRung(err, { retryCount, retryLimit: queues['order.cancel'].options.retryLimit })
  const message = step.message
  if (step.rung === 'wait') {
    await deps.budget.block(row.supplier, step.until, message)
    await sendJob(deps.boss, 'order.cancel', { orderId: row.order_id, actor }, { trx, startAfter: step.until })
    await appendTimeline(trx, { ...at, kind: 'cancel.rate_limited', actor: row.supplier, detail: `${row.supplier} asked us to wait until ${step.until.toISOString()}`, error: message })
    return { outcome: 'rescheduled', reason: message }
  }
  if (step.rung === 'retry') {
    await trx.updateTable('supplier_orders').set({ last_error: message, updated_at: sql`now()` }).where('id', '=', row.id).execute()
    await appendTimeline(trx, { ...at, kind: 'cancel.retry', actor: 'worker', detail: `asking ${row.supplier} again later`, error: message })
    return { outcome: 'cancel_requested', reason: message, retry: err }
  }
  const reason = `${cause(actor)}, but cancelling at ${row.supplier} failed: ${message}`
  await trx.updateTable('supplier_orders').set({ last_error: message }).where('id', '=', row.id).execute()
  deps.log.warn({ supplierOrderId: row.id, supplier: row.supplier }, `cancellation needs attention: ${reason}`)
  return finish(trx, row, 'needs_attention', reason, 'cancel.failed', row.supplier, `${row.supplier} could not cancel ${row.external_id}`)
}

async function setState (trx: Trx, id: string, state: SubmissionState, reason: string): Promise<void> {
  await trx.updateTable('supplier_orders').set({ state, reason, updated_at: sql`now()` }).where('id', '=', id).execute()
}
