// The console at a million orders (issue 19): every /v1 query the console and
// the CLI make, p50/p99 over HTTP, on a database of SEED_ORDERS orders and on
// an empty one, with each query's plan checked for a sequential scan of a big
// table. `node bench/console.ts` alone, or `npm run bench -- --console`.
import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely'
import pg from 'pg'
import { buildApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import type { Database } from '../src/db/schema.ts'
import { createLogger } from '../src/lib/logger.ts'
import { createReadiness } from '../src/readiness.ts'
import { migrateAll } from '../src/service.ts'
import { freshDatabase, isMain, percentiles, printStandalone } from './bench-db.ts'
import { seedMillion, SEED_ORDERS } from './console-seed.ts'

const TOKEN = 'bench-console-token-0123456789'
const RUNS = 200
const BIG_TABLES = new Set(['orders', 'order_lines', 'supplier_orders', 'shipments', 'order_events', 'webhook_events'])

interface Measured { readonly name: string, readonly p50: number, readonly p99: number, readonly seqScans: string[], readonly queries: number, readonly firstMs: number }

function seqScansIn (plan: unknown, found: Set<string>): void {
  if (!plan || typeof plan !== 'object') return
  const node = plan as Record<string, unknown>
  if (node['Node Type'] === 'Seq Scan' && typeof node['Relation Name'] === 'string' && BIG_TABLES.has(node['Relation Name'])) found.add(node['Relation Name'])
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) for (const child of value) seqScansIn(child, found)
    else if (value && typeof value === 'object') seqScansIn(value, found)
  }
}

async function measure (url: string, paths: ReadonlyArray<readonly [string, string]>, log: (line: string) => void, notFoundOk = false): Promise<Measured[]> {
  const pool = new pg.Pool({ connectionString: url, max: 10 })
  let capture: CompiledQuery[] | undefined
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: (event) => { if (capture && event.level === 'query') capture.push(event.query) } })
  const config = loadConfig({ DATABASE_URL: url, OPS_API_TOKEN: TOKEN, LOG_LEVEL: 'silent' })
  const app = await buildApp({ config, db, boss: undefined, readiness: createReadiness({ db, workers: undefined, problems: () => [] }), logger: createLogger('silent') })
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const headers = { authorization: `Bearer ${TOKEN}` }
  const results: Measured[] = []
  try {
    for (const [name, path] of paths) {
      // The first request fills the rollups of closed periods (once after a start, then one hour or day
      // at a time): timed on its own. Then warm-up, then once with the queries captured for their plans.
      const firstStarted = performance.now()
      const first = await fetch(`${base}${path}`, { headers })
      if (!first.ok && !(notFoundOk && first.status === 404)) throw new Error(`${path}: ${first.status} ${await first.text()}`)
      await first.arrayBuffer()
      const firstMs = Math.round(performance.now() - firstStarted)
      for (let i = 0; i < 10; i++) await (await fetch(`${base}${path}`, { headers })).arrayBuffer()
      capture = []
      await (await fetch(`${base}${path}`, { headers })).arrayBuffer()
      const queries = capture
      capture = undefined
      const seq = new Set<string>()
      for (const q of queries) {
        if (!/^\s*(select|with|insert)/i.test(q.sql)) continue
        const plan = await pool.query(`explain (format json) ${q.sql}`, [...q.parameters])
        seqScansIn((plan.rows[0] as { 'QUERY PLAN': unknown })['QUERY PLAN'], seq)
      }
      const times: number[] = []
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now()
        await (await fetch(`${base}${path}`, { headers })).arrayBuffer()
        times.push(performance.now() - started)
      }
      const p = percentiles(times.map((ms) => ms * 10))
      results.push({ name, p50: p.p50 / 10, p99: p.p99 / 10, seqScans: [...seq], queries: queries.length, firstMs })
      log(`${name}: first ${firstMs} ms, p50 ${p.p50 / 10} ms, p99 ${p.p99 / 10} ms${seq.size ? `, SEQ SCAN of ${[...seq].join(', ')}` : ''}`)
    }
  } finally {
    await app.close()
    await db.destroy()
  }
  return results
}

