// supplier.submit: each supplier order reaches its supplier exactly once.
// 1. Intent first (DESIGN.md rule 2): `submitting` is committed before any
//    request, so a crash at any instant leaves a state that says "look first".
// 2. The request runs while this runner holds an advisory lock on the supplier
//    order: a second runner of the same job (pg-boss delivers at least once)
//    waits, then finds the work done. A killed runner's lock dies with its
//    connection.
// 3. On every re-entry the order is looked up at the supplier before creating.
// 4. Errors are classified once: 429 → wait for Retry-After; "not yet" (the
//    supplier is not ready for the next step, Printify's 8502) → ask again
//    later, up to NOT_YET_BOUND_MS; transient → retry with backoff (the outcome
//    may be unknown, so the next try looks first); permanent → needs_attention
//    with the supplier's message.
// 5. Each request to the supplier takes one token of the shared budget (the
//    first is taken before anything is committed); a job refused a token
//    reschedules itself for its turn, keeping what it did so far.
import { sql } from 'kysely'
import type { PgBoss } from 'pg-boss'
import type { Logger } from 'pino'
import type { Config } from '../../config.ts'
import type { Db, Trx } from '../../db/database.ts'
import { sendJob } from '../../queue/boss.ts'
import { queues } from '../../queue/queues.ts'
import { formatDuration } from '../../lib/duration.ts'
import { AppError, errorMessage, isAppError } from '../../lib/errors.ts'
import { failureRung } from '../../lib/failure-ladder.ts'
import { budgetRetryAt, requestGate, type Budget } from '../../suppliers/budget.ts'
import { isNotYet, withRequestGate, type RequestGate } from '../../suppliers/common/http.ts'
import type { FileProviders, Registry, Suppliers } from '../../suppliers/registry.ts'
import type { SupplierCapabilities } from '../../suppliers/common/descriptor.ts'
import type { Supplier, SupplierAccepted, SupplierOrderDraft } from '../../suppliers/common/supplier.ts'
import { resolvePersonalization, storedDraftSchema, type ResolvedFile, type StoredDraft } from './personalize.ts'
import { refreshOrderState } from '../state/order-state.ts'
import { appendTimeline } from '../timeline.ts'
import { lockOrder } from '../lock.ts'
import { flagChangesAfterSubmission } from './changes-after-submission.ts'

export interface SubmitDeps {
  readonly db: Db
  readonly boss: PgBoss
  readonly suppliers: Suppliers
  readonly files: FileProviders
  readonly registry: Registry
  readonly budget: Budget
  readonly config: Config
  readonly log: Logger
}

/** A file provider may render for a while (Customily about 30 minutes); after this long without a file a person looks. */
const PERSONALIZATION_WAIT_MS = 2 * 3_600_000

/**
 * How long a supplier may keep saying "not yet" before a person looks.
 * Printify's `pending` is "brief, right after creation" (suppliers.md §2.4) and
 * was observed to clear within seconds; Printify's own help hands a status that
 * has not moved in 30 minutes to its support (help.printify.com article
 * 15076632315665, "Sending to production").
 */
export const NOT_YET_BOUND_MS = 30 * 60_000
/** The first wait after a "not yet", doubled each time up to the second. */
const NOT_YET_DELAYS_MS = { first: 2_000, max: 5 * 60_000 } as const

export type SubmitOutcome = 'submitted' | 'nothing_to_do' | 'rescheduled' | 'needs_attention' | 'retrying'

export async function submitSupplierOrder (deps: SubmitDeps, supplierOrderId: string, retryCount: number): Promise<SubmitOutcome> {
  const peek = await deps.db.selectFrom('supplier_orders').select(['state', 'supplier']).where('id', '=', supplierOrderId).executeTakeFirst()
  if (!peek || (peek.state !== 'pending' && peek.state !== 'submitting')) return 'nothing_to_do'
  const taken = await deps.budget.take(peek.supplier, 'submit', { turn: true })
  if (!taken.ok) {
    await sendJob(deps.boss, 'supplier.submit', { supplierOrderId }, { startAfter: taken.retryAt })
    return 'rescheduled'
  }
  const result = await deps.db.transaction().execute(async (trx): Promise<{ outcome: SubmitOutcome, error?: unknown }> => {
    // Held for the whole request: see (2) above.
    await sql`select pg_advisory_xact_lock(hashtextextended(${supplierOrderId}, 0))`.execute(trx)
    const claim = await claimIntent(deps.db, supplierOrderId)
    if (!claim) return { outcome: 'nothing_to_do' }
    const row = await loadRow(trx, supplierOrderId)
    let sent: Sent | 'waiting'
    try {
      // The token taken above pays for the first request.
      sent = await send(deps, trx, row, claim, requestGate(deps.budget, row.supplier, 'submit', 1))
    } catch (err) {
      return { outcome: await fail(deps, trx, row, err, retryCount), error: err }
    }
    if (sent === 'waiting') return { outcome: 'rescheduled' }
    // A database error here rolls back and pg-boss runs the job again; the
    // committed `submitting` makes that run look the order up first.
    await markSubmitted(deps, trx, row, sent)
    return { outcome: 'submitted' }
  })
  // What this attempt learned is committed; now pg-boss backs off and runs it again.
  if (result.outcome === 'retrying') throw new AppError('upstream_transient', errorMessage(result.error), { cause: result.error })
  return result.outcome
}

