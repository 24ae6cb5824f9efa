#!/usr/bin/env node
// The only process entry (STYLE.md §1): `pod-bridge <command>`.
import { parseArgs } from 'node:util'
import { ConfigError, loadConfig, type Config } from './config.ts'
import { isAppError } from './lib/errors.ts'
import { createLogger } from './lib/logger.ts'
import { OpsRequestError, type OpsClientOptions } from './cli/ops-client.ts'
// Each command imports what it needs when it runs: loading the service, the
// simulators and pg-boss for `pod-bridge stats` took seconds per call.

const usage = `Usage: pod-bridge <command> [options]

Commands:
  start [--role all|api|worker] [--migrate]   run the service (default role: all)
  migrate                                      apply database migrations and create the job queues
  sim [--port <base>] [--service-url <url>]   run the store and supplier simulators on loopback and print
                                               the lines that point the service at them
  demo [--timeout <s>] [--data-dir <dir>]      the whole bridge on this machine: embedded Postgres, simulators, the
                                               service, four orders placed and shipped, each order's timeline printed
  reconcile --since <ISO date>                 queue every order updated since the date that is not up to date here
  send-webhook <topic> <file> [--url] [--shop] sign a JSON file with the first webhook secret and post it
                                               (default URL: http://127.0.0.1:$PORT/webhooks/shopify)
  orders [--stuck] [--state S] [--supplier S]  a table of orders, newest first
         [--q TEXT] [--limit N] [--cursor C]   (q: order name, email, Shopify id, tracking number)
  order <ref>                                  one order with its timeline (ref: id, Shopify id or name)
  stats                                        counts by state, stuck orders, queue depths
  products [--supplier S] [--outcome O]        pushed products: supplier, Shopify id, last push and outcome
  products push [--supplier S] [--product ID]  push the products of the suppliers that push on demand into
                [--dry-run]                    the store (a publishing supplier pushes when a product is
                                               published there); --dry-run says what would change
                                               (orders, order and stats call the running service's /v1 API
                                               with OPS_API_TOKEN; --url, default http://127.0.0.1:$PORT)
  webhooks register --url <public url>         create the store's webhook subscriptions (kept if there); for a
           [--shop-level] [--replace]          Dev Dashboard app, print the shopify.app.toml block instead;
                                               --replace deletes them at an old address of this bridge
  webhooks register-suppliers --url <url>      point each configured supplier's webhooks at the service
           [--yes]                             (asks before replacing a supplier's whole configuration; --yes)
  check                                        read the database and name every broken invariant (a lost
                                               webhook, a line sent twice or nowhere, a double fulfillment,
                                               a stale status, a state with no reason); exit 1 if any
  help                                         show this text

Configuration comes from environment variables (see .env.example).
With no DATABASE_URL, an embedded Postgres runs under DATA_DIR (default ./.data).`

// Shutdown: in-flight requests and jobs get this long to finish.
const SHUTDOWN_TIMEOUT_MS = 20_000

/** Thrown for a wrong command line: printed as one line with the usage, exit 2. */
class UsageError extends Error {}

async function main (argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  switch (command) {
    case 'start': return await start(rest)
    case 'migrate': return await migrate(rest)
    case 'send-webhook': return await sendWebhookCommand(rest)
    case 'reconcile': return await reconcileCommand(rest)
    case 'sim': return await simCommand(rest)
    case 'demo': return await (await import('./cli/demo.ts')).demoCommand(rest)
    case 'orders': return await opsCommand(rest, 'orders')
    case 'order': return await opsCommand(rest, 'order')
    case 'stats': return await opsCommand(rest, 'stats')
    case 'products': return await productsCommand(rest)
    case 'check': return await (await import('./cli/check.ts')).checkCommand(rest, config(), createLogger(config().logLevel), (line) => console.log(line))
    case 'webhooks': return await (await import('./cli/webhooks-command.ts')).webhooksCommand(rest, config, (message) => new UsageError(message))
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(usage)
      return 0
    default:
      throw new UsageError(`unknown command "${command}"`)
  }
}

function config (): Config {
  return loadConfig(process.env)
}

async function start (args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { role: { type: 'string', default: 'all' }, migrate: { type: 'boolean', default: false } }, strict: true })
  const role = values.role
  if (role !== 'all' && role !== 'api' && role !== 'worker') throw new UsageError(`--role must be all, api or worker (got "${role}")`)
  const cfg = config()
  const logger = createLogger(cfg.logLevel)
  const { startService } = await import('./service.ts')
  const service = await startService({ config: cfg, role, migrate: values.migrate, logger, shutdownTimeoutMs: SHUTDOWN_TIMEOUT_MS })
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      logger.info({ signal }, 'shutting down')
      // A second signal means "now": stop waiting for in-flight work.
      process.once('SIGINT', () => process.exit(130))
      process.once('SIGTERM', () => process.exit(143))
      service.close().then(resolve, resolve)
    }
    process.once('SIGINT', () => stop('SIGINT'))
    process.once('SIGTERM', () => stop('SIGTERM'))
  })
  logger.info('stopped')
  return 0
}

