// A submission backlog against a supplier's rate limit (issue: "600 orders
// queued, simulator limit scaled down, two worker processes"). 600 routed
// orders wait as pending supplier orders with their supplier.submit jobs; two
// real worker processes (`pod-bridge start --role worker`) share one Postgres
// rate budget and drain them into the Printful simulator, whose limit is
// raised (360 a minute) so that the run takes under two minutes. Measured at
// the simulator: how fast the 600 arrive, how many requests were answered
// 429, whether any order arrived twice. Baselines, same run: the allowed rate
// itself (limit / window) as the ceiling, and a naive client that sends the
// same 600 straight to a fresh simulator as fast as it can, one at a time,
// sleeping for Retry-After on each 429 (what a simple integration does).
//
// Standalone: `node bench/backlog.ts` prints the section (BENCH_DATABASE_URL
// or an embedded Postgres; BACKLOG_ORDERS, BACKLOG_LIMIT, BACKLOG_WINDOW_MS
// change the scenario).
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/db/database.ts'
import { createBoss, sendJob } from '../src/queue/boss.ts'
import { isAppError } from '../src/lib/errors.ts'
import { createLogger } from '../src/lib/logger.ts'
import { migrateAll } from '../src/service.ts'
import { printfulSimDefaults, startPrintfulSimulator } from '../src/sim/printful/index.ts'
import type { LoggedRequest } from '../src/sim/common/request-log.ts'
import { PrintfulSupplier } from '../src/suppliers/printful/supplier.ts'
import type { SupplierOrderDraft } from '../src/suppliers/common/supplier.ts'
import { bucketShape } from '../src/suppliers/budget.ts'
import { freshDatabase, isMain, printStandalone } from './bench-db.ts'

const here = path.dirname(fileURLToPath(import.meta.url))
const cli = path.join(here, '..', 'src', 'cli.ts')

export interface BacklogScenario {
  readonly orders: number
  /** The simulator's limit: `limit` requests per fixed window of `windowMs`. */
  readonly limit: number
  readonly windowMs: number
  readonly workers: number
}

interface RunFigures {
  /** First submission request → the last order accepted, in seconds. */
  readonly seconds: number
  readonly accepted: number
  /** Every request the simulator saw from this client (submissions, look-ups, the start-up store check). */
  readonly requests: number
  readonly rateLimited: number
  /** Orders present more than once per external_id, and creations refused as a reused external_id (OR-13). */
  readonly duplicates: number
  readonly duplicateAttempts: number
}

export interface BacklogReport {
  readonly scenario: BacklogScenario
  readonly allowedPerSecond: number
  readonly bridge: RunFigures & {
    readonly jobsFailed: number
    /** supplier.submit jobs run (completed or failed): one per order, plus every reschedule for want of a token. */
    readonly jobRuns: number
    /** Supplier orders still pending at the end, and how many of them have no queued job (lost work). */
    readonly leftPending: number
    readonly leftWithoutJob: number
    readonly needsAttention: number
    readonly startupSeconds: number
  }
  readonly naive: RunFigures
}

const defaults: BacklogScenario = {
  orders: Number(process.env.BACKLOG_ORDERS ?? 600),
  limit: Number(process.env.BACKLOG_LIMIT ?? 360),
  windowMs: Number(process.env.BACKLOG_WINDOW_MS ?? 60_000),
  workers: 2
}

function draft (externalId: string, n: number): SupplierOrderDraft {
  return {
    externalId,
    label: `#${10_000 + n}`,
    recipient: { name: 'Jane Doe', address1: '19749 Dearborn St', city: 'Chatsworth', stateCode: 'CA', countryCode: 'US', zip: '91311', email: 'jane@example.com' },
    items: [{ lineRef: 'line-1', quantity: 1, retailPrice: '25.00', ref: { syncVariantId: '4001' } }],
    test: false
  }
}

/** What the simulator's request log and order list say about one run. */
function figures (requests: readonly LoggedRequest[], orders: readonly { external_id: string | null }[]): RunFigures {
  const creations = requests.filter((r) => r.method === 'POST' && r.path === '/orders')
  const first = creations[0]
  const accepted = creations.filter((r) => r.status === 200)
  const last = accepted.at(-1)
  const perExternalId = new Map<string, number>()
  for (const order of orders) if (order.external_id) perExternalId.set(order.external_id, (perExternalId.get(order.external_id) ?? 0) + 1)
  return {
    seconds: first && last ? (Date.parse(last.at) - Date.parse(first.at)) / 1000 : Number.NaN,
    accepted: accepted.length,
    requests: requests.length,
    rateLimited: requests.filter((r) => r.status === 429).length,
    duplicates: [...perExternalId.values()].filter((n) => n > 1).length,
    // The simulator refuses a reused external_id (as Printful does): a second creation shows up as a 400.
    duplicateAttempts: creations.filter((r) => r.status === 400).length
  }
}

