// Starting and stopping the whole service for one role. The CLI calls this;
// tests call it too, with their own config. Order matters on the way down:
// stop taking requests, let requests and jobs in flight finish within a bound,
// close the pools, and stop the embedded Postgres last.
import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import type { PgBoss } from 'pg-boss'
import { buildApp } from './app.ts'
import { configurationProblems, type Config } from './config.ts'
import { openDatabase, type DatabaseHandle } from './db/database.ts'
import { startEmbeddedPostgres, type EmbeddedPostgres } from './db/embedded.ts'
import { migrateToLatest } from './db/migrator.ts'
import { createBoss, migrateBoss } from './queue/boss.ts'
import { startWorkers, type WorkerSet } from './jobs/workers.ts'
import { createWaker, listenForWakes } from './queue/waker.ts'
import { AppError } from './lib/errors.ts'
import { createReadiness, migrationGap } from './readiness.ts'
import { refuseNewerDatabase } from './upgrade-guard.ts'
import { recordFirstStart } from './settings.ts'
import { startWatermark } from './orders/intake/reconcile.ts'
import { startSweeper } from './orders/status/sweeper.ts'
import { handlers } from './jobs/handlers/index.ts'
import { createGraphqlTransport, createShopifyAdminClient, shopifyClientOptions } from './shopify/index.ts'
import { productStoreOf } from './products/store-side.ts'
import { builtInRegistry, type Registry } from './suppliers/registry.ts'
import { budgetLimits, createBudget, waitForToken } from './suppliers/budget.ts'
import { startAlertScanner } from './jobs/alert-scanner.ts'
import { stuckThresholds } from './orders/read/stuck.ts'
import { scheduleCron } from './jobs/schedules.ts'
import { startSupplierChecks } from './suppliers/startup.ts'

export type Role = 'all' | 'api' | 'worker'

export interface ServiceOptions {
  readonly config: Config
  readonly role: Role
  readonly migrate: boolean
  readonly logger: Logger
  /** Listen on this port instead of the configured one (tests pass 0). */
  readonly port?: number
  readonly shutdownTimeoutMs?: number
  /**
   * Benchmarks only: `listReads: false` polls one GET per order (the baseline of
   * bench/poll-budget.ts); `tickMs` scales the sweeper's tick with a scaled-down interval.
   */
  readonly sweeper?: { readonly listReads?: boolean, readonly tickMs?: number }
  /** The suppliers the service knows (default: the built-in ones; tests add fixture suppliers). */
  readonly registry?: Registry
}

export interface Service {
  readonly url: string
  readonly databaseUrl: string
  readonly app: FastifyInstance
  readonly boss: PgBoss
  close (): Promise<void>
}

export interface Database {
  readonly url: string
  readonly embedded: EmbeddedPostgres | undefined
}

/** The configured database, or the embedded one under DATA_DIR. */
export async function openConfiguredDatabase (config: Config, logger: Logger): Promise<Database> {
  if ('url' in config.database) return { url: config.database.url, embedded: undefined }
  const embedded = await startEmbeddedPostgres({ dataDir: config.database.embedded.dataDir, movable: config.database.embedded.movable, log: (message) => logger.info(message) })
  return { url: embedded.url, embedded }
}

export async function migrateAll (url: string, config: Config, logger: Logger): Promise<void> {
  const handle = openDatabase(url, { max: 2, applicationName: 'pod-bridge-migrate' })
  try {
    await refuseNewerDatabase(handle.db)
    const { applied } = await migrateToLatest(handle.db)
    logger.info({ applied }, applied.length ? `applied ${applied.length} migration(s)` : 'database schema up to date')
  } finally {
    await handle.close()
  }
  await migrateBoss(url, config.jobs)
  logger.info('job queues ready')
}

