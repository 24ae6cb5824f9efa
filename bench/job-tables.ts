// Job tables stay small (issue 16): pg-boss's job table under 100,000 orders,
// against the retention set in src/queue/boss.ts. Two phases, one database:
//
// 1. Full pipeline, `--full` orders (default 1,000): the store simulator's
//    signed webhooks → intake → order.sync → routing → supplier.submit to the
//    Printful and Printify simulators → they ship → supplier webhooks →
//    supplier.sync → shopify.fulfill into the store simulator, the service in
//    this process with the product's retention (finished jobs kept a day).
//    Its job table, counted per queue, is the real job mix of an order.
// 2. The rest of `--orders` as that same job mix, without the orders: for each
//    order, the jobs phase 1 made per order (same queues, same options, payloads
//    copied from phase 1's with new ids) are inserted through pg-boss, fetched
//    and completed in batches, as a worker does. What the job table holds is
//    then real pg-boss rows, deleted by pg-boss's own maintenance; what is not
//    real is the handlers' work (which does not write to the job table).
//    The run cannot wait a day, so for this phase every queue's deleteAfterSeconds
//    is shortened to `--delete-after` (default 120 s) and maintenance runs every
//    10 s: the table should then level off at about (delete-after + one
//    maintenance pass) × the job rate, whatever the number of orders.
//   node bench/job-tables.ts [--orders 100000] [--full 1000] [--delete-after 120] [--write]
// BENCH_DATABASE_URL selects the server (its user may create databases).
import { randomUUID } from 'node:crypto'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { PgBoss } from 'pg-boss'
import { loadConfig } from '../src/config.ts'
import { openDatabase, type Db } from '../src/db/database.ts'
import { createLogger } from '../src/lib/logger.ts'
import { BOSS_SCHEMA, JOB_DELETE_AFTER_SECONDS, JOB_MAINTENANCE_SECONDS, JOB_RETENTION_SECONDS } from '../src/queue/boss.ts'
import { queueNames, queues, type QueueName } from '../src/queue/queues.ts'
import { migrateAll, startService } from '../src/service.ts'
import { benchServer, freshDatabase, isMain } from './bench-db.ts'
import { mappings, opsToken, shipAccepted, startWorld } from './chaos/world.ts'
import { writeBenchmarks } from './report-file.ts'

export interface TableSample {
  readonly orders: number
  readonly seconds: number
  /** Jobs made so far: what the table would hold if nothing were deleted (the baseline). */
  readonly made: number
  /** created, retry, active: work still to do. */
  readonly live: number
  readonly finished: number
  readonly failed: number
  readonly bytes: number
  readonly note: string
}