interface Claim {
  readonly reentry: boolean
  /** When the previous attempt began (its `submission.started`), on a re-entry: a create it sent may not be findable yet. */
  readonly lastAttemptAt?: string
}

/** Commits `submitting` (the intent) before anything is sent; returns whether this is a re-entry, and when the last attempt began. */
async function claimIntent (db: Db, supplierOrderId: string): Promise<Claim | undefined> {
  return db.transaction().execute(async (trx) => {
    const owner = await trx.selectFrom('supplier_orders').select('order_id').where('id', '=', supplierOrderId).executeTakeFirst()
    if (!owner) return undefined
    await lockOrder(trx, owner.order_id)
    const row = await trx.selectFrom('supplier_orders as s').innerJoin('orders as o', 'o.id', 's.order_id')
      .select(['s.id', 's.state', 's.order_id', 's.external_id', 's.supplier', 's.attempts', 'o.state as order_state'])
      .where('s.id', '=', supplierOrderId).forNoKeyUpdate('s').executeTakeFirst()
    if (!row || (row.state !== 'pending' && row.state !== 'submitting') || row.order_state === 'cancelled') return undefined
    const reentry = row.state === 'submitting' || row.attempts > 0
    const last = reentry
      ? await trx.selectFrom('order_events').select((eb) => eb.fn.max('at').as('at'))
        .where('order_id', '=', row.order_id).where('supplier_order_id', '=', row.id).where('kind', '=', 'submission.started').executeTakeFirst()
      : undefined
    await trx.updateTable('supplier_orders').set({ state: 'submitting', attempts: sql`attempts + 1`, updated_at: sql`now()` }).where('id', '=', row.id).execute()
    await appendTimeline(trx, {
      orderId: row.order_id, supplierOrderId: row.id, kind: 'submission.started', actor: 'worker',
      detail: `${reentry ? 'looking up, then sending' : 'sending'} ${row.external_id} to ${row.supplier} (attempt ${row.attempts + 1})`
    })
    return { reentry, ...(last?.at ? { lastAttemptAt: new Date(last.at).toISOString() } : {}) }
  })
}

