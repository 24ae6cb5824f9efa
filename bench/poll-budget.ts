// Issue 9: "Requests per open order per hour at the default interval, and the
// largest number of open orders each supplier's budget can keep within the
// interval." N open orders (in production) at each supplier simulator, the
// service's sweeper running with SUPPLIER_POLL_INTERVAL scaled down to 10 s,
// requests counted at the simulators. Each run is made twice in the same
// process: reading through the status lists (the sweeper now) and one GET per
// order (`sweeper: { listReads: false }`, the behaviour before: the baseline).
// Runs: with no budget in the way (what polling needs), and at the documented
// budgets (what happens beyond capacity).
//
// Standalone: `node bench/poll-budget.ts` prints its section (BENCH_PF_ORDERS,
// BENCH_PY_ORDERS, BENCH_DATABASE_URL).
import { sql } from 'kysely'
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/db/database.ts'
import { createLogger } from '../src/lib/logger.ts'
import { migrateAll, startService } from '../src/service.ts'
import { startSupplierSimulators, type SupplierSimulators } from '../src/sim/suppliers.ts'
import { printfulSimDefaults } from '../src/sim/printful/index.ts'
import { printifySimDefaults } from '../src/sim/printify/index.ts'
import { SWEEP_TICK_MS } from '../src/orders/status/sweeper.ts'
import { bucketShape } from '../src/suppliers/budget.ts'
import { PrintfulSupplier } from '../src/suppliers/printful/supplier.ts'
import { PrintifySupplier } from '../src/suppliers/printify/supplier.ts'
import { seedPolledOrders } from '../test/helpers/polled-orders.ts'
import { freshDatabase, isMain, printStandalone } from './bench-db.ts'

const INTERVAL_S = 10
/** Intervals measured after one interval of warm-up (the orders start due at random moments over one interval). */
const MEASURED_INTERVALS = 3
const DEFAULT_INTERVAL_S = 300
const documented = { printful: 120, printify: 600 } as const
const lifted = 100_000
/** The sweeper's tick scaled with the interval, so that it is the same small part of it as at 300 s (5 s). */
const TICK_MS = Math.round(SWEEP_TICK_MS * INTERVAL_S / DEFAULT_INTERVAL_S)

interface Run {
  readonly mode: 'lists' | 'singles'
  readonly budget: 'lifted' | 'documented'
  /** GET requests per supplier during the measured intervals. */
  readonly requests: { printful: number, printify: number }
  /** Looks at an order (a read that stamped its row) per supplier during the measured intervals. */
  readonly looks: { printful: number, printify: number }
  /** How far past its due time the most overdue open order got during the measured intervals, seconds. */
  readonly maxOverdueS: { printful: number, printify: number }
}

