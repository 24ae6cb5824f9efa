// The polling sweeper: the guarantee behind supplier webhooks. An in-process
// ticker (pg-boss cron is per minute; self-rescheduling jobs would end their
// chain at the first dead-lettered one, DESIGN.md "Jobs") picks supplier
// orders whose indexed next_poll_at is due, most overdue first, and reads
// them within the shared budget (submissions keep their reserve):
//
// - Where the supplier lists its orders by status (Printful 100 a page,
//   Printify 10), due orders are grouped by the status we last saw, and the
//   group's pages are read here, one budget token a page. Every open order of
//   ours on a page is applied and rescheduled, due or not, so the orders of
//   one status fall due together and the next pass needs about one request
//   per page of them. A group is listed only when its pages are fewer than
//   its due orders; orders due within the next fifth of an interval count
//   too (and are read that much early), or orders falling due one by one
//   would never make a group worth a page and never come together.
// - Whatever a page did not cover (a status that changed since, an order the
//   list did not show, a supplier without a list) is queued as a single read
//   (supplier.sync), one token each.
//
// Claiming moves next_poll_at a full interval on, so two replicas never read
// the same order twice in one interval. An order whose supplier.sync is
// already queued (a webhook's read, waiting for its budget turn) is left to
// that job: a second one would be dropped by the stately queue, and the token
// taken for it would be spent on nothing (given back if that happens anyway).
import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'kysely'
import { BOSS_SCHEMA, sendJob } from '../../queue/boss.ts'
import type { Waker } from '../../queue/waker.ts'
import { errorMessage, isAppError } from '../../lib/errors.ts'
import type { SupplierName, SupplierOrderList, SupplierStatus } from '../../suppliers/common/supplier.ts'
import { applySupplierRead, polled, type PolledRow, type SupplierSyncDeps } from './supplier-sync.ts'

export interface SweeperDeps extends SupplierSyncDeps {
  readonly waker: Waker | undefined
  /**
   * false: one GET per order even where the supplier has a list endpoint (the
   * behaviour before list reads, kept as the benchmarks' baseline). Default true.
   */
  readonly listReads?: boolean
}

/** How often the ticker looks; a due order waits at most this long past its time (plus the budget). */
export const SWEEP_TICK_MS = 5000
/** At most this many due orders per supplier per sweep, so one sweep stays bounded. */
const MAX_PER_TICK = 200
/** A sweep waits for a poll token this long at most; beyond it (a 429's block) the next tick tries again. */
const MAX_TOKEN_WAIT_MS = SWEEP_TICK_MS
/** A list pass also takes orders due within this fraction of the interval. */
const LIST_LOOKAHEAD = 0.2

interface DueRow extends PolledRow {
  readonly supplier_order_id: string
  readonly supplier_status: string | null
  readonly supplier_status_reason: string | null
  readonly next_poll_at: Date
  /** Not due yet, only within the list look-ahead. */
  readonly early: boolean
}

/** A due order left for a single read; `claimed` when a list pass already moved its next_poll_at. */
interface Single { readonly row: DueRow, readonly claimed: boolean }

export interface SweepResult {
  /** Single reads queued as supplier.sync jobs. */
  readonly queued: number
  /** List pages read. */
  readonly pages: number
  /** Orders observed through list pages (due or not). */
  readonly listed: number
}

export async function sweepOnce (deps: SweeperDeps, signal?: AbortSignal): Promise<SweepResult> {
  const results = await Promise.all(deps.registry.names.map((supplier) => sweepSupplier(deps, supplier, signal)))
  const total = results.reduce((sum, r) => ({ queued: sum.queued + r.queued, pages: sum.pages + r.pages, listed: sum.listed + r.listed }), { queued: 0, pages: 0, listed: 0 })
  if (total.queued > 0) deps.waker?.wake('supplier.sync')
  return total
}

async function sweepSupplier (deps: SweeperDeps, supplier: SupplierName, signal: AbortSignal | undefined): Promise<SweepResult> {
  // A supplier whose descriptor says it lists orders by status is read a page at a time.
  const list = deps.listReads === false || deps.registry.supplier(supplier)?.capabilities.listReads !== true ? undefined : deps.suppliers[supplier]?.orderList
  const lookahead = list ? deps.config.env.SUPPLIER_POLL_INTERVAL * LIST_LOOKAHEAD : 0
  const due: DueRow[] = await deps.db.selectFrom('supplier_orders')
    .select(['id', 'order_id', 'supplier', 'supplier_order_id', 'external_id', 'supplier_status', 'supplier_status_reason', 'next_poll_at', sql<boolean>`next_poll_at > now()`.as('early')])
    .where('supplier', '=', supplier)
    .where('next_poll_at', '<=', sql<Date>`now() + make_interval(secs => ${lookahead})`)
    .where('supplier_order_id', 'is not', null)
    .where('state', 'in', polled)
    .where(sql<boolean>`not exists (select 1 from ${sql.table(`${BOSS_SCHEMA}.job`)} j where j.name = 'supplier.sync' and j.state in ('created', 'retry') and j.singleton_key = supplier_orders.id::text)`)
    .orderBy('next_poll_at').limit(MAX_PER_TICK)
    .$narrowType<{ supplier_order_id: string, next_poll_at: Date }>()
    .execute()
  if (!due.some((row) => !row.early)) return { queued: 0, pages: 0, listed: 0 }
  const listed = list ? await readLists(deps, supplier, list, due, signal, lookahead) : { singles: due.map((row) => ({ row, claimed: false })), pages: 0, listed: 0 }
  // Early ones are read only by a list pass; on their own they wait until due.
  const queued = await queueSingles(deps, supplier, listed.singles.filter((single) => single.claimed || !single.row.early), signal)
  return { queued, pages: listed.pages, listed: listed.listed }
}

