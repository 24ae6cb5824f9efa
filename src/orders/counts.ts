// The counts behind /v1/stats and /metrics: orders per state; jobs per queue
// and state, counted live from pg-boss's job table (its own getQueues()
// counts are refreshed only by a supervising worker, so an api replica would
// report stale depths); each supplier's latest recorded error. Only the live
// job states and `failed` are counted: completed jobs pile up until pg-boss's
// retention removes them.
import { sql } from 'kysely'
import type { Db } from '../db/database.ts'
import { BOSS_SCHEMA } from '../jobs/boss.ts'
import { queueNames } from '../jobs/queues.ts'

export interface QueueDepth {
  readonly name: string
  /** Ready to run now. */
  readonly queued: number
  /** Waiting for their start time (sendAfter). */
  readonly deferred: number
  /** Waiting to be retried after a failure. */
  readonly retry: number
  readonly active: number
  /** Out of retries (kept until pg-boss's retention removes them). */
  readonly failed: number
}

export async function queueDepths (db: Db): Promise<QueueDepth[]> {
  const rows = await sql<{ name: string, queued: string, deferred: string, retry: string, active: string, failed: string }>`
    select name,
      count(*) filter (where state = 'created' and start_after <= now()) as queued,
      count(*) filter (where state = 'created' and start_after > now()) as deferred,
      count(*) filter (where state = 'retry') as retry,
      count(*) filter (where state = 'active') as active,
      count(*) filter (where state = 'failed') as failed
    from ${sql.table(`${BOSS_SCHEMA}.job`)}
    where state in ('created', 'retry', 'active', 'failed')
    group by name`.execute(db)
  const byName = new Map(rows.rows.map((row) => [row.name, row]))
  return queueNames.map((name) => {
    const row = byName.get(name)
    return { name, queued: Number(row?.queued ?? 0), deferred: Number(row?.deferred ?? 0), retry: Number(row?.retry ?? 0), active: Number(row?.active ?? 0), failed: Number(row?.failed ?? 0) }
  })
}

/** Orders per state: from the rollup (state-counts.ts). */
export { ordersByState } from './state-counts.ts'

export interface SupplierLastError {
  readonly message: string
  readonly at: Date
  readonly supplierOrderId: string
}

/** The most recent error recorded on any supplier order of each supplier, as the supplier jobs record it. */
export async function lastSupplierErrors (db: Db): Promise<Map<string, SupplierLastError>> {
  const rows = await db.selectFrom('supplier_orders')
    .distinctOn('supplier')
    .select(['supplier', 'id', 'last_error', 'updated_at'])
    .where('last_error', 'is not', null)
    .orderBy('supplier').orderBy('updated_at', 'desc')
    .execute()
  return new Map(rows.map((row) => [row.supplier, { message: row.last_error ?? '', at: row.updated_at, supplierOrderId: row.id }]))
}