export async function startService (options: ServiceOptions): Promise<Service> {
  const { config, role, logger } = options
  const database = await openConfiguredDatabase(config, logger)
  const cleanup: (() => Promise<void>)[] = []
  if (database.embedded) cleanup.unshift(() => database.embedded!.stop())
  try {
    // The embedded database is ours alone, so it is always migrated.
    if (options.migrate || database.embedded) await migrateAll(database.url, config, logger)
    const handle: DatabaseHandle = openDatabase(database.url)
    cleanup.unshift(() => handle.close())
    await refuseNewerDatabase(handle.db)
    const gap = await migrationGap(handle.db)
    if (gap) throw new AppError('config', `the database is not migrated (${gap}): run "pod-bridge migrate" first, or start with --migrate`)
    await recordFirstStart(handle.db)

    const runsWorkers = role !== 'api'
    const boss = createBoss({ url: database.url, jobs: config.jobs, maintenance: runsWorkers })
    boss.on('error', (err) => logger.error({ err }, 'job queue error'))
    await boss.start()
    cleanup.unshift(() => boss.stop({ graceful: false, close: true }))

    const waker = createWaker(handle.pool, logger)
    cleanup.unshift(() => waker.idle())
    const registry = options.registry ?? builtInRegistry
    const suppliers = registry.createSuppliers(config.env)
    const files = registry.createFileProviders(config.env)
    const shopifyOptions = shopifyClientOptions(config.shopify)
    // One transport (one token source, one throttle bucket) for the order reads and the product push.
    const transport = shopifyOptions ? createGraphqlTransport(shopifyOptions) : undefined
    const shopify = shopifyOptions && transport ? createShopifyAdminClient(shopifyOptions, transport) : undefined
    if (shopify) cleanup.unshift(() => shopify.close())
    const productStore = transport ? productStoreOf(transport) : undefined
    const budget = createBudget(handle.db, budgetLimits(config.env, registry))
    // Each replica's start-up look-up takes its token from the budget the replicas share.
    const supplierChecks = startSupplierChecks(registry, suppliers, files, config.env, logger, (supplier) => waitForToken(budget, supplier, 'poll'))
    let workers: WorkerSet | undefined
    if (runsWorkers) {
      workers = await startWorkers(boss, handlers, { config, db: handle.db, boss, logger, waker, shopify, suppliers, files, registry, budget, productStore }, logger, { waker })
      await scheduleCron(boss)
      cleanup.unshift(() => workers!.stop({ timeoutMs: options.shutdownTimeoutMs ?? 20_000 }))
      const listener = await listenForWakes(database.url, boss, workers.ids, logger)
      cleanup.unshift(() => listener.close())
      const sweeper = startSweeper({ db: handle.db, boss, budget, waker, log: logger, config, suppliers, files, registry, ...(options.sweeper?.listReads === undefined ? {} : { listReads: options.sweeper.listReads }) }, options.sweeper?.tickMs)
      cleanup.unshift(() => sweeper.stop())
      await startWatermark(handle.db)
      const scanner = startAlertScanner({ db: handle.db, boss, thresholds: stuckThresholds(config.env.STUCK_AFTER), logger, waker })
      cleanup.unshift(() => scanner.stop())
    }
    const readiness = createReadiness({
      db: handle.db,
      workers: runsWorkers ? () => ({ running: workers !== undefined, queues: workers?.queues ?? [] }) : undefined,
      problems: () => [...configurationProblems(config, registry), ...supplierChecks.problems()]
    })
    for (const problem of configurationProblems(config, registry)) logger.warn(problem)

    const app = await buildApp({ config, db: handle.db, boss: role === 'worker' ? undefined : boss, waker, readiness, logger, routes: role === 'worker' ? 'health' : 'all', shopify, registry, products: { db: handle.db, store: productStore, suppliers, registry, settings: config.products, log: logger } })
    // Requests get a bound of their own; the headers timeout guards against slow clients.
    app.server.requestTimeout = 30_000
    app.server.headersTimeout = 10_000
    cleanup.unshift(() => closeHttp(app, options.shutdownTimeoutMs ?? 20_000))
    const url = await listen(app, config.http.host, options.port ?? config.http.port)
    logger.info({ role, url }, 'pod-bridge started')

    let closing: Promise<void> | undefined
    return {
      url,
      databaseUrl: database.url,
      app,
      boss,
      close () {
        closing ??= runCleanup(cleanup, logger)
        return closing
      }
    }
  } catch (err) {
    await runCleanup(cleanup, logger)
    throw err
  }
}

async function listen (app: FastifyInstance, host: string, port: number): Promise<string> {
  try {
    return await app.listen({ host, port })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new AppError('config', `port ${port} on ${host} is already in use: set PORT to a free port`, { cause: err })
    throw err
  }
}

/**
 * Closes the HTTP server. A request in flight when closing starts may finish
 * (up to `timeoutMs`), but its keep-alive socket must not then hold shutdown
 * for Fastify's 72 s keep-alive timeout: idle sockets are closed as soon as
 * they go idle, and whatever is left at the deadline is cut.
 */
async function closeHttp (app: FastifyInstance, timeoutMs: number): Promise<void> {
  const sweep = setInterval(() => app.server.closeIdleConnections(), 100)
  const deadline = setTimeout(() => app.server.closeAllConnections(), timeoutMs)
  try {
    await app.close()
  } finally {
    clearInterval(sweep)
    clearTimeout(deadline)
  }
}

async function runCleanup (steps: (() => Promise<void>)[], logger: Logger): Promise<void> {
  for (const step of steps.splice(0)) {
    try {
      await step()
    } catch (err) {
      logger.warn({ err }, 'error during shutdown')
    }
  }
}
