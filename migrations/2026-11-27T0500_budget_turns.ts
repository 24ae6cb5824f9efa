// Turns for jobs that find a supplier's budget empty: each refused job is given
// its own moment, one refill apart, instead of all of them waking at the next
// token (BENCHMARKS.md, backlog: 8 job runs per order before this).
import type { Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  // The first moment no refused job has been told to come back at; null or past: none waiting.
  await db.schema.alterTable('rate_budgets').addColumn('next_turn_at', 'timestamptz').execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('rate_budgets').dropColumn('next_turn_at').execute()
}
