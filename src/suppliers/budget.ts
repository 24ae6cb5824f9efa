// The request budget of each supplier account, shared by every replica: a
// token bucket kept in one Postgres row, taken with one atomic UPDATE. One
// token is one HTTP request (requestGate below charges each request a job
// makes). Order jobs never wait for a token: without one they are rescheduled
// for a turn of their own, one refill after the last turn given (next_turn_at).
// Part of the bucket is reserved for submissions, so status polls and the
// product push cannot starve them; a 429 empties it until the supplier's
// Retry-After.
import type { SupplierEnv } from './common/descriptor.ts'
import { builtInRegistry, type Registry } from './registry.ts'
import { sql } from 'kysely'
import type { Db } from '../db/database.ts'
import { AppError, isAppError } from '../lib/errors.ts'
import type { RequestGate } from './common/http.ts'

/**
 * What a token is for. `submit` may take the last token; `poll` and `push` (the product push,
 * issue 18) only what is above the submissions' reserve, and `push` never takes a turn: a
 * catalogue's thousands of requests must not queue ahead of an order (pushGate below).
 */
export type BudgetUse = 'submit' | 'poll' | 'push'

export interface BudgetLimits {
  /** The supplier's published limit, per minute (its *_RATE_PER_MINUTE setting). */
  readonly perMinute: number
}

export type TakeResult = { readonly ok: true } | { readonly ok: false, readonly retryAt: Date }

export interface TakeOptions {
  /**
   * The caller, refused, will come back at `retryAt` (a job rescheduling itself): give it a turn
   * of its own, one refill after the last turn given, rather than the moment the next token is
   * there, which every refused job would share. Callers that wait in place (the sweeper) leave it off.
   */
  readonly turn?: boolean
}

export interface Budget {
  take (supplier: string, use: BudgetUse, options?: TakeOptions): Promise<TakeResult>
  /** A token taken for a request that will not be made after all: back into the bucket (up to its capacity). */
  giveBack (supplier: string): Promise<void>
  /** A 429: no request until `until`. */
  block (supplier: string, until: Date, reason: string): Promise<void>
  state (supplier: string): Promise<{ tokens: number, blockedUntil: Date | null, lastError: string | null } | undefined>
}

/**
 * Refill rate and burst are chosen so that no 60-second window can carry more
 * than the published limit: a bucket of capacity C refilled at r per second
 * allows at most C + 60 r in a minute, so r = (L - C) / 60. The burst is kept
 * small (2 % of L, at least 2 so that polls can be made to leave one token to
 * submissions) because every token in it is one the refill cannot give: with
 * 5 % a long backlog ran at 0.946 of the limit, with 2 % at 0.98 of it.
 * (A limit of 1 a minute cannot keep both promises; it gets r = L / 120.)
 */
export function bucketShape (limits: BudgetLimits): { ratePerSecond: number, capacity: number, pollReserve: number } {
  const limit = limits.perMinute
  const capacity = limit < 4 ? 1 : Math.max(2, Math.floor(limit * 0.02))
  return {
    ratePerSecond: Math.max(limit - capacity, limit / 2) / 60,
    capacity,
    // Polls leave this much for submissions: a fifth of a minute's budget.
    pollReserve: Math.max(1, Math.floor(limits.perMinute / 5))
  }
}

