// A million orders in SQL, in chunks, with their lines, supplier orders,
// shipments, timelines and webhook deliveries, over 400 days. The mix (by the
// order's number n, newest last):
// - 1 % needs_attention (n % 100 = 0), spread over every age, the reason a supplier 503;
// - 1 % others (n % 100 = 1): cancelled, and among the newest 100,000 also shipped,
//   partially_shipped and held;
// - the newest 3 % submitted, the next 5 % in_production (both moved into their state within
//   the last 2 days), and among them 1 in 1,000 stuck (moved 8 to 28 days ago);
// - the rest (about 90 %) fulfilled, shipped 2 to 7 days after they were paid.
// Every order has a line (30 % two; 2 % of lines the merchant's own, supplier none), one supplier
// order (60 % Printful, 40 % Printify), a webhook delivery and 3 to 7 timeline rows.
import pg from 'pg'

export const SEED_ORDERS = 1_000_000

const orders = (from: number, to: number, total: number) => `
insert into orders (shop, shopify_order_id, name, order_number, email, state, state_reason, state_changed_at, financial_status, created_at, updated_at, shopify_created_at)
select 'bench-store.myshopify.com', 'gid://shopify/Order/' || (5000000000 + g), '#' || (1000 + g), (1000 + g)::text,
  'customer' || (g % 50000) || '@example.com', s.state,
  case when s.state = 'needs_attention' then 'printful order pb-' || (1000 + g) || '-f1: Printful: 503 Service Unavailable' end,
  case
    when s.state in ('submitted', 'in_production') and g % 1000 = 7 then now() - (8 + (g % 20)) * interval '1 day'
    when s.state in ('submitted', 'in_production', 'shipped', 'partially_shipped', 'held') then greatest(c.at, now() - (g % 2880) * interval '1 minute')
    else least(c.at + interval '5 days', now()) end,
  'paid', c.at, least(c.at + interval '5 days', now()), c.at - interval '2 minutes'
from generate_series(${from}, ${to}) g
cross join lateral (select now() - ((${total} - g)::float8 / ${total}) * interval '400 days' - (g % 600) * interval '1 second' as at) c
cross join lateral (select case
  when g % 100 = 0 then 'needs_attention'
  when g % 100 = 1 then case when ${total} - g < 100000 then (array['shipped', 'partially_shipped', 'held', 'cancelled'])[1 + (g / 100) % 4] else 'cancelled' end
  when ${total} - g < 30000 then 'submitted'
  when ${total} - g < 80000 then 'in_production'
  else 'fulfilled' end as state) s`

const lines = (from: number, to: number) => `
insert into order_lines (order_id, shopify_line_item_id, variant_id, sku, title, quantity, routable_quantity, supplier, state, created_at, updated_at)
select o.id, 'gid://shopify/LineItem/' || (o.order_number::bigint * 10 + k), 'gid://shopify/ProductVariant/' || (40000 + (o.order_number::bigint + k) % 300),
  'SKU-' || ((o.order_number::bigint + k) % 300), 'Product ' || ((o.order_number::bigint + k) % 300), 1, 1,
  case when (o.order_number::bigint + k) % 50 = 0 then 'none' when (o.order_number::bigint / 7) % 5 < 3 then 'printful' else 'printify' end,
  'routed', o.created_at, o.created_at
from orders o cross join lateral generate_series(1, case when o.order_number::bigint % 10 < 3 then 2 else 1 end) k
where o.order_number::bigint between ${from + 1000} and ${to + 1000}`

const supplierOrders = (from: number, to: number) => `
insert into supplier_orders (order_id, supplier, external_id, supplier_order_id, state, reason, supplier_status, attempts, submitted_at, created_at, updated_at, last_error)
select o.id, case when (o.order_number::bigint / 7) % 5 < 3 then 'printful' else 'printify' end,
  'pb-' || o.order_number || case when (o.order_number::bigint / 7) % 5 < 3 then '-f1' else '-y1' end,
  case when o.state in ('held', 'needs_attention') then null else (70000000 + o.order_number::bigint)::text end,
  case o.state when 'needs_attention' then 'needs_attention' when 'cancelled' then 'cancelled' when 'held' then 'held' else 'submitted' end,
  case when o.state = 'needs_attention' then 'Printful: 503 Service Unavailable' end,
  case o.state when 'fulfilled' then 'shipped' when 'shipped' then 'shipped' when 'partially_shipped' then 'partially_shipped' when 'in_production' then 'in_production' when 'submitted' then 'pending' end,
  1, o.created_at + interval '5 minutes', o.created_at, o.state_changed_at,
  case when o.state = 'needs_attention' then '503 Service Unavailable' end
from orders o where o.order_number::bigint between ${from + 1000} and ${to + 1000}`