async function readLists (deps: SweeperDeps, supplier: SupplierName, list: SupplierOrderList, due: readonly DueRow[], signal: AbortSignal | undefined, lookahead: number): Promise<{ singles: Single[], pages: number, listed: number }> {
  // Groups in order of their most overdue member (`due` is most overdue first).
  const groups = new Map<string, DueRow[]>()
  const singles: Single[] = []
  for (const row of due) {
    const filter = listFilter(list, row.supplier_status, row.supplier_status_reason)
    if (filter === undefined) singles.push({ row, claimed: false })
    else groups.set(filter, [...(groups.get(filter) ?? []), row])
  }
  if (groups.size === 0) return { singles, pages: 0, listed: 0 }
  // How long each status list is, as far as we know: our own open orders last seen in it.
  const counts = await deps.db.selectFrom('supplier_orders')
    .select(['supplier_status', 'supplier_status_reason', sql<string>`count(*)`.as('n')])
    .where('supplier', '=', supplier).where('supplier_order_id', 'is not', null).where('state', 'in', polled)
    .groupBy(['supplier_status', 'supplier_status_reason']).execute()
  const known = new Map<string, number>()
  for (const c of counts) {
    const filter = listFilter(list, c.supplier_status, c.supplier_status_reason)
    if (filter !== undefined) known.set(filter, (known.get(filter) ?? 0) + Number(c.n))
  }
  let pages = 0
  let listedCount = 0
  for (const [filter, group] of groups) {
    const expectedPages = Math.max(1, Math.ceil((known.get(filter) ?? 0) / list.pageSize))
    // A page that cannot cover more than one due order on average is no cheaper than single reads.
    if (signal?.aborted || expectedPages >= group.length || group.every((row) => row.early)) {
      singles.push(...group.map((row) => ({ row, claimed: false })))
      continue
    }
    const claimed = await claim(deps, group.map((row) => row.id), lookahead)
    const remaining = new Map(group.filter((row) => claimed.has(row.id)).map((row) => [row.supplier_order_id, row]))
    // The whole status list, not just the pages that held the due ones: every order on it is then
    // next due together (a partial read would leave the rest as a second group, read again early).
    for (let index = 0; index < expectedPages || remaining.size > 1; index++) {
      if (!(await takePollToken(deps, supplier, signal))) break
      let page
      try {
        page = await list.page(filter, index)
      } catch (err) {
        if (isAppError(err) && err.code === 'upstream_rate_limited') await deps.budget.block(supplier, new Date(Date.now() + (err.retryAfterMs ?? 60_000)), errorMessage(err))
        deps.log.warn({ err, supplier, filter, index }, 'a status list page failed; its orders are read one by one')
        break
      }
      pages++
      listedCount += await applyPage(deps, supplier, page.observations, remaining)
      if (page.last) break
    }
    singles.push(...[...remaining.values()].map((row) => ({ row, claimed: true })))
  }
  return { singles, pages, listed: listedCount }
}

/** The status list a supplier order last seen with this status belongs to (undefined: none, or never seen). */
function listFilter (list: SupplierOrderList, status: string | null, reason: string | null): string | undefined {
  return status ? list.filterFor(status as SupplierStatus, reason) : undefined
}

/**
 * Applies each listed order that is one of our open ones (due or not); returns
 * how many. One that says nothing new (the status we know, stamped with the
 * supplier time we know: DESIGN.md rule 3) is only rescheduled, in one
 * statement for the page; the rest go through the supplier.sync path.
 */
