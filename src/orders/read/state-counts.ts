// Orders per state from the rollup (migrations/2026-12-04T0100_console.ts):
// the folded counts plus the deltas appended since. Counting the orders table
// itself reads every index entry (about 100 ms at a million orders); this
// reads a handful of rows. Folding runs when the deltas pile up, by one reader
// at a time (an advisory lock), never by the transactions that write orders.
import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import { orderStates } from '../../db/schema.ts'

/** Deltas left unfolded before a reader folds them (a few ms of summing at most). */
const FOLD_AFTER = 1000
/** pg advisory lock key of the fold ("osc" in ASCII). */
const FOLD_LOCK = 0x6f7363

export async function foldStateDeltas (db: Db): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${FOLD_LOCK}) as locked`.execute(trx)
    if (!rows[0]?.locked) return
    await sql`with moved as (delete from order_state_deltas returning state, delta)
      insert into order_state_counts (state, count) select state, sum(delta) from moved group by state
      on conflict (state) do update set count = order_state_counts.count + excluded.count`.execute(trx)
  })
}

/** Orders per state, every state present (zero when none). */
export async function ordersByState (db: Db): Promise<Record<string, number>> {
  const { rows } = await sql<{ state: string, count: string, deltas: string }>`
    select state, sum(n)::text as count, (select count(*) from (select 1 from order_state_deltas limit ${FOLD_AFTER + 1}) d)::text as deltas
    from (select state, count as n from order_state_counts union all select state, delta from order_state_deltas) c
    group by state`.execute(db)
  const byState: Record<string, number> = Object.fromEntries(orderStates.map((state) => [state, 0]))
  for (const row of rows) byState[row.state] = Number(row.count)
  if (Number(rows[0]?.deltas ?? 0) > FOLD_AFTER) await foldStateDeltas(db)
  return byState
}
