// Indexes for the console's and /v1's queries at a million orders
// (BENCHMARKS.md, "Console at a million orders"): each one named by the query
// that needed it.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  // /v1/orders?state=: newest first within a state, without sorting the state's rows.
  await sql`create index orders_state_created_idx on orders (state, created_at, id)`.execute(db)
  // /v1/orders/:ref and ?q= by Shopify id (the unique key leads with the shop).
  await sql`create index orders_shopify_order_idx on orders (shopify_order_id)`.execute(db)
  // ?q= finds a part of a name: a trigram index (pg_trgm ships with Postgres and is trusted). A whole
  // email, whatever its case: a part of one matched too many rows to recheck (52 ms at 1M).
  await sql`create extension if not exists pg_trgm`.execute(db)
  await sql`create index orders_name_trgm_idx on orders using gin (name gin_trgm_ops)`.execute(db)
  await sql`create index orders_email_idx on orders (lower(email))`.execute(db)
  // ?supplier=none (and any rare supplier): the orders having such a line.
  await sql`create index order_lines_supplier_idx on order_lines (supplier, order_id)`.execute(db)
  // /v1/stats: each supplier's latest error.
  await sql`create index supplier_orders_error_idx on supplier_orders (supplier, updated_at desc) where last_error is not null`.execute(db)
  // Bulk retry's count by supplier: the supplier orders needing attention.
  await sql`create index supplier_orders_attention_idx on supplier_orders (order_id, supplier) where state = 'needs_attention'`.execute(db)
  // /v1/webhooks, newest first, all or by status.
  await sql`create index webhook_events_received_idx on webhook_events (received_at, id)`.execute(db)
  await sql`create index webhook_events_status_idx on webhook_events (status, received_at, id)`.execute(db)
}

export async function down (db: Kysely<any>): Promise<void> {
  for (const name of ['orders_state_created_idx', 'orders_shopify_order_idx', 'orders_name_trgm_idx', 'orders_email_idx', 'order_lines_supplier_idx', 'supplier_orders_error_idx', 'supplier_orders_attention_idx', 'webhook_events_received_idx', 'webhook_events_status_idx']) {
    await sql.raw(`drop index ${name}`).execute(db)
  }
}
