// The counts behind /v1/stats and /metrics: orders per state; jobs per queue
// and state, counted live from pg-boss's job table (its own getQueues()
// counts are refreshed only by a supervising worker, so an api replica would
// report stale depths); each supplier's latest recorded error. Only the live
// job states and `failed` are counted: completed jobs pile up until pg-boss's
// retention removes them.
import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import { BOSS_SCHEMA } from '../../queue/boss.ts'
import { queueNames } from '../../queue/queues.ts'

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

/**
 * The most recent error recorded on any supplier order of each supplier, as the supplier jobs
 * record it: one index probe per supplier (a skip scan over the partial index on errors), not a
 * sort of every supplier order that ever failed (240 ms at a million orders).
 */
export async function lastSupplierErrors (db: Db): Promise<Map<string, SupplierLastError>> {
  const { rows } = await sql<{ supplier: string, id: string, last_error: string | null, updated_at: Date }>`
    with recursive s as (
      (select supplier from supplier_orders where last_error is not null order by supplier, updated_at desc limit 1)
      union all
      select (select supplier from supplier_orders where last_error is not null and supplier > s.supplier order by supplier, updated_at desc limit 1) from s where s.supplier is not null)
    select e.supplier, e.id, e.last_error, e.updated_at from s cross join lateral (
      select so.supplier, so.id, so.last_error, so.updated_at from supplier_orders so
      where so.supplier = s.supplier and so.last_error is not null order by so.updated_at desc limit 1) e`.execute(db)
  return new Map(rows.map((row) => [row.supplier, { message: row.last_error ?? '', at: new Date(row.updated_at), supplierOrderId: row.id }]))
}