const shipments = (from: number, to: number) => `
insert into shipments (supplier_order_id, dedupe_key, supplier_shipment_id, carrier, tracking_number, tracking_url, status, shipped_at, created_at, updated_at, shopify_sync_state)
select so.id, 'ship-' || o.order_number, 's' || o.order_number, 'USPS', '9400' || o.order_number,
  'https://tools.usps.com/go/TrackConfirmAction?tLabels=9400' || o.order_number, 'shipped', x.at, x.at + interval '10 minutes', x.at + interval '10 minutes',
  case when o.state = 'fulfilled' then 'synced' else 'pending' end
from orders o join supplier_orders so on so.order_id = o.id
cross join lateral (select least(o.created_at + (2 + (o.order_number::bigint % 120) / 24.0) * interval '1 day', now() - interval '1 hour') as at) x
where o.state in ('fulfilled', 'shipped', 'partially_shipped') and o.order_number::bigint between ${from + 1000} and ${to + 1000}`

// The timeline: arrival, sync, then each state the order went through.
const events = (from: number, to: number) => `
insert into order_events (order_id, at, kind, actor, detail, data)
select o.id, least(o.created_at + e.after, now()), e.kind, 'system', e.detail, case when e.kind = 'order.state' then jsonb_build_object('from', e.from_state, 'to', e.to_state) end
from orders o cross join (values
  (0, interval '0', 'webhook.received', 'orders/create', null, null),
  (0, interval '5 seconds', 'order.synced', 'read from Shopify', null, null),
  (1, interval '5 minutes', 'order.state', 'received → submitted', 'received', 'submitted'),
  (2, interval '9 hours', 'order.state', 'submitted → in_production', 'submitted', 'in_production'),
  (3, interval '3 days', 'order.state', 'in_production → shipped', 'in_production', 'shipped'),
  (4, interval '3 days 10 minutes', 'order.state', 'shipped → fulfilled', 'shipped', 'fulfilled')
) e(stage, after, kind, detail, from_state, to_state)
where o.order_number::bigint between ${from + 1000} and ${to + 1000}
  and e.stage <= case o.state when 'fulfilled' then 4 when 'shipped' then 3 when 'partially_shipped' then 3 when 'in_production' then 2 when 'submitted' then 1 else 0 end`

const webhooks = (from: number, to: number) => `
insert into webhook_events (source, shop, topic, dedupe_key, event_id, webhook_id, received_at, raw_body, status, order_id)
select 'shopify', o.shop, 'orders/create', 'ev-' || o.order_number, 'ev-' || o.order_number, 'wh-' || o.order_number, o.created_at,
  convert_to('{"id":' || (5000000000 + o.order_number::bigint - 1000) || '}', 'UTF8'), case when o.order_number::bigint % 1000 = 3 then 'failed' else 'processed' end, o.id
from orders o where o.order_number::bigint between ${from + 1000} and ${to + 1000}`

export async function seedMillion (url: string, total: number, log: (line: string) => void): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const chunk = 100_000
    for (let from = 1; from <= total; from += chunk) {
      const to = Math.min(total, from + chunk - 1)
      const started = Date.now()
      await client.query('begin')
      for (const statement of [orders(from, to, total), lines(from, to), supplierOrders(from, to), shipments(from, to), events(from, to), webhooks(from, to)]) await client.query(statement)
      await client.query('commit')
      log(`seeded orders ${from}-${to} in ${((Date.now() - started) / 1000).toFixed(0)} s`)
    }
    await client.query('vacuum analyze')
  } finally {
    await client.end()
  }
}
