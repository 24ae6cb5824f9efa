// The console's two pictures, read from rollups of closed periods plus a live
// count of the open one (migrations/2026-12-04T0100_console.ts). Closed periods
// do not change (timeline rows and shipments are stamped with our clock when
// written), so a reader fills what is missing once and every later reader
// reads a few hundred rows. The fill is idempotent (upserts of whole periods),
// so two readers filling at once do the same work, not wrong work.
import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'

const HOUR = 3_600_000
const DAY = 86_400_000

function floorTo (time: number, unit: number): number {
  return Math.floor(time / unit) * unit
}

// Orders entering a state in [from, to): arrivals (received) and the timeline's state changes.
const entriesSql = (from: Date, to: Date) => sql`
  select date_trunc('hour', created_at) as hour, 'received' as state, count(*)::int as entered from orders
    where created_at >= ${from} and created_at < ${to} group by 1
  union all
  select date_trunc('hour', at), data->>'to', count(*)::int from order_events
    where kind = 'order.state' and at >= ${from} and at < ${to} group by 1, 2`

export interface StateHour { readonly hour: Date, readonly state: string, readonly entered: number }

async function markOf (db: Db, name: string): Promise<number | undefined> {
  const row = await db.selectFrom('watermarks').select('at').where('name', '=', name).executeTakeFirst()
  return row?.at.getTime()
}

async function setMark (db: Db, name: string, at: Date): Promise<void> {
  await db.insertInto('watermarks').values({ name, at }).onConflict((oc) => oc.column('name').doUpdateSet({ at, updated_at: sql`now()` })).execute()
}

/** Orders entering each state per hour over the last `hours` hours (the current hour included, counted live). */
export async function stateEntriesPerHour (db: Db, now: Date, hours: number): Promise<StateHour[]> {
  const openHour = floorTo(now.getTime(), HOUR)
  const start = openHour - (hours - 1) * HOUR
  const mark = Math.max(await markOf(db, 'console.state_hours') ?? start, start)
  if (mark < openHour) {
    await sql`insert into console_state_hours (hour, state, entered) select hour, state, sum(entered) from (${entriesSql(new Date(mark), new Date(openHour))}) e group by 1, 2
      on conflict (hour, state) do update set entered = excluded.entered`.execute(db)
    await setMark(db, 'console.state_hours', new Date(openHour))
  }
  const { rows } = await sql<StateHour>`
    select hour, state, entered from console_state_hours where hour >= ${new Date(start)} and hour < ${new Date(openHour)}
    union all
    select hour, state, sum(entered)::int from (${entriesSql(new Date(openHour), new Date(openHour + HOUR))}) e group by 1, 2
    order by 1, 2`.execute(db)
  return rows.map((r) => ({ hour: new Date(r.hour), state: r.state, entered: Number(r.entered) }))
}

// Ship times as a histogram: bucket b holds times in [60·e^(b/10), 60·e^((b+1)/10)) seconds,
// each bucket about 10 % wide, so a percentile read from it is within about 5 % of the exact one.
const BUCKETS_PER_E = 10
const bucketSql = sql`greatest(0, floor(ln(greatest(extract(epoch from coalesce(sh.shipped_at, sh.created_at) - coalesce(o.shopify_created_at, o.created_at)), 60) / 60) * ${BUCKETS_PER_E}))::int`
const shipSql = (from: Date, to: Date) => sql`
  select date_trunc('day', sh.created_at at time zone 'UTC')::date as day, so.supplier, ${bucketSql} as bucket, count(*)::int as shipments
  from shipments sh join supplier_orders so on so.id = sh.supplier_order_id join orders o on o.id = so.order_id
  where sh.created_at >= ${from} and sh.created_at < ${to} group by 1, 2, 3`

export interface ShipWeek { readonly week: string, readonly supplier: string, readonly shipments: number, readonly p50Seconds: number, readonly p90Seconds: number }

function percentile (histogram: Map<number, number>, total: number, fraction: number): number {
  let seen = 0
  for (const bucket of [...histogram.keys()].sort((a, b) => a - b)) {
    seen += histogram.get(bucket) ?? 0
    if (seen >= fraction * total) return Math.round(60 * Math.exp((bucket + 0.5) / BUCKETS_PER_E))
  }
  return 0
}

/** Monday of the UTC week of `day` (YYYY-MM-DD). */
function weekOf (day: Date): string {
  const monday = new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY)
  return monday.toISOString().slice(0, 10)
}

/** Paid-to-shipped time per supplier and week (p50, p90), over the last `weeks` weeks, by the day the shipment was recorded. */
export async function shipTimesPerWeek (db: Db, now: Date, weeks: number): Promise<ShipWeek[]> {
  const openDay = floorTo(now.getTime(), DAY)
  const start = Date.parse(weekOf(new Date(openDay))) - (weeks - 1) * 7 * DAY
  const mark = Math.max(await markOf(db, 'console.ship_days') ?? start, start)
  if (mark < openDay) {
    await sql`insert into console_ship_days (day, supplier, bucket, shipments) ${shipSql(new Date(mark), new Date(openDay))}
      on conflict (day, supplier, bucket) do update set shipments = excluded.shipments`.execute(db)
    await setMark(db, 'console.ship_days', new Date(openDay))
  }
  const { rows } = await sql<{ day: string, supplier: string, bucket: number, shipments: number }>`
    select day::text as day, supplier, bucket, shipments from (
      select day, supplier, bucket, shipments from console_ship_days where day >= ${new Date(start)}::date and day < ${new Date(openDay)}::date
      union all ${shipSql(new Date(openDay), new Date(openDay + DAY))}) u`.execute(db)
  const groups = new Map<string, { week: string, supplier: string, total: number, histogram: Map<number, number> }>()
  for (const row of rows) {
    const week = weekOf(new Date(`${row.day}T00:00:00Z`))
    const key = `${week}|${row.supplier}`
    const group = groups.get(key) ?? { week, supplier: row.supplier, total: 0, histogram: new Map<number, number>() }
    group.total += Number(row.shipments)
    group.histogram.set(Number(row.bucket), (group.histogram.get(Number(row.bucket)) ?? 0) + Number(row.shipments))
    groups.set(key, group)
  }
  return [...groups.values()]
    .sort((a, b) => a.week.localeCompare(b.week) || a.supplier.localeCompare(b.supplier))
    .map((g) => ({ week: g.week, supplier: g.supplier, shipments: g.total, p50Seconds: percentile(g.histogram, g.total, 0.5), p90Seconds: percentile(g.histogram, g.total, 0.9) }))
}
