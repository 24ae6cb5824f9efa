// supplier.sync: read one supplier order from its supplier and apply what it
// says. Triggered by the supplier's webhooks (re-read, never trusted blindly:
// Printful's v1 webhooks are unsigned) and by the polling sweeper. Each run
// sets the next poll, so an open order is looked at at least once per
// SUPPLIER_POLL_INTERVAL whatever the webhooks do.
import { sql } from 'kysely'
import { sendJob } from '../../queue/boss.ts'
import { errorMessage, isAppError } from '../../lib/errors.ts'
import { applyObservation } from './observe.ts'
import { refreshOrderState } from '../state/order-state.ts'
import { appendTimeline } from '../timeline.ts'
import { lockOrder } from '../lock.ts'
import type { SubmitDeps } from '../submission/submit.ts'
import type { SupplierName, SupplierObservation } from '../../suppliers/common/supplier.ts'

/** What the supplier jobs (submit, sync) need: the same for both. */
export type SupplierSyncDeps = SubmitDeps

export const polled = ['submitted', 'needs_attention', 'cancel_requested'] as const

export type SupplierSyncOutcome = 'observed' | 'stale' | 'not_found' | 'nothing_to_do' | 'rescheduled'

/**
 * A supplier webhook can arrive before our submission commits (the supplier
 * answers, then calls us, while supplier.submit is still writing): the order
 * is `submitting` and its supplier id not stored yet, so there is nothing to
 * read by. The read waits for the commit instead of being dropped, asking
 * again after half the time the submission has taken so far, within these
 * bounds (a submission waiting for a render may take hours).
 */
const UNLINKED_RECHECK_MS = { min: 2_000, max: 5 * 60_000 } as const
const unlinked = ['pending', 'submitting']

export async function syncSupplierOrder (deps: SupplierSyncDeps, supplierOrderId: string, options: { tokenTaken?: boolean } = {}): Promise<SupplierSyncOutcome> {
  const row = await deps.db.selectFrom('supplier_orders').select(['id', 'order_id', 'supplier', 'state', 'supplier_order_id', 'external_id', sql<number>`extract(epoch from clock_timestamp() - updated_at) * 1000`.as('sinceUpdateMs')])
    .where('id', '=', supplierOrderId).executeTakeFirst()
  if (row && !row.supplier_order_id && unlinked.includes(row.state)) {
    const waitMs = Math.min(UNLINKED_RECHECK_MS.max, Math.max(UNLINKED_RECHECK_MS.min, Number(row.sinceUpdateMs) / 2))
    await sendJob(deps.boss, 'supplier.sync', { supplierOrderId }, { startAfter: new Date(Date.now() + waitMs) })
    return 'rescheduled'
  }
  if (!row?.supplier_order_id || !(polled as readonly string[]).includes(row.state)) return 'nothing_to_do'
  const supplier = deps.suppliers[row.supplier]
  if (!supplier) return 'nothing_to_do'
  if (!options.tokenTaken) {
    const taken = await deps.budget.take(row.supplier, 'poll', { turn: true })
    if (!taken.ok) {
      await sendJob(deps.boss, 'supplier.sync', { supplierOrderId }, { startAfter: taken.retryAt })
      return 'rescheduled'
    }
  }
  const ref = { supplierOrderId: row.supplier_order_id, externalId: row.external_id }
  let observations
  try {
    observations = await supplier.statuses([ref])
  } catch (err) {
    if (isAppError(err) && err.code === 'upstream_rate_limited') {
      const until = new Date(Date.now() + (err.retryAfterMs ?? 60_000))
      await deps.budget.block(row.supplier, until, errorMessage(err))
      await sendJob(deps.boss, 'supplier.sync', { supplierOrderId }, { startAfter: until })
      return 'rescheduled'
    }
    throw err
  }
  return applySupplierRead(deps, row, observations[0])
}

/** The supplier order as a read needs it. */
export interface PolledRow {
  readonly id: string
  readonly order_id: string
  readonly supplier: SupplierName
  readonly supplier_order_id: string | null
  readonly external_id: string
}

/**
 * Applies what one read said about one supplier order (undefined: the supplier
 * does not know it), under the order's lock, and sets its next poll. Shared by
 * the single read above and the sweeper's list pages, so both follow the same
 * rules (an older observation never replaces a newer one, a shipment is
 * recorded once).
 */
export async function applySupplierRead (deps: SupplierSyncDeps, row: PolledRow, observation: SupplierObservation | undefined): Promise<SupplierSyncOutcome> {
  const supplier = deps.suppliers[row.supplier]
  const ref = { supplierOrderId: row.supplier_order_id ?? '', externalId: row.external_id }
  const pollSeconds = deps.config.env.SUPPLIER_POLL_INTERVAL
  return deps.db.transaction().execute(async (trx) => {
    // NO KEY UPDATE, not UPDATE: the confirm below calls the supplier, which
    // calls our webhook, whose timeline insert checks this row's key (a KEY
    // SHARE lock that FOR UPDATE would block until the call timed out).
    await lockOrder(trx, row.order_id)
    const locked = await trx.selectFrom('supplier_orders').select(['id', 'order_id', 'supplier', 'state', 'supplier_status', 'supplier_updated_at', 'reason'])
      .where('id', '=', row.id).forNoKeyUpdate().executeTakeFirstOrThrow()
    // Settled or cancelled while the read was in flight: nothing left to follow.
    if (!(polled as readonly string[]).includes(locked.state)) return 'nothing_to_do'
    if (!observation) {
      const reason = `${row.supplier} no longer knows order ${ref.supplierOrderId}`
      if (locked.reason !== reason) {
        await trx.updateTable('supplier_orders').set({ state: 'needs_attention', reason, next_poll_at: null, updated_at: sql`now()` }).where('id', '=', row.id).execute()
        await appendTimeline(trx, { orderId: row.order_id, supplierOrderId: row.id, kind: 'supplier.not_found', actor: row.supplier, detail: reason })
        await refreshOrderState(trx, row.order_id, 'worker')
      }
      return 'not_found'
    }
    const result = await applyObservation(trx, locked, observation, deps.registry.supplier(row.supplier))
    await trx.updateTable('supplier_orders').set({ next_poll_at: result.settled ? null : sql`now() + make_interval(secs => ${pollSeconds})` }).where('id', '=', row.id).execute()
    if (result.stale) return 'stale'
    for (const shipmentId of result.shipmentIds) {
      await sendJob(deps.boss, 'shopify.fulfill', { shipmentId }, { trx })
    }
    if (result.needsConfirm) {
      // Confirmed again inside the lock, so two runs cannot both confirm.
      const confirmed = supplier ? await supplier.confirm(ref).catch((err: unknown) => err) : new Error(`${row.supplier} is not configured`)
      const failed = confirmed instanceof Error
      await appendTimeline(trx, {
        orderId: row.order_id, supplierOrderId: row.id, kind: failed ? 'supplier.confirm_failed' : 'supplier.confirmed_again', actor: row.supplier,
        detail: failed ? 'back to draft after a cost calculation; confirming again failed, will retry' : 'back to draft after a cost calculation; confirmed again',
        ...(failed ? { error: errorMessage(confirmed) } : {})
      })
      if (failed) await trx.updateTable('supplier_orders').set({ next_poll_at: sql`now() + interval '1 minute'` }).where('id', '=', row.id).execute()
    }
    await refreshOrderState(trx, row.order_id, 'worker')
    return 'observed'
  })
}
