// The console's counts and pictures, fast at a million orders without a hot
// row. Orders per state: each statement on `orders` appends its net change per
// state to order_state_deltas (append-only, so concurrent intake transactions
// never wait on one another); readers fold the deltas into order_state_counts
// now and then. The pictures read rollups of closed hours and days, filled by
// their readers (src/orders/console-rollups.ts); the open period is counted live.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await sql`create table order_state_counts (state text primary key, count bigint not null)`.execute(db)
  await sql`create table order_state_deltas (id bigint generated always as identity primary key, state text not null, delta bigint not null)`.execute(db)
  await sql`insert into order_state_counts (state, count) select state, count(*) from orders group by state`.execute(db)
  await sql`create function order_state_deltas_ins () returns trigger language plpgsql as $$ begin
    insert into order_state_deltas (state, delta) select state, count(*) from new_rows group by state;
    return null; end $$`.execute(db)
  await sql`create function order_state_deltas_del () returns trigger language plpgsql as $$ begin
    insert into order_state_deltas (state, delta) select state, -count(*) from old_rows group by state;
    return null; end $$`.execute(db)
  await sql`create function order_state_deltas_upd () returns trigger language plpgsql as $$ begin
    insert into order_state_deltas (state, delta)
      select state, sum(d) from (select state, -1 as d from old_rows union all select state, 1 from new_rows) c
      group by state having sum(d) <> 0;
    return null; end $$`.execute(db)
  await sql`create function order_state_counts_truncate () returns trigger language plpgsql as $$ begin
    delete from order_state_deltas; delete from order_state_counts; return null; end $$`.execute(db)
  await sql`create trigger orders_state_ins after insert on orders referencing new table as new_rows for each statement execute function order_state_deltas_ins()`.execute(db)
  await sql`create trigger orders_state_del after delete on orders referencing old table as old_rows for each statement execute function order_state_deltas_del()`.execute(db)
  await sql`create trigger orders_state_upd after update on orders referencing old table as old_rows new table as new_rows for each statement execute function order_state_deltas_upd()`.execute(db)
  await sql`create trigger orders_state_truncate after truncate on orders for each statement execute function order_state_counts_truncate()`.execute(db)

  // Orders entering each state per closed hour (from the timeline's order.state rows and arrivals).
  await sql`create table console_state_hours (hour timestamptz not null, state text not null, entered integer not null, primary key (hour, state))`.execute(db)
  await sql`create index order_events_state_at_idx on order_events (at) where kind = 'order.state'`.execute(db)
  // Paid-to-shipped times per closed day and supplier, as a histogram of log-spaced buckets.
  await sql`create table console_ship_days (day date not null, supplier text not null, bucket smallint not null, shipments integer not null, primary key (day, supplier, bucket))`.execute(db)
  await sql`create index shipments_created_idx on shipments (created_at)`.execute(db)
}

export async function down (db: Kysely<any>): Promise<void> {
  await sql`drop table console_ship_days`.execute(db)
  await sql`drop index shipments_created_idx`.execute(db)
  await sql`drop index order_events_state_at_idx`.execute(db)
  await sql`drop table console_state_hours`.execute(db)
  for (const t of ['ins', 'del', 'upd', 'truncate']) await sql.raw(`drop trigger orders_state_${t} on orders`).execute(db)
  for (const f of ['order_state_deltas_ins', 'order_state_deltas_del', 'order_state_deltas_upd', 'order_state_counts_truncate']) await sql.raw(`drop function ${f}()`).execute(db)
  await sql`drop table order_state_deltas`.execute(db)
  await sql`drop table order_state_counts`.execute(db)
}
