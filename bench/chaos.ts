// `npm run chaos`: the bridge under fire, as deployed. The api and two workers
// run as separate processes on a Postgres the run crashes; orders come from the
// store simulator over the run while workers are SIGKILLed at random moments,
// Postgres is stopped immediately and started again, the api is killed once,
// the suppliers storm (5xx, 429 with Retry-After, hung connections, malformed
// bodies), Shopify answers THROTTLED and 5xx, and deliveries come twice, late
// and out of order. Then every order must end fulfilled and the invariant
// checker, with the simulators' logs as witnesses, must find nothing.
//   node bench/chaos.ts [--short] [--server embedded|pg15]
import { parseArgs } from 'node:util'
import { checkInvariants, formatFindings, type Finding } from '../src/check/invariants.ts'
import { openDatabase } from '../src/db/database.ts'
import { runCli } from '../test/helpers/process.ts'
import { checkWitnesses } from '../test/helpers/witness.ts'
import { freshDatabase, isMain } from './bench-db.ts'
import { startFleet, type Fleet } from './chaos/fleet.ts'
import { chaosPostgres } from './chaos/postgres.ts'
import { duplicateDelivery, storms, supplierFaultsServed, supplierStorm } from './chaos/storms.ts'
import { mappings, opsToken, retryUnacknowledged, shipAccepted, startWorld, unacknowledged } from './chaos/world.ts'

export interface ChaosOptions { readonly short: boolean, readonly server: 'embedded' | 'pg15', readonly log: (line: string) => void }

export interface ChaosResult {
  readonly server: string
  readonly orders: number
  readonly fulfilled: number
  readonly workerKills: number
  readonly killsThatHitAJob: number
  readonly postgresCrashes: number
  readonly apiKills: number
  readonly faults: Record<string, number>
  readonly drainSeconds: number
  readonly totalSeconds: number
  readonly findings: readonly Finding[]
  readonly unfinished: readonly string[]
  /** Shopify deliveries the bridge never answered 2xx, even after Shopify's 8 retries. */
  readonly neverAcknowledged: readonly string[]
}

interface Plan { orders: number, orderSpreadS: number, kills: number, killGapS: [number, number], crashesAtS: number[], apiKillAtS: number, stormAtS: number, stormCount: number, drainTimeoutS: number }

const full: Plan = { orders: 60, orderSpreadS: 300, kills: 110, killGapS: [1.5, 3.5], crashesAtS: [100, 230], apiKillAtS: 165, stormAtS: 30, stormCount: 4, drainTimeoutS: 900 }
const short: Plan = { orders: 10, orderSpreadS: 40, kills: 5, killGapS: [6, 9], crashesAtS: [30], apiKillAtS: 45, stormAtS: 8, stormCount: 1, drainTimeoutS: 240 }

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
const quietly = async <T> (fn: () => Promise<T>): Promise<T | undefined> => { try { return await fn() } catch { return undefined } }