export function createBudget (db: Db, limits: Readonly<Record<string, BudgetLimits>>): Budget {
  return {
    async take (supplier, use, options = {}) {
      const limit = limits[supplier]
      if (!limit) return { ok: true }
      const shape = bucketShape(limit)
      // Polls and pushes may only take what is above the submissions' reserve; the
      // reserve can exceed the burst capacity, in which case they run only from
      // the refill that submissions leave unused.
      const floor = use === 'submit' ? 0 : Math.min(shape.pollReserve, shape.capacity - 1)
      await db.insertInto('rate_budgets').values({ supplier, tokens: shape.capacity }).onConflict((oc) => oc.column('supplier').doNothing()).execute()
      const available = sql<number>`least(${shape.capacity}::float8, tokens + extract(epoch from (clock_timestamp() - refilled_at)) * ${shape.ratePerSecond}::float8)`
      const taken = await db.updateTable('rate_budgets')
        .set({ tokens: sql`${available} - 1`, refilled_at: sql`clock_timestamp()`, updated_at: sql`now()` })
        .where('supplier', '=', supplier)
        .where(sql<boolean>`coalesce(blocked_until, '-infinity') <= clock_timestamp()`)
        .where(sql<boolean>`${available} >= ${1 + floor}::float8`)
        .returning('tokens')
        .executeTakeFirst()
      if (taken) return { ok: true }
      // When a token will be there for this use, and no sooner than the circuit reopens.
      const refillAt = sql<Date>`greatest(clock_timestamp() + make_interval(secs => greatest(0, (${1 + floor}::float8 - ${available}) / ${shape.ratePerSecond}::float8)), coalesce(blocked_until, '-infinity'))`
      if (options.turn && use !== 'push') {
        // Turns are one refill apart, starting at the refill; turns already given are kept, and
        // ones in the past (their jobs ran, or gave up) hold nothing back.
        const step = sql`make_interval(secs => ${1 / shape.ratePerSecond}::float8)`
        const turn = await db.updateTable('rate_budgets')
          .set({ next_turn_at: sql`greatest(coalesce(next_turn_at, '-infinity'), ${refillAt}) + ${step}` })
          .where('supplier', '=', supplier)
          .returning(sql<Date>`next_turn_at - ${step}`.as('at'))
          .executeTakeFirstOrThrow()
        return { ok: false, retryAt: turn.at }
      }
      const row = await db.selectFrom('rate_budgets').select(refillAt.as('at')).where('supplier', '=', supplier).executeTakeFirstOrThrow()
      return { ok: false, retryAt: row.at }
    },
    async giveBack (supplier) {
      const limit = limits[supplier]
      if (!limit) return
      await db.updateTable('rate_budgets').set({ tokens: sql`least(${bucketShape(limit).capacity}::float8, tokens + 1)`, updated_at: sql`now()` })
        .where('supplier', '=', supplier).execute()
    },
    async block (supplier, until, reason) {
      await db.insertInto('rate_budgets').values({ supplier, tokens: 0, blocked_until: until, last_error: reason })
        .onConflict((oc) => oc.column('supplier').doUpdateSet({ tokens: 0, refilled_at: sql`clock_timestamp()`, blocked_until: sql`greatest(rate_budgets.blocked_until, excluded.blocked_until)`, last_error: reason, updated_at: sql`now()` }))
        .execute()
    },
    async state (supplier) {
      const row = await db.selectFrom('rate_budgets').select(['tokens', 'blocked_until', 'last_error']).where('supplier', '=', supplier).executeTakeFirst()
      return row && { tokens: row.tokens, blockedUntil: row.blocked_until, lastError: row.last_error }
    }
  }
}

/**
 * Waits in place until a token is taken: for a request that has no job to
 * reschedule (the start-up look-ups, made once by every process, which would
 * otherwise come on top of the budget the replicas share).
 */
export async function waitForToken (budget: Budget, supplier: string, use: BudgetUse): Promise<void> {
  for (;;) {
    const taken = await budget.take(supplier, use)
    if (taken.ok) return
    await new Promise((resolve) => setTimeout(resolve, Math.max(5, taken.retryAt.getTime() - Date.now())))
  }
}

/**
 * A gate (withRequestGate) that takes one token per request, as a caller that
 * reschedules itself when refused (a turn). `prepaid` requests were paid for
 * before the gate was set up: the job takes its first token before it commits
 * anything, so a job with no token at all leaves no trace.
 */
export function requestGate (budget: Budget, supplier: string, use: BudgetUse, prepaid = 0): RequestGate {
  let paid = prepaid
  return async () => {
    if (paid > 0) {
      paid--
      return
    }
    const taken = await budget.take(supplier, use, { turn: true })
    if (!taken.ok) throw budgetRefusal(supplier, taken.retryAt)
  }
}

/** How long one request of the product push waits in place for its token, at least, before its job is rescheduled. */
export const PUSH_WAIT_MS = 30_000