interface Worker { readonly child: ChildProcess, readonly exited: Promise<void>, output (): string }

function spawnWorker (env: NodeJS.ProcessEnv, name: string, log: (line: string) => void): Worker {
  const child = spawn(process.execPath, [cli, 'start', '--role', 'worker'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  // The last of what it logged, for a failure message.
  let tail = ''
  const keep = (chunk: Buffer): void => { tail = (tail + chunk.toString()).slice(-4000) }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const exited = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      if (code !== 0 && signal !== 'SIGTERM') log(`${name} exited (${String(code ?? signal)}): ${tail}`)
      resolve()
    })
  })
  return { child, exited, output: () => tail }
}

/**
 * Polls `progress` until it reaches `target`; gives up when it has not moved
 * for `stallMs` (work lost or stuck: the report says how far it got).
 */
async function waitForProgress (progress: () => Promise<number>, target: number, stallMs: number, check: () => void): Promise<number> {
  let last = -1
  let movedAt = Date.now()
  for (;;) {
    check()
    const now = await progress()
    if (now >= target) return now
    if (now !== last) { last = now; movedAt = Date.now() }
    if (Date.now() - movedAt > stallMs) return now
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

/** The bridge: seeded backlog, two worker processes, one shared budget. */
async function runBridge (databaseUrl: string, scenario: BacklogScenario, log: (line: string) => void): Promise<BacklogReport['bridge']> {
  const printful = await startPrintfulSimulator({ host: '127.0.0.1', port: 0 })
  printful.control.setRateLimit({ limit: scenario.limit, windowMs: scenario.windowMs })
  const perMinute = Math.round(scenario.limit * 60_000 / scenario.windowMs)
  const env = {
    DATABASE_URL: databaseUrl, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn',
    PRINTFUL_API_URL: printful.url, PRINTFUL_API_TOKEN: printfulSimDefaults.token, PRINTFUL_STORE_ID: String(printfulSimDefaults.storeId),
    // The budget is told the simulator's limit, as an operator sets the documented one.
    PRINTFUL_RATE_PER_MINUTE: String(perMinute)
  }
  const config = loadConfig(env)
  const logger = createLogger('warn')
  await migrateAll(databaseUrl, config, logger)
  const handle = openDatabase(databaseUrl, { max: 4, applicationName: 'bench-backlog' })
  const boss = createBoss({ url: databaseUrl, jobs: config.jobs, maintenance: false })
  boss.on('error', () => {})
  const workers: Worker[] = []
  try {
    await boss.start()
    // The backlog as the router leaves it: a routed order, its pending supplier
    // order with the draft, and its supplier.submit job (singleton per supplier
    // order, as src/orders/routing/supplier-order-writer.ts sends it). Seeded directly,
    // not through Shopify and the router: those are not what is measured.
    log(`backlog: seeding ${scenario.orders} pending Printful orders`)
    const ids: string[] = []
    for (let n = 0; n < scenario.orders; n += 100) {
      await handle.db.transaction().execute(async (trx) => {
        for (let i = n; i < Math.min(scenario.orders, n + 100); i++) {
          const order = await trx.insertInto('orders').values({
            shop: 'bench-backlog.myshopify.com', shopify_order_id: `gid://shopify/Order/${900_000_000 + i}`, name: `#${10_000 + i}`, state: 'received'
          }).returning('id').executeTakeFirstOrThrow()
          const externalId = `pb-${900_000_000 + i}-f1`
          const row = await trx.insertInto('supplier_orders').values({
            order_id: order.id, supplier: 'printful', external_id: externalId, state: 'pending', draft: JSON.stringify(draft(externalId, i))
          }).returning('id').executeTakeFirstOrThrow()
          ids.push(row.id)
        }
      })
    }
    for (const id of ids) await sendJob(boss, 'supplier.submit', { supplierOrderId: id })

    const started = performance.now()
    log(`backlog: ${scenario.workers} worker processes, Printful simulator at ${scenario.limit} per ${scenario.windowMs / 1000} s, PRINTFUL_RATE_PER_MINUTE=${perMinute}`)
    for (let w = 0; w < scenario.workers; w++) workers.push(spawnWorker({ ...process.env, ...env }, `worker ${w + 1}`, log))
    const submitted = async (): Promise<number> => Number((await handle.db.selectFrom('supplier_orders').select((eb) => eb.fn.countAll<string>().as('n')).where('state', '=', 'submitted').executeTakeFirstOrThrow()).n)
    // Stalled: nothing submitted for three windows, far longer than any wait the budget or a Retry-After asks for.
    const done = await waitForProgress(submitted, scenario.orders, Math.max(30_000, 3 * scenario.windowMs), () => {
      const dead = workers.find((w) => w.child.exitCode !== null)
      if (dead) throw new Error(`backlog bench: a worker process exited:\n${dead.output()}`)
    })
    if (done < scenario.orders) log(`backlog: stalled at ${done} of ${scenario.orders} submitted`)
    const firstRequest = printful.control.requests({ method: 'POST', path: '/orders' })[0]
    const startupSeconds = firstRequest ? (Date.parse(firstRequest.at) - (performance.timeOrigin + started)) / 1000 : Number.NaN
    const jobs = (await sql<{ failed: string, runs: string, pending: string }>`select count(*) filter (where state = 'failed') as failed,
      count(*) filter (where state in ('completed', 'failed')) as runs,
      count(*) filter (where state in ('created', 'retry', 'active')) as pending
      from pgboss.job where name = 'supplier.submit'`.execute(handle.db)).rows[0]
    const leftPending = Number((await handle.db.selectFrom('supplier_orders').select((eb) => eb.fn.countAll<string>().as('n')).where('state', 'in', ['pending', 'submitting']).executeTakeFirstOrThrow()).n)
    const needsAttention = Number((await handle.db.selectFrom('supplier_orders').select((eb) => eb.fn.countAll<string>().as('n')).where('state', '=', 'needs_attention').executeTakeFirstOrThrow()).n)
    return {
      ...figures(printful.control.requests(), printful.control.orders()),
      jobsFailed: Number(jobs?.failed), jobRuns: Number(jobs?.runs), leftPending, leftWithoutJob: Math.max(0, leftPending - Number(jobs?.pending)), needsAttention, startupSeconds
    }
  } finally {
    for (const w of workers) w.child.kill('SIGTERM')
    await Promise.all(workers.map((w) => w.exited))
    await boss.stop({ graceful: false, close: true })
    await handle.close()
    await printful.close()
  }
}

/** The naive client: the same orders, one request at a time, sleeping Retry-After on a 429. */
async function runNaive (scenario: BacklogScenario): Promise<RunFigures> {
  const printful = await startPrintfulSimulator({ host: '127.0.0.1', port: 0 })
  printful.control.setRateLimit({ limit: scenario.limit, windowMs: scenario.windowMs })
  const client = new PrintfulSupplier({ apiUrl: printful.url, token: printfulSimDefaults.token, storeId: String(printfulSimDefaults.storeId), timeoutMs: 10_000 })
  try {
    for (let i = 0; i < scenario.orders; i++) {
      const externalId = `pb-${900_000_000 + i}-f1`
      for (;;) {
        try {
          await client.submit(draft(externalId, i), { confirm: true })
          break
        } catch (err) {
          if (!isAppError(err) || err.code !== 'upstream_rate_limited') throw err
          await new Promise((resolve) => setTimeout(resolve, err.retryAfterMs ?? 1000))
        }
      }
    }
    return figures(printful.control.requests(), printful.control.orders())
  } finally {
    await printful.close()
  }
}

/** Runs the scenario on a fresh database of the server at `serverUrl`, dropped afterwards. */
export async function benchBacklog (serverUrl: string, log: (line: string) => void, scenario: BacklogScenario = defaults): Promise<BacklogReport> {
  const database = await freshDatabase(serverUrl, 'bench_backlog')
  try {
    const bridge = await runBridge(database.url, scenario, log)
    log(`backlog: bridge done in ${bridge.seconds.toFixed(1)} s; naive client next`)
    const naive = await runNaive(scenario)
    return { scenario, allowedPerSecond: scenario.limit / (scenario.windowMs / 1000), bridge, naive }
  } finally {
    await database.drop()
  }
}

export function renderBacklog (r: BacklogReport): string {
  const { scenario: s } = r
  const rate = (x: RunFigures): number => x.accepted / x.seconds
  const pct = (x: RunFigures): string => `${(100 * x.rateLimited / x.requests).toFixed(2)} %`
  const row = (name: string, x: RunFigures): string =>
    `| ${name} | ${x.accepted} | ${x.seconds.toFixed(1)} | ${rate(x).toFixed(2)} | ${(rate(x) / r.allowedPerSecond).toFixed(3)} | ${x.requests} | ${x.rateLimited} (${pct(x)}) | ${x.duplicates} / ${x.duplicateAttempts} |`
  const ratio = rate(r.bridge) / r.allowedPerSecond
  const burst = bucketShape({ perMinute: Math.round(s.limit * 60_000 / s.windowMs) })
  const tenSecond = bucketShape({ perMinute: 360 })
  const share = r.bridge.rateLimited / r.bridge.requests
  return `
## Submission backlog under a supplier rate limit

${s.orders} routed orders queued as pending Printful supplier orders with their \`supplier.submit\` jobs
(seeded straight into Postgres, not through Shopify and the router), drained by ${s.workers} worker processes
(\`pod-bridge start --role worker\`, real child processes sharing one Postgres rate budget) into the Printful
simulator. Its limit is **${s.limit} requests per ${s.windowMs / 1000} s**, a fixed window answered 429 with
Retry-After = seconds to the window's end (Printful v1: a budget refilled fully every minute), and
\`PRINTFUL_RATE_PER_MINUTE\` says the same (${Math.round(s.limit * 60_000 / s.windowMs)}). The limit is raised from
Printful's 120 so the run takes under two minutes; the window stays a minute, because a minute is what the setting
describes and what the budget is shaped for. Figures come from the simulator's request log (\`bench/backlog.ts\`). Time
runs from the first creation request to the last order accepted; the workers' start-up before that
(${r.bridge.startupSeconds.toFixed(1)} s) is not counted.

Baselines, same run: the allowed rate itself, ${r.allowedPerSecond.toFixed(2)} orders/s (limit / window), is the
ceiling the ratio is taken against; and a naive client sending the same ${s.orders} orders to a fresh simulator one at a
time as fast as it can, sleeping for Retry-After after each 429 (what a simple integration does). A fixed window lets
that client spend a whole window's budget at once, so it beats limit / window over a couple of windows; the bridge
never bursts more than ${String(burst.capacity)} requests (2 % of a minute's limit) and refills at the rest of the limit, so no minute
carries more than the limit whatever window the supplier counts with, at the price of that speed.

| client | accepted | seconds | orders/s | / allowed | requests | 429 | duplicates / duplicate creations refused |
|---|---|---|---|---|---|---|---|
${row(`pod-bridge, ${s.workers} workers`, r.bridge)}
${row('naive client (sequential, honours Retry-After)', r.naive)}

- Achieved / allowed: **${ratio.toFixed(3)}** (target ≥ 0.95: ${ratio >= 0.95 && r.bridge.accepted === s.orders ? 'met' : 'NOT met'}${r.bridge.accepted < s.orders ? `: only ${r.bridge.accepted} of ${s.orders} orders were submitted before progress stopped` : ''}).
- 429 share of all requests: **${(100 * share).toFixed(2)} %** (target < 1 %: ${share < 0.01 ? 'met' : 'NOT met'}).
- Orders at the simulator more than once: **${r.bridge.duplicates}**; creations refused as a reused external_id: ${r.bridge.duplicateAttempts}.
- \`supplier.submit\` jobs failed: **${r.bridge.jobsFailed}**; supplier orders needing attention: ${r.bridge.needsAttention};
  left pending at the end: ${r.bridge.leftPending} (${r.bridge.leftWithoutJob} of them with no queued job).
- \`supplier.submit\` job runs: ${r.bridge.jobRuns} for ${s.orders} orders (${(r.bridge.jobRuns / s.orders).toFixed(1)} per order; the rest
  are reschedules of jobs that found no token. A refused job is given a turn of its own, one refill after the last
  turn given (src/suppliers/budget.ts), so it runs about twice: refused once, then at its turn. Before turns, every
  refused job was told the moment of the next token, all woke together for one token, and this run made
  8.0 runs per order (2026-11-27). A reschedule costs a job run and two UPDATEs, never a request to the supplier.)
- Not covered by this figure: a supplier counting in windows shorter than a minute. With 60 per 10 s
  (\`BACKLOG_LIMIT=60 BACKLOG_WINDOW_MS=10000\`) the bucket's burst (${String(tenSecond.capacity)} at 360 a minute) is more than
  such a window leaves above the refill (${(60 - tenSecond.ratePerSecond * 10).toFixed(1)}), tokens pile up during pg-boss's polling gaps, and some windows can get 429s.
`
}

if (isMain(import.meta.url)) await printStandalone(async (serverUrl, log) => renderBacklog(await benchBacklog(serverUrl, log)))
