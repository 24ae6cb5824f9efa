// The bridge's promises (DESIGN.md rules 1-3 and the state model), checked
// against the database alone: what `pod-bridge check` runs for ops against a
// production database, and what the tests and the chaos run end with. It only
// reads. What the database cannot show (a delivery acknowledged but never
// stored, a second order at a supplier, a second fulfillment in Shopify) is
// compared against the simulators' logs by the test-only witness layer
// (test/helpers/witness.ts).
//
// A live bridge has work in flight: a line not yet routed or an order not yet
// read is explained by its queued job, so only what nothing will ever fix is
// reported. At most one supplier order per external id is the database's own
// unique key (supplier_orders.external_id), so it is not re-checked here.
import { sql, type RawBuilder } from 'kysely'
import type { Db } from '../db/database.ts'

/** The database's kinds, then the witness layer's (acknowledged but not stored, a second order at a supplier, a second fulfillment in the store). */
export type FindingKind =
  | 'event_without_order' | 'event_order_unsynced' | 'line_unplaced' | 'line_placed_twice' | 'line_undecided' | 'line_without_reason'
  | 'double_fulfillment' | 'stale_overwrite' | 'state_without_reason'
  | 'webhook_not_stored' | 'duplicate_supplier_order' | 'double_fulfillment_in_store'

export interface Finding {
  readonly kind: FindingKind
  readonly orderId?: string
  readonly detail: string
}

export interface CheckOptions {
  /** pg-boss's schema, where queued jobs explain work in flight (default pgboss, src/jobs/boss.ts). */
  readonly bossSchema?: string
}

const liveJobStates = `('created', 'retry', 'active')`

