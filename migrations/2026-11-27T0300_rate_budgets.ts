// Request budgets shared by every worker replica (DESIGN.md: every
// cross-replica budget lives in Postgres). One token bucket per supplier account.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.createTable('rate_budgets')
    .addColumn('supplier', 'text', (c) => c.primaryKey())
    .addColumn('tokens', 'double precision', (c) => c.notNull())
    .addColumn('refilled_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // Set from a 429's Retry-After: nothing is sent before this time.
    .addColumn('blocked_until', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rate_budgets').ifExists().execute()
}
