// The polling sweeper: the guarantee behind supplier webhooks. An in-process
// ticker (pg-boss cron is per minute; self-rescheduling jobs would end their
// chain at the first dead-lettered one, DESIGN.md "Jobs") picks supplier
// orders whose indexed next_poll_at is due, most overdue first, takes a poll
// token from the shared budget for each (submissions keep their reserve), and
// queues their re-read. Claiming moves next_poll_at a full interval on, so two
// replicas never read the same order twice in one interval.
import { sql } from 'kysely'
import type { PgBoss } from 'pg-boss'
import type { Logger } from 'pino'
import type { Db } from '../db/database.ts'
import { sendJob } from '../jobs/boss.ts'
import type { Waker } from '../jobs/waker.ts'
import type { Budget } from '../suppliers/budget.ts'
import type { SupplierName } from '../suppliers/supplier.ts'

export interface SweeperDeps {
  readonly db: Db
  readonly boss: PgBoss
  readonly budget: Budget
  readonly waker: Waker | undefined
  readonly log: Logger
  readonly pollIntervalSeconds: number
}

/** How often the ticker looks; a due order waits at most this long past its time (plus the budget). */
export const SWEEP_TICK_MS = 5000
/** At most this many reads queued per supplier per tick, so one tick stays short. */
const MAX_PER_TICK = 200
const suppliers: readonly SupplierName[] = ['printful', 'printify']

export async function sweepOnce (deps: SweeperDeps): Promise<number> {
  let queued = 0
  for (const supplier of suppliers) {
    const due = await deps.db.selectFrom('supplier_orders').select('id')
      .where('supplier', '=', supplier)
      .where('next_poll_at', '<=', sql<Date>`now()`)
      .where('supplier_order_id', 'is not', null)
      .where('state', 'in', ['submitted', 'needs_attention', 'cancel_requested'])
      .orderBy('next_poll_at').limit(MAX_PER_TICK).execute()
    for (const { id } of due) {
      if (!(await deps.budget.take(supplier, 'poll')).ok) break
      const claimed = await deps.db.updateTable('supplier_orders')
        .set({ next_poll_at: sql`now() + make_interval(secs => ${deps.pollIntervalSeconds})` })
        .where('id', '=', id).where('next_poll_at', '<=', sql<Date>`now()`)
        .returning('id').executeTakeFirst()
      if (!claimed) continue
      await sendJob(deps.boss, 'supplier.sync', { supplierOrderId: id, tokenTaken: true }, { singletonKey: id })
      queued++
    }
  }
  if (queued > 0) deps.waker?.wake('supplier.sync')
  return queued
}

export interface Sweeper { stop (): Promise<void> }

export function startSweeper (deps: SweeperDeps, tickMs = SWEEP_TICK_MS): Sweeper {
  let stopped = false
  let running: Promise<void> = Promise.resolve()
  let timer: NodeJS.Timeout | undefined
  const tick = (): void => {
    running = sweepOnce(deps).then(
      (queued) => { if (queued > 0) deps.log.debug({ queued }, 'sweeper queued supplier reads') },
      (err: unknown) => { deps.log.warn({ err }, 'sweeper tick failed; trying again next tick') }
    ).finally(() => {
      if (!stopped) timer = setTimeout(tick, tickMs)
    })
  }
  timer = setTimeout(tick, 0)
  return {
    async stop () {
      stopped = true
      clearTimeout(timer)
      await running
    }
  }
}