/**
 * The in-place wait of a push request: PUSH_WAIT_MS, and never less than two
 * refills, so that under a slow budget (a few requests a minute) the refill's
 * next token is still waited for; otherwise every request after the first
 * would be refused and the push would go round forever.
 */
export function pushWaitMs (limits: BudgetLimits | undefined): number {
  return limits ? Math.max(PUSH_WAIT_MS, 2_000 / bucketShape(limits).ratePerSecond) : PUSH_WAIT_MS
}

/**
 * The product push's gate (withRequestGate): one `push` token per request, so a
 * catalogue's push runs from what submissions and polls leave and never takes
 * a turn ahead of an order. Refused, a request waits in place for its token
 * when it is due within `maxWaitMs` (a push needs more requests than the
 * bucket holds, so it must wait for the refill); a longer wait (a 429's
 * block, a busy hour of orders) throws budgetRefusal, and the job is
 * rescheduled at retryAt keeping what it did (src/products/run.ts).
 */
export function pushGate (budget: Budget, supplier: string, maxWaitMs: number): RequestGate {
  return async () => {
    const deadline = Date.now() + maxWaitMs
    for (;;) {
      const taken = await budget.take(supplier, 'push')
      if (taken.ok) return
      if (taken.retryAt.getTime() > deadline) throw budgetRefusal(supplier, taken.retryAt)
      await new Promise((resolve) => setTimeout(resolve, Math.max(5, taken.retryAt.getTime() - Date.now())))
    }
  }
}

/** No token for the next request: not the supplier's doing, so nothing to block or count against the order. */
export function budgetRefusal (supplier: string, retryAt: Date): AppError {
  return new AppError('unavailable', `${supplier}: the request budget is spent; next turn at ${retryAt.toISOString()}`, { detail: { supplier, budgetRetryAt: retryAt.toISOString() } })
}

/** When a budget refusal (possibly wrapped by a supplier adapter, which keeps the detail) says to come back. */
export function budgetRetryAt (err: unknown): Date | undefined {
  const at = isAppError(err) ? err.detail?.budgetRetryAt : undefined
  return typeof at === 'string' ? new Date(at) : undefined
}

/** The budgets of the configured limits (each supplier's *_RATE_PER_MINUTE setting). */
export function budgetLimits (env: SupplierEnv, registry: Registry = builtInRegistry): Record<string, BudgetLimits> {
  return Object.fromEntries(registry.suppliers.map((d) => [d.name, { perMinute: d.ratePerMinute(env) }]))
}

/** What ops see of one supplier's budget (GET /v1/stats, /metrics). */
export interface BudgetReport {
  readonly perMinute: number
  readonly capacity: number
  /** Tokens in the bucket now, refill included (0 while blocked). */
  readonly tokens: number
  /** After a 429: no request until then (the supplier's Retry-After). */
  readonly blockedUntil: Date | null
  readonly lastError: string | null
}

/** Every configured supplier's budget as it stands now; a supplier not used yet has a full bucket. */
export async function readBudgets (db: Db, limits: Readonly<Record<string, BudgetLimits>>): Promise<Map<string, BudgetReport>> {
  const rows = await db.selectFrom('rate_budgets').select(['supplier', 'tokens', 'refilled_at', 'blocked_until', 'last_error', sql<Date>`clock_timestamp()`.as('now')]).execute()
  const reports = new Map<string, BudgetReport>()
  for (const [supplier, limit] of Object.entries(limits)) {
    const shape = bucketShape(limit)
    const row = rows.find((r) => r.supplier === supplier)
    const blocked = row?.blocked_until && row.blocked_until > row.now ? row.blocked_until : null
    const refilled = row ? Math.min(shape.capacity, row.tokens + ((row.now.getTime() - row.refilled_at.getTime()) / 1000) * shape.ratePerSecond) : shape.capacity
    reports.set(supplier, { perMinute: limit.perMinute, capacity: shape.capacity, tokens: blocked ? 0 : Math.round(refilled * 100) / 100, blockedUntil: blocked, lastError: row?.last_error ?? null })
  }
  return reports
}