export interface JobTablesReport {
  readonly full: { orders: number, seconds: number, jobsByQueue: Record<string, number> }
  readonly jobsPerOrder: number
  readonly deleteAfter: number
  readonly samples: readonly TableSample[]
  readonly bulkJobsPerSecond: number
  readonly serverVersion: string
  /** The server's autovacuum setting; when off, the bench vacuums the job table before each sample, as autovacuum would. */
  readonly autovacuum: string
  /** Phase 1's job table bytes per job made: the baseline's size, with nothing deleted. */
  readonly bytesPerJob: number
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
const kinds = [[{ sku: 'TEE-WHT-S', quantity: 2 }], [{ sku: 'PFY-MUG-11' }], [{ sku: 'TEE-WHT-S' }, { sku: 'PFY-MUG-11', quantity: 3 }]]

/** Rows of pg-boss's job table (every partition) by what they are, and its size with indexes and TOAST. */
export async function measureJobTable (db: Db): Promise<{ live: number, finished: number, failed: number, bytes: number }> {
  const rows = await sql<{ live: string, finished: string, failed: string }>`
    select count(*) filter (where state in ('created', 'retry', 'active')) as live,
           count(*) filter (where state in ('completed', 'cancelled')) as finished,
           count(*) filter (where state = 'failed') as failed
    from ${sql.ref(`${BOSS_SCHEMA}.job`)}`.execute(db)
  const size = await sql<{ bytes: string }>`
    select coalesce(sum(pg_total_relation_size(relid)), 0) as bytes from pg_partition_tree(${`${BOSS_SCHEMA}.job`}::regclass)`.execute(db)
  const r = rows.rows[0]!
  return { live: Number(r.live), finished: Number(r.finished), failed: Number(r.failed), bytes: Number(size.rows[0]!.bytes) }
}

/** Phase 1: `count` orders through every real part; returns how long it took. */
async function fullPipeline (databaseUrl: string, db: Db, count: number, log: (line: string) => void): Promise<number> {
  const world = await startWorld()
  // The budgets are not what this measures: both lifted, at the simulators and in the bridge.
  for (const sim of [world.suppliers.printful, world.suppliers.printify]) sim.control.setRateLimit({ limit: 1_000_000, windowMs: 60_000 })
  const config = loadConfig({ ...world.env, DATABASE_URL: databaseUrl, HOST: '127.0.0.1', PRINTFUL_RATE_PER_MINUTE: '100000', PRINTIFY_RATE_PER_MINUTE: '100000' })
  const logger = createLogger('warn')
  await migrateAll(databaseUrl, config, logger)
  const service = await startService({ config, role: 'all', migrate: false, logger, port: 0, shutdownTimeoutMs: 5000 })
  try {
    world.pointWebhooksAt(service.url)
    const put = await fetch(`${service.url}/v1/mappings`, { method: 'PUT', headers: { authorization: `Bearer ${opsToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ mappings }) })
    if (put.status !== 200) throw new Error(`PUT /v1/mappings: ${String(put.status)} ${await put.text()}`)
    const started = Date.now()
    const gids: string[] = []
    const shipped = new Set<string>()
    let placed = 0
    // Twenty at a time: the store delivers their webhooks while the pipeline works on earlier ones.
    const placeAll = (async () => {
      while (placed < count) {
        const batch = Math.min(20, count - placed)
        const refs = await Promise.all(Array.from({ length: batch }, (_, i) => world.store.store.createOrder({ lines: kinds[(placed + i) % kinds.length]! })))
        gids.push(...refs.map((r) => r.id))
        placed += batch
      }
    })()
    let fulfilled = 0
    let lastLog = Date.now()
    for (;;) {
      await shipAccepted(db, world, shipped)
      fulfilled = Number((await db.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'fulfilled').executeTakeFirstOrThrow()).n)
      if (placed >= count && fulfilled >= count) break
      if (Date.now() - lastLog > 15_000) {
        lastLog = Date.now()
        log(`full pipeline: ${String(placed)} placed, ${String(fulfilled)} fulfilled after ${String(Math.round((Date.now() - started) / 1000))} s`)
      }
      if (Date.now() - started > 30 * 60_000) throw new Error(`full pipeline: ${String(fulfilled)} of ${String(count)} fulfilled after 30 minutes`)
      await sleep(500)
    }
    await placeAll
    return (Date.now() - started) / 1000
  } finally {
    await service.close()
    await world.close()
  }
}

/** A copy of a phase-1 payload for a new order: every id in it replaced, consistently within the order. */
function freshPayload (template: Record<string, unknown>, ids: Map<string, string>): Record<string, unknown> {
  const replace = (value: unknown): unknown => {
    if (typeof value !== 'string' || !/^(gid:\/\/|[0-9a-f]{8}-|\d{6,}$)/.test(value)) return value
    let next = ids.get(value)
    if (!next) {
      next = value.startsWith('gid://') ? value.replace(/\d+$/, String(Math.floor(Math.random() * 1e15))) : /^\d+$/.test(value) ? String(Math.floor(Math.random() * 1e15)) : randomUUID()
      ids.set(value, next)
    }
    return next
  }
  return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, replace(v)]))
}

export async function benchJobTables (serverUrl: string, options: { orders: number, full: number, deleteAfter: number }, log: (line: string) => void): Promise<JobTablesReport> {
  const database = await freshDatabase(serverUrl, 'pb_job_tables')
  const handle = openDatabase(database.url, { max: 2, applicationName: 'pod-bridge-job-tables' })
  const samples: TableSample[] = []
  const began = Date.now()
  let made = 0
  const sample = async (orders: number, note: string, vacuum = false): Promise<void> => {
    // Without autovacuum (the shared test server runs with it off) no deleted row's space is ever reused.
    if (vacuum) await sql`vacuum ${sql.table(`${BOSS_SCHEMA}.job`)}`.execute(handle.db)
    const m = await measureJobTable(handle.db)
    samples.push({ orders, seconds: (Date.now() - began) / 1000, made, ...m, note })
    log(`${String(orders)} orders: ${String(m.live)} live, ${String(m.finished)} finished, ${String(m.failed)} failed jobs, ${(m.bytes / 2 ** 20).toFixed(1)} MiB (${note})`)
  }
  let boss: PgBoss | undefined
  try {
    const version = await sql<{ v: string, autovacuum: string }>`select current_setting('server_version') as v, current_setting('autovacuum') as autovacuum`.execute(handle.db)
    const autovacuum = version.rows[0]?.autovacuum ?? '?'
    log(`phase 1: ${String(options.full)} orders through the whole pipeline`)
    const fullSeconds = await fullPipeline(database.url, handle.db, options.full, log)
    const byQueue = await sql<{ name: string, n: string }>`select name, count(*) as n from ${sql.ref(`${BOSS_SCHEMA}.job`)} group by name order by name`.execute(handle.db)
    const jobsByQueue = Object.fromEntries(byQueue.rows.map((r) => [r.name, Number(r.n)]))
    made = Object.values(jobsByQueue).reduce((a, b) => a + b, 0)
    await sample(options.full, `after the full pipeline, ${fullSeconds.toFixed(0)} s; product retention, nothing old enough to delete`)

    // Phase 2's job mix: per queue, phase 1's jobs per order, spread over orders so the average holds.
    const orderQueues = queueNames.filter((name) => (jobsByQueue[name] ?? 0) > 0)
    const templates = new Map<QueueName, Record<string, unknown>[]>()
    for (const name of orderQueues) {
      const rows = await sql<{ data: Record<string, unknown> }>`select data from ${sql.ref(`${BOSS_SCHEMA}.job`)} where name = ${name} limit 200`.execute(handle.db)
      templates.set(name, rows.rows.map((r) => r.data))
    }
    const jobsPerOrder = Object.values(jobsByQueue).reduce((a, b) => a + b, 0) / options.full
    const bytesPerJob = samples[0]!.bytes / made

    boss = new PgBoss({ connectionString: database.url, schema: BOSS_SCHEMA, application_name: 'pod-bridge-job-tables', max: 4, migrate: false, supervise: true, superviseIntervalSeconds: 5, maintenanceIntervalSeconds: 10, monitorIntervalSeconds: 5, schedule: false, useListenNotify: false })
    boss.on('error', (err: Error) => { log(`pg-boss: ${err.message}`) })
    await boss.start()
    for (const name of queueNames) await boss.updateQueue(name, { deleteAfterSeconds: options.deleteAfter })
    log(`phase 2: ${String(options.orders - options.full)} orders as their jobs (${jobsPerOrder.toFixed(2)} a order), deleteAfterSeconds ${String(options.deleteAfter)}`)

    const batchOrders = 500
    const bulkStarted = Date.now()
    let jobsDone = 0
    let done = options.full
    let nextSample = Math.ceil((done + 1) / 10_000) * 10_000
    const owed = new Map<QueueName, number>(orderQueues.map((n) => [n, 0]))
    while (done < options.orders) {
      const n = Math.min(batchOrders, options.orders - done)
      for (const name of orderQueues) {
        // Fractions carry over between batches, so the mix per order matches phase 1's.
        const exact = (jobsByQueue[name] ?? 0) / options.full * n + (owed.get(name) ?? 0)
        const count = Math.floor(exact)
        owed.set(name, exact - count)
        const pool = templates.get(name) ?? []
        const key = (queues[name] as { key?: (p: never) => string }).key as ((p: object) => string) | undefined
        const jobs = Array.from({ length: count }, (_, i) => {
          const data = freshPayload(pool[i % pool.length] ?? {}, new Map())
          const singletonKey = key?.(data)
          return singletonKey === undefined ? { data } : { data, singletonKey }
        })
        for (let i = 0; i < jobs.length; i += 1000) await boss.insert(name, jobs.slice(i, i + 1000))
        made += jobs.length
        // Fetched and completed as a worker would, a batch at a time.
        for (;;) {
          const fetched = await boss.fetch(name, { batchSize: 500 })
          if (fetched.length === 0) break
          await boss.complete(name, fetched.map((j) => j.id), { outcome: 'bench' })
          jobsDone += fetched.length
        }
      }
      done += n
      if (done >= nextSample || done >= options.orders) {
        await sample(done, `${(jobsDone / ((Date.now() - bulkStarted) / 1000)).toFixed(0)} jobs/s so far`, autovacuum === 'off')
        nextSample += 10_000
      }
    }
    const bulkJobsPerSecond = jobsDone / ((Date.now() - bulkStarted) / 1000)
    // After the last job: once deleteAfter and one maintenance pass have gone by, only phase 1's jobs (kept a day) remain.
    await sleep((options.deleteAfter + 20) * 1000)
    await sample(options.orders, `${String(options.deleteAfter + 20)} s after the last job`, autovacuum === 'off')
    return { full: { orders: options.full, seconds: fullSeconds, jobsByQueue }, jobsPerOrder, deleteAfter: options.deleteAfter, samples, bulkJobsPerSecond, serverVersion: version.rows[0]?.v ?? '?', autovacuum, bytesPerJob }
  } finally {
    await boss?.stop({ graceful: false, close: true }).catch(() => undefined)
    await handle.close()
    await database.drop().catch(() => undefined)
  }
}

const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1)

export function renderJobTables (r: JobTablesReport, server: string): string {
  const mix = Object.entries(r.full.jobsByQueue).map(([name, n]) => `${name} ${(n / r.full.orders).toFixed(2)}`).join(', ')
  return `## Job tables stay small (issue 16)

\`node bench/job-tables.ts --orders ${String(r.samples.at(-1)?.orders ?? 0)} --full ${String(r.full.orders)} --delete-after ${String(r.deleteAfter)} --write\`, on ${server} (PostgreSQL ${r.serverVersion}),
measured on ${new Date().toISOString().slice(0, 10)} while other work shared the machine's 2 cores (times are slower than alone).
Retention as set in \`src/queue/boss.ts\`: a queued job is dropped after ${String(JOB_RETENTION_SECONDS / 86400)} days (\`retentionSeconds\`), a finished one
deleted ${String(JOB_DELETE_AFTER_SECONDS / 3600)} h after it finished (\`deleteAfterSeconds\`), by maintenance that runs every ${String(JOB_MAINTENANCE_SECONDS / 60)} minutes
(\`maintenanceIntervalSeconds\`; pg-boss's default is once a day). pg-boss 12 has no archive table: finished jobs stay in \`pgboss.job\`
(partitioned by queue) until deleted, so the job table is the whole of it; sizes are \`pg_total_relation_size\` summed over its partitions.

- The first ${r.full.orders.toLocaleString('en-US')} orders went through the whole pipeline (signed Shopify webhooks → intake → order.sync → routing →
  submission to the Printful and Printify simulators → shipped → supplier webhooks → supplier.sync → fulfillment in the store simulator) in
  ${r.full.seconds.toFixed(0)} s, with the product's retention. They made **${r.jobsPerOrder.toFixed(2)} jobs an order**: ${mix}.
- The other ${(r.samples.at(-1)!.orders - r.full.orders).toLocaleString('en-US')} orders are that job mix without the orders (too slow here otherwise: the full pipeline's
  rate would take hours): per order, the same queues' jobs, payloads copied from the first orders' with new ids, inserted through pg-boss,
  fetched and completed in batches (${r.bulkJobsPerSecond.toFixed(0)} jobs/s). For them every queue's \`deleteAfterSeconds\` was shortened
  to **${String(r.deleteAfter)} s** and maintenance ran every 10 s, since the run cannot wait a day: the same deletion, on a shorter clock.

| orders | seconds | jobs made so far (all kept if nothing were deleted: the baseline) | live jobs (created, retry, active) | finished jobs kept | failed | job table size, MiB | baseline size, MiB (jobs made × phase 1's ${r.bytesPerJob.toFixed(0)} bytes a job) | note |
|---|---|---|---|---|---|---|---|---|
${r.samples.map((s) => `| ${s.orders.toLocaleString('en-US')} | ${s.seconds.toFixed(0)} | ${s.made.toLocaleString('en-US')} | ${String(s.live)} | **${s.finished.toLocaleString('en-US')}** | ${String(s.failed)} | **${mib(s.bytes)}** | ${mib(s.made * r.bytesPerJob)} | ${s.note} |`).join('\n')}

${r.autovacuum === 'off'
    ? `The server runs with autovacuum off (a shared test server's setting, not production's), so no deleted row's space would ever be
reused; the bench runs \`VACUUM pgboss.job\` before each sample of phase 2, as autovacuum would on its own schedule. An earlier
run the same day on the same server, the same options but no VACUUM, kept the rows as bounded (45,721 to 117,913 finished jobs from
20,000 orders on) while the size grew with every order: 138.7 MiB at 10,000, 707.1 at 50,000, 1,427.3 at 100,000 (2,315,882 dead rows
in \`job_common\` at about 60,000), and its bulk rate fell from 2,790 to 1,340 jobs/s: without vacuuming, deletion alone bounds nothing.
`
    : ''}Finished jobs kept level off at about deleteAfter plus one maintenance pass of traffic, however many orders went through; the
size follows the most rows held at once, not the orders (VACUUM makes deleted rows' space reusable, and gives back to the disk
only the empty pages at a table's end, hence the smaller size after the last pass).
With the product's settings that bound is a day of finished jobs plus at most one maintenance interval (15 minutes):
${r.jobsPerOrder.toFixed(1)} rows an order × the orders of that time (about ${(r.jobsPerOrder * 1000 * r.bytesPerJob / 2 ** 20).toFixed(0)} MiB per 1,000 orders a day, at phase 1's bytes a job).
`
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({ options: { orders: { type: 'string', default: '100000' }, full: { type: 'string', default: '1000' }, 'delete-after': { type: 'string', default: '120' }, write: { type: 'boolean', default: false } }, strict: true })
  const server = await benchServer()
  try {
    const report = await benchJobTables(server.url, { orders: Number(values.orders), full: Number(values.full), deleteAfter: Number(values['delete-after']) }, (line) => { console.error(`# ${line}`) })
    const section = renderJobTables(report, server.label)
    console.log(section)
    if (values.write) writeBenchmarks(section)
  } finally {
    await server.close()
  }
}