async function migrate (args: string[]): Promise<number> {
  parseArgs({ args, options: {}, strict: true })
  const cfg = config()
  const logger = createLogger(cfg.logLevel)
  const { migrateAll, openConfiguredDatabase } = await import('./service.ts')
  const database = await openConfiguredDatabase(cfg, logger)
  try {
    await migrateAll(database.url, cfg, logger)
  } finally {
    await database.embedded?.stop()
  }
  return 0
}

async function sendWebhookCommand (args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { url: { type: 'string' }, shop: { type: 'string' } }, allowPositionals: true, strict: true })
  const [topic, file] = positionals
  if (!topic || !file || positionals.length !== 2) throw new UsageError('send-webhook needs a topic and a file, e.g. send-webhook orders/create order.json')
  const { sendWebhook } = await import('./cli/send-webhook.ts')
  return sendWebhook(config(), { topic, file, url: values.url, shop: values.shop }, (line) => console.log(line))
}

async function reconcileCommand (args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { since: { type: 'string' } }, strict: true })
  const since = values.since ? new Date(values.since) : undefined
  if (!since || Number.isNaN(since.getTime())) throw new UsageError('reconcile needs --since <ISO date>, e.g. --since 2026-11-01T00:00:00Z')
  const cfg = config()
  const { backfill } = await import('./cli/reconcile.ts')
  return backfill(cfg, since, createLogger(cfg.logLevel === 'info' ? 'warn' : cfg.logLevel), (line) => console.log(line))
}

async function simCommand (args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { port: { type: 'string', default: '0' }, 'service-url': { type: 'string', default: 'http://127.0.0.1:8080' } }, strict: true })
  const base = Number(values.port)
  if (!Number.isInteger(base) || base < 0 || base > 65531) throw new UsageError('--port must be a port number (the first of five)')
  const { runSimulators } = await import('./cli/sim.ts')
  return runSimulators({ base, serviceUrl: values['service-url'].replace(/\/+$/, '') }, (line) => console.log(line))
}

async function opsCommand (args: string[], command: 'orders' | 'order' | 'stats'): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      url: { type: 'string' },
      stuck: { type: 'boolean', default: false },
      state: { type: 'string' },
      supplier: { type: 'string' },
      q: { type: 'string' },
      limit: { type: 'string' },
      cursor: { type: 'string' }
    },
    allowPositionals: true,
    strict: true
  })
  const cfg = config()
  const client: OpsClientOptions = { url: values.url ?? `http://127.0.0.1:${cfg.http.port}`, token: cfg.opsApiToken }
  const print = (line: string): void => { console.log(line) }
  const { orderCommand, ordersCommand } = await import('./cli/orders.ts')
  if (command === 'order') {
    const [ref] = positionals
    if (!ref || positionals.length !== 1) throw new UsageError('order needs one reference, e.g. order 1001')
    return orderCommand(client, ref, print)
  }
  if (positionals.length > 0) throw new UsageError(`${command} takes no arguments (got "${positionals.join(' ')}")`)
  if (command === 'stats') return (await import('./cli/stats.ts')).statsCommand(client, print)
  return ordersCommand(client, { stuck: values.stuck, state: values.state, supplier: values.supplier, q: values.q, limit: values.limit, cursor: values.cursor }, print)
}

async function productsCommand (args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { url: { type: 'string' }, supplier: { type: 'string' }, outcome: { type: 'string' }, limit: { type: 'string' }, product: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true
  })
  const cfg = config()
  const client: OpsClientOptions = { url: values.url ?? `http://127.0.0.1:${cfg.http.port}`, token: cfg.opsApiToken }
  const print = (line: string): void => { console.log(line) }
  const products = await import('./cli/products.ts')
  const [sub, ...extra] = positionals
  if (sub === 'push' && extra.length === 0) return products.pushCommand(client, { supplier: values.supplier, product: values.product, dryRun: values['dry-run'] }, print)
  if (sub !== undefined) throw new UsageError(`products takes "push" or nothing (got "${positionals.join(' ')}")`)
  if (values.product !== undefined || values['dry-run']) throw new UsageError('--product and --dry-run go with "products push"')
  return products.productsCommand(client, { supplier: values.supplier, outcome: values.outcome, limit: values.limit }, print)
}

function fail (err: unknown): number {
  if (err instanceof OpsRequestError) {
    console.error(`pod-bridge: ${err.message}`)
    return 1
  }
  if (err instanceof ConfigError) {
    for (const problem of err.problems) console.error(`pod-bridge: configuration error: ${problem}`)
    return 1
  }
  if (err instanceof UsageError || (err instanceof TypeError && (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS'))) {
    console.error(`pod-bridge: ${err.message}\n\n${usage}`)
    return 2
  }
  if (isAppError(err) && err.code === 'config') {
    console.error(`pod-bridge: ${err.message}`)
    return 1
  }
  console.error('pod-bridge: failed:', err)
  return 1
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code },
  (err: unknown) => { process.exitCode = fail(err) }
)