async function samples (url: string, total: number): Promise<{ id: string, name: string, number: string, day: string }> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const number = String(Math.floor(total / 2) + 1000)
    const row = (await client.query<{ id: string, name: string }>('select id, name from orders where order_number = $1', [number])).rows[0]
    return { id: row?.id ?? '00000000-0000-4000-8000-000000000000', name: row?.name ?? `#${number}`, number, day: new Date(Date.now() - 200 * 86_400_000).toISOString().slice(0, 10) }
  } finally {
    await client.end()
  }
}

function pathsFor (s: { id: string, name: string, number: string, day: string }, cursor: string): Array<readonly [string, string]> {
  const from = `${s.day}T00:00:00Z`
  const to = new Date(Date.parse(from) + 30 * 86_400_000).toISOString()
  return [
    ['/v1/orders', '/v1/orders'],
    ['/v1/orders, page 2 (cursor)', `/v1/orders?cursor=${cursor}`],
    ['/v1/orders?state=needs_attention', '/v1/orders?state=needs_attention'],
    ['/v1/orders?state=held (rare)', '/v1/orders?state=held'],
    ['/v1/orders?state=fulfilled', '/v1/orders?state=fulfilled'],
    ['/v1/orders?supplier=printful', '/v1/orders?supplier=printful'],
    ['/v1/orders?supplier=none', '/v1/orders?supplier=none'],
    ['/v1/orders?stuck=true', '/v1/orders?stuck=true'],
    ['/v1/orders?stuck=false', '/v1/orders?stuck=false'],
    ['/v1/orders?createdAfter=&createdBefore= (30 days)', `/v1/orders?createdAfter=${encodeURIComponent(from)}&createdBefore=${encodeURIComponent(to)}`],
    ['/v1/orders?q=#n (name)', `/v1/orders?q=${encodeURIComponent(s.name)}`],
    ['/v1/orders?q=email', '/v1/orders?q=customer4242%40example.com'],
    ['/v1/orders?q=tracking number', `/v1/orders?q=9400${s.number}`],
    ['/v1/orders?state=&supplier=&createdAfter=', `/v1/orders?state=needs_attention&supplier=printify&createdAfter=${encodeURIComponent(from)}`],
    ['/v1/orders/:ref (name)', `/v1/orders/${encodeURIComponent(s.name)}`],
    ['/v1/orders/:ref (id)', `/v1/orders/${s.id}`],
    ['/v1/orders/:ref/links', `/v1/orders/${s.id}/links`],
    ['/v1/stats', '/v1/stats'],
    ['/v1/overview (stuck list, reconciliation)', '/v1/overview'],
    ['/v1/stats/state-entries (7 days)', '/v1/stats/state-entries'],
    ['/v1/stats/ship-times (12 weeks)', '/v1/stats/ship-times'],
    ['/v1/orders/needs-attention/count', '/v1/orders/needs-attention/count'],
    ['/v1/orders/needs-attention/count?supplier=printful', '/v1/orders/needs-attention/count?supplier=printful'],
    ['/v1/webhooks', '/v1/webhooks'],
    ['/v1/webhooks?status=failed', '/v1/webhooks?status=failed'],
    ['/v1/mappings', '/v1/mappings'],
    ['/v1/session', '/v1/session']
  ]
}

async function firstCursor (url: string): Promise<string> {
  const pool = new pg.Pool({ connectionString: url, max: 1 })
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  const config = loadConfig({ DATABASE_URL: url, OPS_API_TOKEN: TOKEN, LOG_LEVEL: 'silent' })
  const app = await buildApp({ config, db, boss: undefined, readiness: createReadiness({ db, workers: undefined, problems: () => [] }), logger: createLogger('silent') })
  try {
    const res = await app.inject({ url: '/v1/orders', headers: { authorization: `Bearer ${TOKEN}` } })
    return (res.json<{ nextCursor: string | null }>().nextCursor) ?? 'eA'
  } finally {
    await app.close()
    await db.destroy()
  }
}