export async function runChaos (options: ChaosOptions): Promise<ChaosResult> {
  const plan = options.short ? { ...short, storms: storms.slice(0, 1).map((s) => ({ ...s, seconds: 15 })) } : { ...full, storms }
  const started = Date.now()
  const elapsed = (): number => (Date.now() - started) / 1000
  const pg = await chaosPostgres(options.server)
  const database = await freshDatabase(pg.url, 'pb_chaos')
  const world = await startWorld()
  const handle = openDatabase(database.url, { max: 3, applicationName: 'pod-bridge-chaos' })
  // The run cuts this pool's connections on purpose: a client losing its server between two
  // queries must not end the run (the next query's error is handled where it is made).
  handle.pool.on('connect', (client) => { client.on('error', () => {}) })
  let fleet: Fleet | undefined
  const stop = new AbortController()
  try {
    const env = { ...world.env, DATABASE_URL: database.url }
    const migrated = runCli(['migrate'], env)
    if ((await migrated.exited).code !== 0) throw new Error(`migrate failed:\n${migrated.output()}`)
    fleet = await startFleet(env, { apis: 1, workers: 2 })
    const api = fleet.apis[0]!
    const apiUrl = `http://127.0.0.1:${String(api.port)}`
    world.pointWebhooksAt(apiUrl)
    const put = await fetch(`${apiUrl}/v1/mappings`, { method: 'PUT', headers: { authorization: `Bearer ${opsToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ mappings }) })
    if (put.status !== 200) throw new Error(`PUT /v1/mappings: ${String(put.status)} ${await put.text()}`)
    options.log(`${pg.label}; api :${String(api.port)}, workers :${fleet.workers.map((w) => String(w.port)).join(', :')}`)

    const counts = { workerKills: 0, killsThatHitAJob: 0, postgresCrashes: 0, apiKills: 0, shopifyThrottled: 0, shopify5xx: 0, duplicates: 0, lateRedeliveries: 0 }
    const gids: string[] = []
    const shipped = new Set<string>()
    let lastFaultAt = Date.now()
    const fault = (): void => { lastFaultAt = Date.now() }
    const f = fleet

    const placeOrders = async (): Promise<void> => {
      const kinds = [[{ sku: 'TEE-WHT-S', quantity: 2 }], [{ sku: 'PFY-MUG-11' }], [{ sku: 'TEE-WHT-S' }, { sku: 'PFY-MUG-11', quantity: 3 }]]
      for (let i = 0; i < plan.orders; i++) {
        gids.push((await world.store.store.createOrder({ lines: kinds[i % kinds.length]! })).id)
        await sleep(plan.orderSpreadS * 1000 / plan.orders)
      }
    }
    const killWorkers = async (): Promise<void> => {
      for (let i = 0; i < plan.kills && !stop.signal.aborted; i++) {
        await sleep(1000 * (plan.killGapS[0] + Math.random() * (plan.killGapS[1] - plan.killGapS[0])))
        // Every other kill waits (up to 3 s) for a moment when some job is running: jobs take
        // milliseconds, so kills at idle moments alone would almost never interrupt one.
        for (let waited = 0; i % 2 === 1 && waited < 3000; waited += 20) {
          if (await quietly(async () => (await handle.pool.query(`select 1 from pgboss.job where state = 'active' limit 1`)).rowCount)) break
          await sleep(20)
        }
        const worker = f.workers[Math.floor(Math.random() * f.workers.length)]!
        const killedAt = new Date()
        const active = await quietly(async () => (await handle.pool.query<{ id: string }>(`select id from pgboss.job where state = 'active'`)).rows.map((r) => r.id))
        await f.killAndRestart(worker)
        counts.workerKills++
        fault()
        if (active?.length) hitChecks.push(jobHit(active, killedAt).then((hit) => { if (hit) counts.killsThatHitAJob++ }))
      }
    }
    // A job the killed worker held keeps its last heartbeat from before the kill until pg-boss's
    // supervisor sees it lapse (JOB_HEARTBEAT_SECONDS) and fails it with "job heartbeat timeout";
    // a live worker's job, even one hung on a supplier, keeps beating. Asked 15 s after the kill.
    const hitChecks: Promise<void>[] = []
    const jobHit = async (ids: string[], killedAt: Date): Promise<boolean> => {
      await sleep(15_000)
      const n = await quietly(async () => (await handle.pool.query<{ n: number }>(
        `select count(*)::int as n from pgboss.job where id = any($1::uuid[])
           and (output->'value'->>'message' = 'job heartbeat timeout' or (state = 'active' and heartbeat_on < $2))`, [ids, killedAt])).rows[0]?.n)
      return (n ?? 0) > 0
    }
    const crashes = async (): Promise<void> => {
      for (const at of plan.crashesAtS) {
        await sleep(Math.max(0, at - elapsed()) * 1000)
        options.log(`${elapsed().toFixed(0)} s: Postgres crash`)
        await pg.crash()
        counts.postgresCrashes++
        fault()
      }
    }
    const apiKill = async (): Promise<void> => {
      await sleep(Math.max(0, plan.apiKillAtS - elapsed()) * 1000)
      options.log(`${elapsed().toFixed(0)} s: api SIGKILL`)
      await f.killAndRestart(api)
      counts.apiKills++
      fault()
    }
    const supplierStorms = async (): Promise<void> => {
      await sleep(plan.stormAtS * 1000)
      for (const storm of plan.storms) {
        options.log(`${elapsed().toFixed(0)} s: supplier storm ${storm.kind} for ${String(storm.seconds)} s`)
        await supplierStorm(world, storm, stop.signal)
        fault()
      }
    }
    const shopifyAndDeliveries = async (): Promise<void> => {
      for (let tick = 0; !stop.signal.aborted; tick++) {
        if (tick % 3 === 0) { world.store.store.throttleNext(2); counts.shopifyThrottled += 2 }
        if (tick % 4 === 0) { world.store.store.failNext(1, tick % 8 === 0 ? 'http_500' : 'http_503'); counts.shopify5xx++ }
        if (await quietly(() => duplicateDelivery(world))) counts.duplicates++
        fault()
        await sleep(2000)
      }
    }
    // Runs for the whole run: Shopify's retries, and suppliers that ship what they accepted.
    let draining = true
    const background = (async () => {
      while (draining) {
        counts.lateRedeliveries += await quietly(() => retryUnacknowledged(world)) ?? 0
        await quietly(() => shipAccepted(handle.db, world, shipped))
        await sleep(1000)
      }
    })()

    const noise = shopifyAndDeliveries()
    await Promise.all([placeOrders(), killWorkers(), crashes(), apiKill(), supplierStorms()])
    stop.abort()
    await noise
    await Promise.all(hitChecks)
    for (const sim of [world.suppliers.printful, world.suppliers.printify]) sim.control.clearFaults()
    options.log(`${elapsed().toFixed(0)} s: last fault; draining ${String(gids.length)} orders`)

    const deadline = Date.now() + plan.drainTimeoutS * 1000
    let unfinished: string[] = gids
    while (Date.now() < deadline) {
      const rows = await quietly(() => handle.db.selectFrom('orders').select(['shopify_order_id', 'name', 'state', 'state_reason']).where('shopify_order_id', 'in', gids).execute())
      if (rows) {
        const done = new Set(rows.filter((r) => r.state === 'fulfilled').map((r) => r.shopify_order_id))
        unfinished = gids.filter((g) => !done.has(g)).map((g) => { const r = rows.find((x) => x.shopify_order_id === g); return r ? `${r.name ?? g} ${r.state}${r.state_reason ? `: ${r.state_reason}` : ''}` : `${g} unknown to the bridge` })
        if (unfinished.length === 0) break
      }
      await sleep(1000)
    }
    const drainSeconds = (Date.now() - lastFaultAt) / 1000
    draining = false
    await background
    await world.store.store.idle()
    const findings = [...await checkInvariants(handle.db), ...await checkWitnesses(handle.db, world)]
    const neverAcknowledged = unacknowledged(world)
    if (unfinished.length > 0 || findings.length > 0) options.log(fleet.tails())
    return {
      server: pg.label,
      orders: gids.length,
      fulfilled: gids.length - unfinished.length,
      workerKills: counts.workerKills,
      killsThatHitAJob: counts.killsThatHitAJob,
      postgresCrashes: counts.postgresCrashes,
      apiKills: counts.apiKills,
      faults: { ...supplierFaultsServed(world), 'shopify THROTTLED': counts.shopifyThrottled, 'shopify 5xx': counts.shopify5xx, 'shopify duplicate delivery': counts.duplicates, 'shopify late delivery (retry of an unacknowledged one)': counts.lateRedeliveries },
      drainSeconds: Math.round(drainSeconds),
      totalSeconds: Math.round(elapsed()),
      findings,
      unfinished,
      neverAcknowledged
    }
  } finally {
    stop.abort()
    await fleet?.stop()
    await handle.close()
    await world.close()
    await database.drop().catch(() => undefined)
    await pg.close()
  }
}

export function chaosReport (r: ChaosResult): string[] {
  return [
    `server: ${r.server}`,
    `orders: ${String(r.orders)}, fulfilled: ${String(r.fulfilled)}`,
    `worker SIGKILLs: ${String(r.workerKills)} (${String(r.killsThatHitAJob)} interrupted a running job)`,
    `Postgres crashes: ${String(r.postgresCrashes)}, api SIGKILLs: ${String(r.apiKills)}`,
    `faults injected: ${Object.entries(r.faults).map(([k, n]) => `${k} ${String(n)}`).join(', ')}`,
    `time to drain after the last fault: ${String(r.drainSeconds)} s (run ${String(r.totalSeconds)} s)`,
    `checker: ${r.findings.length === 0 ? 'no violation' : `${String(r.findings.length)} violation(s)`}`,
    ...formatFindings(r.findings).map((l) => `  ${l}`),
    ...r.unfinished.map((u) => `  not fulfilled: ${u}`),
    ...r.neverAcknowledged.map((u) => `  never acknowledged: ${u}`)
  ]
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({ options: { short: { type: 'boolean', default: false }, server: { type: 'string', default: 'embedded' } }, strict: true })
  if (values.server !== 'embedded' && values.server !== 'pg15') throw new Error('--server must be embedded or pg15')
  const result = await runChaos({ short: values.short, server: values.server, log: (line) => { console.error(`# ${line}`) } })
  for (const line of chaosReport(result)) console.log(line)
  process.exitCode = result.findings.length === 0 && result.unfinished.length === 0 ? 0 : 1
}