type Row = Awaited<ReturnType<typeof loadRow>>
async function loadRow (trx: Trx, id: string) {
  return trx.selectFrom('supplier_orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

/** `accepted` undefined: a test order the supplier never gets (its testOrders capability is `never`). */
interface Sent { readonly accepted: SupplierAccepted | undefined, readonly files: readonly ResolvedFile[] }

async function send (deps: SubmitDeps, trx: Trx, row: Row, claim: Claim, gate: RequestGate): Promise<Sent | 'waiting'> {
  const supplier = deps.suppliers[row.supplier]
  const descriptor = deps.registry.supplier(row.supplier)
  if (!supplier || !descriptor) throw new AppError('not_configured', deps.registry.notConfigured(row.supplier))
  const parsed = storedDraftSchema.safeParse(row.draft)
  if (!parsed.success) throw new AppError('internal', `the supplier order's draft is not one the router writes: ${parsed.error.message}`)
  const stored = parsed.data
  const resolved = await resolvePersonalization(stored, descriptor.itemRef, deps.files, deps.registry)
  if (!resolved.ready) return waitForPersonalization(deps, trx, row, stored, resolved.waitingFor)
  const accepted = await withRequestGate(gate, () => sendResolved(supplier, descriptor.capabilities, row, resolved.draft, claim))
  return { accepted, files: resolved.files }
}

async function sendResolved (supplier: Supplier, capabilities: SupplierCapabilities, row: Row, draft: SupplierOrderDraft, claim: Claim): Promise<SupplierAccepted | undefined> {
  // A test order is never confirmed for production: created unconfirmed where
  // the supplier keeps such orders (testOrders: draft), not created at all where
  // it would send an unsent order to production by itself (testOrders: never).
  if (draft.test && capabilities.testOrders === 'never') return undefined
  const confirm = !draft.test
  const known = row.supplier_order_id
    ? { supplierOrderId: row.supplier_order_id, externalId: row.external_id, status: 'on_hold' as const }
    : claim.reentry ? await supplier.find(row.external_id, draft, claim.lastAttemptAt ? { lastAttemptAt: claim.lastAttemptAt } : {}) : undefined
  if (!known) return supplier.submit(draft, { confirm })
  if (confirm && (known.status === 'draft' || known.status === 'on_hold')) return supplier.confirm(known)
  return known
}

async function waitForPersonalization (deps: SubmitDeps, trx: Trx, row: Row, draft: StoredDraft, personalizationId: string): Promise<'waiting'> {
  const providerName = draft.items.find((item) => item.personalization?.id === personalizationId)?.personalization?.provider ?? ''
  const provider = deps.files[providerName]
  const shown = provider?.displayName ?? providerName
  const waited = Date.now() - row.created_at.getTime()
  if (waited > PERSONALIZATION_WAIT_MS) {
    throw new AppError('upstream_rejected', `${shown} has no production file for personalization ${personalizationId} after ${Math.round(waited / 60_000)} minutes`)
  }
  await trx.updateTable('supplier_orders').set({ state: 'pending', reason: `waiting for ${shown} to render personalization ${personalizationId}`, updated_at: sql`now()` }).where('id', '=', row.id).execute()
  const retryMs = provider?.retryMs ?? 60_000
  await appendTimeline(trx, { orderId: row.order_id, supplierOrderId: row.id, kind: 'submission.waiting', actor: providerName, detail: `personalization ${personalizationId} not rendered yet; trying again in ${formatDuration(retryMs)}` })
  await sendJob(deps.boss, 'supplier.submit', { supplierOrderId: row.id }, { trx, startAfter: new Date(Date.now() + retryMs) })
  return 'waiting'
}

async function markSubmitted (deps: SubmitDeps, trx: Trx, row: Row, { accepted, files }: Sent): Promise<void> {
  await lockOrder(trx, row.order_id)
  const pollSeconds = deps.config.env.SUPPLIER_POLL_INTERVAL
  const shown = deps.registry.supplier(row.supplier)?.displayName ?? row.supplier
  await trx.updateTable('supplier_orders').set({
    state: 'submitted',
    supplier_order_id: accepted?.supplierOrderId ?? null,
    supplier_status: accepted?.status ?? null,
    reason: accepted ? null : `test order: not created at ${shown} (it would be sent to production by itself)`,
    last_error: null,
    submitted_at: sql`now()`,
    next_poll_at: accepted ? sql`now() + make_interval(secs => ${pollSeconds})` : null,
    updated_at: sql`now()`
  }).where('id', '=', row.id).execute()
  await appendTimeline(trx, {
    orderId: row.order_id, supplierOrderId: row.id, kind: 'submission.accepted', actor: row.supplier,
    detail: (accepted ? `accepted by ${row.supplier} as order ${accepted.supplierOrderId} (${accepted.status})` : `test order: nothing created at ${shown}`) +
      files.map((f) => `; ${deps.files[f.provider]?.displayName ?? f.provider} file for ${f.id} at "${f.placement}": ${f.url} (${f.why})`).join(''),
    ...(accepted ? { data: { supplierOrderId: accepted.supplierOrderId, status: accepted.status } } : {})
  })
  // The order may have changed in Shopify while this draft was on its way (order.sync
  // does not rebuild a submitting order): such a change is flagged now.
  await flagChangesAfterSubmission(trx, row.order_id, 'worker', deps.registry)
  await refreshOrderState(trx, row.order_id, 'worker')
}

async function fail (deps: SubmitDeps, trx: Trx, row: Row, err: unknown, retryCount: number): Promise<SubmitOutcome> {
  await lockOrder(trx, row.order_id)
  const message = errorMessage(err)
  const created = isAppError(err) && typeof err.detail?.supplierOrderId === 'string' ? err.detail.supplierOrderId : undefined
  if (created) await trx.updateTable('supplier_orders').set({ supplier_order_id: created }).where('id', '=', row.id).execute()
  const base = { orderId: row.order_id, supplierOrderId: row.id, actor: row.supplier } as const
  const turn = budgetRetryAt(err)
  if (turn) {
    await appendTimeline(trx, { ...base, kind: 'submission.waiting', detail: `${row.supplier}'s request budget is spent: the submission goes on at ${turn.toISOString()}${created ? ` (order ${created} is created)` : ''}` })
    await sendJob(deps.boss, 'supplier.submit', { supplierOrderId: row.id }, { trx, startAfter: turn })
    return 'rescheduled'
  }
  if (isNotYet(err)) return notYet(deps, trx, row, message)
  const step = failureRung(err, { retryCount, retryLimit: queues['supplier.submit'].options.retryLimit, attempts: row.attempts })
  if (step.rung === 'wait') {
    await deps.budget.block(row.supplier, step.until, message)
    await trx.updateTable('supplier_orders').set({ last_error: message, updated_at: sql`now()` }).where('id', '=', row.id).execute()
    await appendTimeline(trx, { ...base, kind: 'submission.rate_limited', detail: `${row.supplier} asked us to wait until ${step.until.toISOString()}`, error: message })
    await sendJob(deps.boss, 'supplier.submit', { supplierOrderId: row.id }, { trx, startAfter: step.until })
    return 'rescheduled'
  }
  if (step.rung === 'retry') {
    await trx.updateTable('supplier_orders').set({ last_error: message, updated_at: sql`now()` }).where('id', '=', row.id).execute()
    await appendTimeline(trx, { ...base, kind: 'submission.retry', detail: `will look up and try again (attempt ${row.attempts})`, error: message })
    return 'retrying'
  }
  const reason = step.reason
  await trx.updateTable('supplier_orders').set({ state: 'needs_attention', reason, last_error: message, updated_at: sql`now()` }).where('id', '=', row.id).execute()
  await appendTimeline(trx, { ...base, kind: 'submission.refused', detail: `${row.supplier} did not accept ${row.external_id}`, error: reason })
  await refreshOrderState(trx, row.order_id, 'worker')
  deps.log.warn({ supplierOrderId: row.id, supplier: row.supplier }, `submission needs attention: ${reason}`)
  return 'needs_attention'
}

/**
 * The supplier is not ready to take the order into production yet (Printify
 * keeps a new order `pending` for a moment): the order exists there, so the
 * job keeps `submitting` and the supplier's id, and asks again later, backing
 * off, until NOT_YET_BOUND_MS after the first "not yet"; then a person looks.
 */
async function notYet (deps: SubmitDeps, trx: Trx, row: Row, message: string): Promise<SubmitOutcome> {
  const earlier = await trx.selectFrom('order_events')
    .select([sql<string>`count(*)`.as('count'), sql<number | null>`extract(epoch from clock_timestamp() - min(at)) * 1000`.as('waitedMs')])
    .where('supplier_order_id', '=', row.id).where('kind', '=', 'submission.not_yet').executeTakeFirstOrThrow()
  const waited = Number(earlier.waitedMs ?? 0)
  const base = { orderId: row.order_id, supplierOrderId: row.id, actor: row.supplier } as const
  if (waited > NOT_YET_BOUND_MS) {
    const reason = `${row.supplier} would still not send ${row.external_id} to production after ${formatDuration(waited)}: ${message}`
    await trx.updateTable('supplier_orders').set({ state: 'needs_attention', reason, last_error: message, updated_at: sql`now()` }).where('id', '=', row.id).execute()
    await appendTimeline(trx, { ...base, kind: 'submission.refused', detail: `${row.supplier} kept ${row.external_id} from production too long`, error: reason })
    await refreshOrderState(trx, row.order_id, 'worker')
    deps.log.warn({ supplierOrderId: row.id, supplier: row.supplier }, `submission needs attention: ${reason}`)
    return 'needs_attention'
  }
  const delay = Math.min(NOT_YET_DELAYS_MS.max, NOT_YET_DELAYS_MS.first * 2 ** Number(earlier.count))
  await trx.updateTable('supplier_orders').set({ last_error: message, updated_at: sql`now()` }).where('id', '=', row.id).execute()
  await appendTimeline(trx, { ...base, kind: 'submission.not_yet', detail: `${row.supplier} is not ready to send ${row.external_id} to production yet; asking again in ${formatDuration(delay)}`, error: message })
  await sendJob(deps.boss, 'supplier.submit', { supplierOrderId: row.id }, { trx, startAfter: new Date(Date.now() + delay) })
  return 'rescheduled'
}