export async function benchConsole (serverUrl: string, log: (line: string) => void, total = Number(process.env.BENCH_CONSOLE_ORDERS ?? SEED_ORDERS)): Promise<string> {
  const logger = createLogger('silent')
  const big = await freshDatabase(serverUrl, 'bench_console_big')
  const empty = await freshDatabase(serverUrl, 'bench_console_empty')
  try {
    for (const d of [big, empty]) await migrateAll(d.url, loadConfig({ DATABASE_URL: d.url, LOG_LEVEL: 'silent' }), logger)
    const started = Date.now()
    await seedMillion(big.url, total, log)
    const seedSeconds = (Date.now() - started) / 1000
    const bigSamples = await samples(big.url, total)
    const bigRows = await measure(big.url, pathsFor(bigSamples, await firstCursor(big.url)), log)
    const emptyRows = await measure(empty.url, pathsFor(await samples(empty.url, total), Buffer.from('2026-01-01T00:00:00.000000Z|00000000-0000-4000-8000-000000000000').toString('base64url')), log, true)
    return render(total, seedSeconds, bigRows, emptyRows)
  } finally {
    await big.drop()
    await empty.drop()
  }
}

function render (total: number, seedSeconds: number, big: Measured[], empty: Measured[]): string {
  const worst = Math.max(...big.map((r) => r.p99))
  const scans = big.filter((r) => r.seqScans.length > 0)
  const rows = big.map((r, i) => `| ${r.name.replace(/\|/g, '\\|')} | ${r.p50} | ${r.p99} | ${empty[i]?.p50 ?? ''} | ${empty[i]?.p99 ?? ''} | ${r.firstMs} | ${r.queries} | ${r.seqScans.length ? `**seq scan: ${r.seqScans.join(', ')}**` : 'none'} |`)
  return `
## Console at a million orders (issue 19)

\`bench/console.ts\` (\`npm run bench -- --console\`, or \`node bench/console.ts\`): ${total.toLocaleString('en')} orders seeded in SQL
(${seedSeconds.toFixed(0)} s) with their lines, supplier orders, shipments, timelines and webhook deliveries over 400 days;
the mix is in \`bench/console-seed.ts\` (about 90 % fulfilled, 5 % in production, 3 % submitted, 1 % needs attention, 1 % others,
80 stuck). Each route is asked ${RUNS} times in a row over HTTP on loopback after a first request (timed on its own: it fills the
rollups of closed hours and days, which later requests only extend) and 10 warm-up requests, the service built by
\`buildApp\` in the bench's process. "Plan" runs EXPLAIN on every SQL statement one warm request ran and names any sequential scan of orders, order_lines, supplier_orders,
shipments, order_events or webhook_events. Beside: the same routes on an empty, migrated database.

| route | p50 ms | p99 ms | empty: p50 ms | empty: p99 ms | first request ms | statements | plan at ${total.toLocaleString('en')} |
|---|---|---|---|---|---|---|---|
${rows.join('\n')}

- Worst p99 at ${total.toLocaleString('en')} orders: **${worst} ms** (target ≤ 20 ms: ${worst <= 20 ? 'met' : 'NOT met'}).
- Sequential scans of a big table: ${scans.length === 0 ? '**none**' : scans.map((r) => r.name).join(', ')}.
- Orders per state come from \`order_state_counts\` plus the deltas appended by each statement on \`orders\` (no row is
  updated by intake; a reader folds the deltas), so \`/v1/stats\` reads a handful of rows, not the table.
`
}

if (isMain(import.meta.url)) await printStandalone(benchConsole)