async function applyPage (deps: SweeperDeps, supplier: SupplierName, observations: Awaited<ReturnType<SupplierOrderList['page']>>['observations'], remaining: Map<string, DueRow>): Promise<number> {
  if (observations.length === 0) return 0
  const ours = await deps.db.selectFrom('supplier_orders').select(['id', 'order_id', 'supplier', 'supplier_order_id', 'external_id', 'supplier_status', 'supplier_updated_at'])
    .where('supplier', '=', supplier).where('state', 'in', polled)
    .where('supplier_order_id', 'in', observations.map((o) => o.supplierOrderId)).execute()
  const byId = new Map(ours.map((row) => [row.supplier_order_id, row]))
  const unchanged: { id: string, status: string, at: Date }[] = []
  let applied = 0
  for (const observation of observations) {
    const row = byId.get(observation.supplierOrderId)
    if (!row) continue
    // An id that names another order than ours (a reused id would be a supplier bug): leave it to the single read.
    if (observation.externalId && observation.externalId !== row.external_id) continue
    const at = new Date(observation.observedAt)
    if (row.supplier_status === observation.status && row.supplier_updated_at?.getTime() === at.getTime()) {
      unchanged.push({ id: row.id, status: observation.status, at })
      continue
    }
    try {
      await applySupplierRead(deps, row, observation)
    } catch (err) {
      deps.log.warn({ err, supplierOrderId: row.id }, 'applying a listed order failed; it is read on its own')
      continue
    }
    remaining.delete(observation.supplierOrderId)
    applied++
  }
  if (unchanged.length > 0) {
    // Guarded by what was compared, so a change written meanwhile (a webhook's read) is not covered up.
    const rows = await sql<{ supplier_order_id: string }>`
      update supplier_orders s set next_poll_at = now() + make_interval(secs => ${deps.config.env.SUPPLIER_POLL_INTERVAL}), updated_at = now()
      from (select * from jsonb_to_recordset(${JSON.stringify(unchanged)}::jsonb) as x(id uuid, status text, at timestamptz)) u
      where s.id = u.id and s.state = any(${[...polled]}::text[]) and s.supplier_status = u.status and s.supplier_updated_at = u.at
      returning s.supplier_order_id`.execute(deps.db)
    for (const row of rows.rows) remaining.delete(row.supplier_order_id)
    applied += rows.rows.length
  }
  return applied
}

async function queueSingles (deps: SweeperDeps, supplier: SupplierName, singles: readonly Single[], signal: AbortSignal | undefined): Promise<number> {
  let queued = 0
  // Most overdue first, whichever way each came here.
  const ordered = [...singles].sort((a, b) => a.row.next_poll_at.getTime() - b.row.next_poll_at.getTime())
  for (const [i, { row, claimed }] of ordered.entries()) {
    if (!(await takePollToken(deps, supplier, signal))) {
      // Out of budget: the ones a list pass claimed get their old time back, so they stay first in line.
      for (const rest of ordered.slice(i)) {
        if (rest.claimed) await deps.db.updateTable('supplier_orders').set({ next_poll_at: rest.row.next_poll_at }).where('id', '=', rest.row.id).execute()
      }
      break
    }
    if (!claimed && (await claim(deps, [row.id])).size === 0) {
      await deps.budget.giveBack(supplier)
      continue
    }
    // null: a supplier.sync for this order was queued since the select above; it reads the order, with its own token.
    if (await sendJob(deps.boss, 'supplier.sync', { supplierOrderId: row.id, tokenTaken: true }) === null) {
      await deps.budget.giveBack(supplier)
      continue
    }
    queued++
  }
  return queued
}

/** Moves due orders (or due within `earlySeconds`) a full interval on; returns the ids this sweeper got (another replica may have taken some). */
async function claim (deps: SweeperDeps, ids: readonly string[], earlySeconds = 0): Promise<Set<string>> {
  if (ids.length === 0) return new Set()
  const rows = await deps.db.updateTable('supplier_orders')
    .set({ next_poll_at: sql`now() + make_interval(secs => ${deps.config.env.SUPPLIER_POLL_INTERVAL})` })
    .where('id', 'in', ids).where('next_poll_at', '<=', sql<Date>`now() + make_interval(secs => ${earlySeconds})`)
    .returning('id').execute()
  return new Set(rows.map((r) => r.id))
}

/**
 * A poll token, waiting for the refill when it comes within MAX_TOKEN_WAIT_MS.
 * Polls may only take a token the submissions' reserve does not need, which
 * at the default limits means a full bucket: without waiting, a sweep got one
 * token per tick (12 requests a minute, whatever the supplier's limit).
 */
async function takePollToken (deps: SweeperDeps, supplier: SupplierName, signal: AbortSignal | undefined): Promise<boolean> {
  for (;;) {
    if (signal?.aborted) return false
    const taken = await deps.budget.take(supplier, 'poll')
    if (taken.ok) return true
    const waitMs = taken.retryAt.getTime() - Date.now()
    if (waitMs > MAX_TOKEN_WAIT_MS) return false
    // Stopping cuts the wait short; the loop then returns false.
    await sleep(Math.max(5, waitMs), undefined, signal ? { signal } : {}).catch(() => undefined)
  }
}

export interface Sweeper { stop (): Promise<void> }

export function startSweeper (deps: SweeperDeps, tickMs = SWEEP_TICK_MS): Sweeper {
  const stopping = new AbortController()
  let running: Promise<void> = Promise.resolve()
  let timer: NodeJS.Timeout | undefined
  const tick = (): void => {
    running = sweepOnce(deps, stopping.signal).then(
      (result) => { if (result.queued + result.pages > 0) deps.log.debug(result, 'sweeper read supplier orders') },
      (err: unknown) => { deps.log.warn({ err }, 'sweeper tick failed; trying again next tick') }
    ).finally(() => {
      if (!stopping.signal.aborted) timer = setTimeout(tick, tickMs)
    })
  }
  timer = setTimeout(tick, 0)
  return {
    async stop () {
      stopping.abort()
      clearTimeout(timer)
      await running
    }
  }
}
