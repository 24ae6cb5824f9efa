// The ops surface (issue 10): one alert row per episode, and an index for the
// "where is my order?" search by tracking number. Frozen in time like the rest.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  // An episode is one stay of one order in one state: (order, kind, state,
  // the order's state_changed_at when it began). The unique key is what makes
  // "alerted once per episode" hold with several scanners racing; a later
  // stay in the same state has another state_changed_at, so it alerts again.
  await db.schema.createTable('alerts')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('order_id', 'uuid', (c) => c.notNull().references('orders.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('needs_attention','stuck')`))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('episode_at', 'timestamptz', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending','sent','skipped')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    // A sender holds the alert for a while, so two workers never post it at once.
    .addColumn('claimed_until', 'timestamptz')
    .addColumn('sent_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('alerts_episode_key', ['order_id', 'kind', 'state', 'episode_at'])
    .execute()
  await db.schema.createIndex('alerts_order_idx').on('alerts').columns(['order_id', 'created_at']).execute()
  await sql`create index shipments_tracking_idx on shipments (tracking_number) where tracking_number is not null`.execute(db)
}

export async function down (db: Kysely<any>): Promise<void> {
  await sql`drop index if exists shipments_tracking_idx`.execute(db)
  await db.schema.dropTable('alerts').ifExists().execute()
}