export async function benchPollBudget (serverUrl: string, log: (line: string) => void, counts = { printful: Number(process.env.BENCH_PF_ORDERS ?? 300), printify: Number(process.env.BENCH_PY_ORDERS ?? 100) }): Promise<string> {
  const database = await freshDatabase(serverUrl, 'bench_poll_budget')
  const sims = await startSupplierSimulators()
  const logger = createLogger('error')
  const handle = openDatabase(database.url)
  try {
    const base = { ...sims.env, DATABASE_URL: database.url, HOST: '127.0.0.1', LOG_LEVEL: 'error', SUPPLIER_POLL_INTERVAL: String(INTERVAL_S) }
    await migrateAll(database.url, loadConfig(base), logger)
    // Counts looks: every read of an order stamps its updated_at, once per read (bench database only).
    await sql`create table bench_looks (supplier text not null, at timestamptz not null default clock_timestamp())`.execute(handle.db)
    await sql`create function bench_look() returns trigger language plpgsql as $$ begin insert into bench_looks (supplier) values (new.supplier::text); return new; end $$`.execute(handle.db)
    await sql`create trigger bench_look after update of updated_at on supplier_orders for each row when (new.updated_at is distinct from old.updated_at) execute function bench_look()`.execute(handle.db)
    setSimLimits(sims, lifted, lifted)
    log(`poll budget: seeding ${counts.printful} Printful and ${counts.printify} Printify orders in production`)
    await seedPolledOrders(handle.db, sims, new PrintfulSupplier({ apiUrl: sims.printful.url, token: printfulSimDefaults.token }), counts.printful)
    await seedPolledOrders(handle.db, sims, new PrintifySupplier({ apiUrl: sims.printify.url, token: printifySimDefaults.token, shopId: String(printifySimDefaults.shopId) }), counts.printify)
    const runs: Run[] = []
    for (const budget of ['lifted', 'documented'] as const) {
      for (const mode of ['singles', 'lists'] as const) {
        log(`poll budget: ${mode}, ${budget} budget, ${(1 + MEASURED_INTERVALS) * INTERVAL_S} s`)
        const pf = budget === 'lifted' ? lifted : documented.printful
        const py = budget === 'lifted' ? lifted : documented.printify
        setSimLimits(sims, pf, py)
        // Due at random moments over the next interval, as in a running service; no leftover jobs or budget.
        await handle.db.updateTable('supplier_orders').set({ next_poll_at: sql`now() + random() * make_interval(secs => ${INTERVAL_S})` }).execute()
        await sql`delete from pgboss.job where name = 'supplier.sync'`.execute(handle.db)
        await handle.db.deleteFrom('rate_budgets').execute()
        const config = loadConfig({ ...base, PRINTFUL_RATE_PER_MINUTE: String(pf), PRINTIFY_RATE_PER_MINUTE: String(py) })
        const service = await startService({ config, role: 'worker', migrate: false, logger, port: 0, shutdownTimeoutMs: 2000, sweeper: { listReads: mode === 'lists', tickMs: TICK_MS } })
        try {
          await new Promise((resolve) => setTimeout(resolve, INTERVAL_S * 1000))
          sims.printful.control.clearRequests()
          sims.printify.control.clearRequests()
          const from = new Date()
          const maxOverdueS = { printful: 0, printify: 0 }
          const until = Date.now() + MEASURED_INTERVALS * INTERVAL_S * 1000
          while (Date.now() < until) {
            const rows = await handle.db.selectFrom('supplier_orders').select(['supplier', sql<number>`extract(epoch from now() - min(next_poll_at))::float8`.as('overdue')])
              .where('next_poll_at', '<=', sql<Date>`now()`).groupBy('supplier').execute()
            for (const row of rows) if (row.supplier === 'printful' || row.supplier === 'printify') maxOverdueS[row.supplier] = Math.max(maxOverdueS[row.supplier], row.overdue)
            await new Promise((resolve) => setTimeout(resolve, 250))
          }
          const gets = (sim: SupplierSimulators['printful'] | SupplierSimulators['printify']) => sim.control.requests({ method: 'GET' }).length
          const requests = { printful: gets(sims.printful), printify: gets(sims.printify) }
          const looks = { printful: 0, printify: 0 }
          const counted = await sql<{ supplier: 'printful' | 'printify', n: number }>`select supplier, count(*)::int as n from bench_looks where at >= ${from} and at < ${new Date()} group by supplier`.execute(handle.db)
          for (const row of counted.rows) looks[row.supplier] = row.n
          runs.push({ mode, budget, requests, looks, maxOverdueS })
        } finally {
          await service.close()
        }
      }
    }
    return render(runs, counts)
  } finally {
    await handle.close()
    await sims.close()
    await database.drop()
  }
}

function setSimLimits (sims: SupplierSimulators, printful: number, printify: number): void {
  sims.printful.control.setRateLimit({ limit: printful, windowMs: 60_000 })
  sims.printify.control.setRateLimit({ limit: printify, windowMs: 60_000 })
}