export async function checkInvariants (db: Db, options: CheckOptions = {}): Promise<Finding[]> {
  const boss = sql.id(options.bossSchema ?? 'pgboss')
  const queued = (queue: string, key: RawBuilder<unknown>): RawBuilder<boolean> =>
    sql`exists (select 1 from ${boss}.job j where j.name = ${queue} and j.state in ${sql.raw(liveJobStates)} and j.singleton_key = (${key})::text)`
  const findings: Finding[] = []
  const add = (kind: FindingKind, rows: { order_id?: string | null, detail: string }[]): void => {
    for (const row of rows) findings.push({ kind, ...(row.order_id ? { orderId: row.order_id } : {}), detail: row.detail })
  }

  // Rule 1: an acknowledged order delivery left its order, read or about to be.
  add('event_without_order', (await sql<{ detail: string }>`
    select 'shopify ' || e.topic || ' delivery ' || e.dedupe_key || ' (event ' || e.id || ') has no order' as detail
    from webhook_events e
    where e.source = 'shopify' and e.topic like 'orders/%' and e.topic <> 'orders/edited' and e.status not in ('ignored', 'redacted')
      and (e.order_id is null or not exists (select 1 from orders o where o.id = e.order_id))`.execute(db)).rows)
  add('event_order_unsynced', (await sql<{ order_id: string, detail: string }>`
    select o.id as order_id, 'order ' || coalesce(o.name, o.shopify_order_id) || ' was acknowledged but never read and has no order.sync job' as detail
    from orders o
    where o.synced_at is null and exists (select 1 from webhook_events e where e.order_id = o.id and e.status not in ('ignored', 'redacted'))
      and not ${queued('order.sync', sql.ref('o.shopify_order_id'))}`.execute(db)).rows)

  // Rule 2 and routing: each routed line of a live order is on live supplier orders, once.
  const lines = (await sql<{ order_id: string, line: string, quantity: number, placed: number, order_state: string, order_reason: string | null, route_queued: boolean }>`
    select l.order_id, coalesce(l.sku, l.title, l.shopify_line_item_id) as line, l.quantity, o.state as order_state, o.state_reason as order_reason,
      coalesce((select sum(sol.quantity) from supplier_order_lines sol join supplier_orders so on so.id = sol.supplier_order_id
                where sol.order_line_id = l.id and so.state <> 'cancelled'), 0)::int as placed,
      ${queued('order.route', sql.ref('o.id'))} or ${queued('order.sync', sql.ref('o.shopify_order_id'))} as route_queued
    from order_lines l join orders o on o.id = l.order_id
    where l.state = 'routed' and o.cancelled_at is null and o.cancelled_locally_at is null`.execute(db)).rows
  for (const l of lines) {
    const name = `line ${l.line} of order ${l.order_id}`
    if (l.placed > l.quantity) findings.push({ kind: 'line_placed_twice', orderId: l.order_id, detail: `${name}: ${l.placed} on live supplier orders for a quantity of ${l.quantity}` })
    const explained = l.route_queued || ((l.order_state === 'needs_attention' || l.order_state === 'held') && l.order_reason !== null)
    if (l.placed === 0 && !explained) findings.push({ kind: 'line_unplaced', orderId: l.order_id, detail: `${name} is routed but on no live supplier order, and the order (${l.order_state}) says nothing of it` })
  }
  add('line_undecided', (await sql<{ order_id: string, detail: string }>`
    select l.order_id, 'line ' || coalesce(l.sku, l.title, l.shopify_line_item_id) || ' of order ' || l.order_id || ' is still undecided and no order.sync or order.route job is queued' as detail
    from order_lines l join orders o on o.id = l.order_id
    where l.state = 'pending' and o.cancelled_at is null and o.cancelled_locally_at is null and o.state not in ('pending_payment', 'held', 'cancelled', 'needs_attention')
      and not ${queued('order.route', sql.ref('o.id'))} and not ${queued('order.sync', sql.ref('o.shopify_order_id'))}`.execute(db)).rows)
  add('line_without_reason', (await sql<{ order_id: string, detail: string }>`
    select l.order_id, 'line ' || coalesce(l.sku, l.title, l.shopify_line_item_id) || ' of order ' || l.order_id || ' is ' || l.state || ' with no reason' as detail
    from order_lines l where l.state in ('skipped', 'unroutable') and l.reason is null`.execute(db)).rows)

  // A parcel goes to Shopify once per fulfillment order: a second fulfillment for one (shipment, fulfillment order) is a double.
  add('double_fulfillment', (await sql<{ order_id: string, detail: string }>`
    select so.order_id, 'shipment ' || sh.id || ' (' || coalesce(sh.tracking_number, 'no tracking') || ') was written ' || count(*) || ' times to fulfillment order ' || f.fulfillment_order_id || ': ' || string_agg(f.shopify_fulfillment_id, ', ') as detail
    from shipment_fulfillments f join shipments sh on sh.id = f.shipment_id join supplier_orders so on so.id = sh.supplier_order_id
    group by so.order_id, sh.id, sh.tracking_number, f.fulfillment_order_id having count(*) > 1`.execute(db)).rows)

  // Rule 3: observations are appended in the order of the supplier's clock, and the row keeps the newest.
  add('stale_overwrite', (await sql<{ order_id: string, detail: string }>`
    with obs as (
      select e.id, e.order_id, e.supplier_order_id, e.kind, (e.data->>'observedAt')::timestamptz as observed_at,
        max((e.data->>'observedAt')::timestamptz) over (partition by e.supplier_order_id order by e.id rows between unbounded preceding and 1 preceding) as newest_before
      from order_events e where e.supplier_order_id is not null and e.kind like 'supplier.%' and e.data ? 'observedAt')
    select order_id, 'supplier order ' || supplier_order_id || ': ' || kind || ' observed at ' || observed_at || ' was applied after an observation of ' || newest_before as detail
    from obs where observed_at < newest_before
    union all
    select so.order_id, 'supplier order ' || so.external_id || ' keeps ' || coalesce(so.supplier_status, 'no status') || ' observed at ' || coalesce(so.supplier_updated_at::text, 'never') || ', older than its observation at ' || max(obs.observed_at) as detail
    from supplier_orders so join obs on obs.supplier_order_id = so.id
    group by so.id having so.supplier_updated_at is null or so.supplier_updated_at < max(obs.observed_at)`.execute(db)).rows)

  // Every order not done says why it waits.
  add('state_without_reason', (await sql<{ order_id: string, detail: string }>`
    select id as order_id, 'order ' || coalesce(name, shopify_order_id) || ' is ' || state || ' with no reason' as detail
    from orders where state in ('needs_attention', 'held', 'pending_payment') and state_reason is null
    union all
    select order_id, 'supplier order ' || external_id || ' is ' || state || ' with no reason' as detail
    from supplier_orders where state in ('needs_attention', 'held') and reason is null`.execute(db)).rows)
  return findings
}

export function formatFindings (findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.kind}: ${f.detail}`)
}