function render (runs: readonly Run[], counts: { printful: number, printify: number }): string {
  const find = (mode: Run['mode'], budget: Run['budget']) => runs.find((r) => r.mode === mode && r.budget === budget)!
  const suppliers = ['printful', 'printify'] as const
  const name = { printful: 'Printful', printify: 'Printify' }
  const reads = { singles: 'one GET per order (baseline)', lists: 'status lists' }
  const perLook = (run: Run, s: typeof suppliers[number]) => run.requests[s] / Math.max(1, run.looks[s])
  const pollsPer = (s: typeof suppliers[number], seconds: number) => bucketShape({ perMinute: documented[s] }).ratePerSecond * seconds
  const rows = suppliers.flatMap((s) => (['singles', 'lists'] as const).map((mode) => {
    const run = find(mode, 'lifted')
    const need = perLook(run, s)
    return `| ${name[s]} | ${reads[mode]} | ${String(counts[s])} | ${String(run.requests[s])} | ${String(run.looks[s])} | ${need.toFixed(3)} | ${(need * 3600 / DEFAULT_INTERVAL_S).toFixed(2)} | ${run.maxOverdueS[s].toFixed(1)} | ${Math.floor(pollsPer(s, DEFAULT_INTERVAL_S) / need).toLocaleString('en-US')} |`
  }))
  const beyond = suppliers.flatMap((s) => (['singles', 'lists'] as const).map((mode) => {
    const run = find(mode, 'documented')
    const capacityScaled = Math.floor(pollsPer(s, INTERVAL_S) / perLook(find(mode, 'lifted'), s))
    return `| ${name[s]} | ${reads[mode]} | ${String(documented[s])} | ${capacityScaled.toLocaleString('en-US')} | ${String(counts[s])} | ${String(run.requests[s])} | ${String(run.looks[s])} | ${run.maxOverdueS[s].toFixed(1)} |`
  }))
  return `
## Status polling: requests per open order and capacity (issue 8)

${String(counts.printful)} Printful and ${String(counts.printify)} Printify orders in production, every supplier webhook
lost, the service's sweeper running with \`SUPPLIER_POLL_INTERVAL\` scaled down to ${String(INTERVAL_S)} s and its
5 s tick scaled the same way (to ${String(TICK_MS)} ms) (\`bench/poll-budget.ts\`). The orders first fall
due at random moments over one interval; over the ${String(MEASURED_INTERVALS)} intervals after that, GET
requests are counted at the simulators and looks (reads of an order, by a page or on its own) in
the database. Each run is made twice in the same process: reading through the suppliers' status
lists (the sweeper now: Printful \`GET /orders?status=&offset=&limit=100\`, Printify
\`GET /v1/shops/{id}/orders.json?status=&page=&limit=10\`) and one GET per order (the behaviour
before, \`sweeper: { listReads: false }\`: the baseline).

What polling needs (budgets lifted), and the capacity that gives at the documented budgets
(Printful 120, Printify 600 a minute) and the default interval of ${String(DEFAULT_INTERVAL_S)} s. Polls get what
\`src/suppliers/budget.ts\` leaves them: the refill (the limit less the burst of 2 %, which stays for
submissions: a poll may only take a token from a full bucket), that is
${String(Math.round(pollsPer('printful', DEFAULT_INTERVAL_S)))} Printful and ${String(Math.round(pollsPer('printify', DEFAULT_INTERVAL_S)))} Printify requests per ${String(DEFAULT_INTERVAL_S)} s,
less what submissions take in that time (Printful 1 request per order, Printify 2) and one per
webhook-triggered read. Capacity = those requests ÷ requests per look:

| supplier | reads | open orders | requests | looks | requests per look | per order per hour at ${String(DEFAULT_INTERVAL_S)} s | most overdue, s | open orders kept within ${String(DEFAULT_INTERVAL_S)} s |
|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

- The list figures hold while the open orders sit in few statuses (here all in production): the
  sweeper lists one status at a time, a page of it only when its pages are fewer than its due orders
  (counting those due within a fifth of an interval), and applies every open order of ours on a
  page, due or not, so the orders of one status fall due together and each interval costs about
  one request per page of them. An order whose status changed since it was last seen is not on
  its old status's list: it is read on its own, one GET per status change (about three in an
  order's life: pending, in production, shipped), not per interval.
- "Most overdue" is the largest time any open order was past its due time during the measured
  intervals: how far the sweeper fell behind, whatever the budget. One GET per order also means one
  \`supplier.sync\` job per order: with the budget lifted, the baseline ran about
  ${(find('singles', 'lifted').looks.printful / (MEASURED_INTERVALS * INTERVAL_S)).toFixed(0)} Printful reads a second on this machine and fell behind on that alone.
- The capacities are the budget's. At tens of thousands of open orders a pass also applies that
  many rows (those with nothing new in one UPDATE per page, the others each in its own
  transaction); that database work was not measured at that scale here.
- Before this change the sweeper also stopped at the first poll token it could not have, and polls
  may only take from a full bucket: it read one order per supplier per 5 s tick, 60 orders per
  300 s whatever the limit. It now waits for the refill (up to one tick).
- Beyond capacity nothing is dropped: the sweeper takes due orders most overdue first, each waits
  for a token, and the interval stretches to about open orders ÷ capacity × the interval. The same
  runs at the documented budgets, where the ${String(INTERVAL_S)} s interval makes the capacity
  ${String(DEFAULT_INTERVAL_S / INTERVAL_S)} times smaller than at ${String(DEFAULT_INTERVAL_S)} s:

| supplier | reads | budget per minute | capacity at ${String(INTERVAL_S)} s | open orders | requests | looks | most overdue, s |
|---|---|---|---|---|---|---|---|
${beyond.join('\n')}
`
}

if (isMain(import.meta.url)) await printStandalone(benchPollBudget)
