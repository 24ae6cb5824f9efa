// `pod-bridge demo`: the whole bridge on one machine, no accounts. An embedded
// Postgres in a fresh folder, the store, Printful, Printify, Gelato and Customily
// simulators, the service between them. First one product from each of Printify
// and Printful is pushed into the store (issue 18); then seven orders are placed
// (one per supplier, one personalized, one nobody prints, and one for a variant
// of each pushed product, by the Shopify variant id the push created, with no
// hand-made mapping), the suppliers ship, and each order's timeline is printed. Every wait is for an outcome, bounded by
// --timeout; whatever misses its expected state is named and the exit code is 1.
// Everything started here is stopped before returning, on failure and Ctrl-C too.
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { loadConfig } from '../config.ts'
import type { OrderState } from '../db/schema.ts'
import { AppError } from '../lib/errors.ts'
import { createLogger } from '../lib/logger.ts'
import { startService, type Service } from '../service.ts'
import { startShopifySimulator, type CreateOrderInput, type ShopifySimulator } from '../sim/shopify/index.ts'
import { simPrintfulWebhookToken, startSupplierSimulators, type SupplierSimulators } from '../sim/suppliers.ts'
import { getJson, OpsRequestError, postJson, table, type OpsClientOptions } from './ops-client.ts'
import { fetchOrderDetail, timelineLines, type OrderDetail } from './orders.ts'
import { simShop } from './sim.ts'

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

export const demoUsage = 'demo [--timeout <seconds>] [--data-dir <dir>] [--log-level <level>]'

export interface DemoOptions {
  /** An empty or new folder for the embedded Postgres, kept afterwards; default a temporary one, removed. */
  readonly dataDir: string | undefined
  /** How long the orders may take to reach their expected states, all waits together. */
  readonly timeoutMs: number
  readonly logLevel: string
  /** Aborted on Ctrl-C: the demo stops waiting and cleans up. */
  readonly signal: AbortSignal
  readonly print: (line: string) => void
}

// What the store sells and how each product reaches a supplier (PUT /v1/mappings).
// The ids are the supplier simulators' catalogs (src/sim/printful/catalog.ts, src/sim/printify/wire.ts, src/sim/gelato/wire.ts).
const mappings = [
  { match: { sku: 'TEE-WHT-S' }, supplier: 'printful', printful: { syncVariantId: '4001' } },
  { match: { sku: 'PFY-MUG-11' }, supplier: 'printify', printify: { productId: '5b05842f3921c9547531758e', variantId: '33719' } },
  // A catalog tee printed with the shopper's own design, rendered by Customily.
  { match: { sku: 'NAME-TEE-M' }, supplier: 'printful', printful: { variantId: '4012' }, personalization: 'customily', placement: 'front' },
  // Gelato products by productUid (src/sim/gelato/wire.ts), with the artwork Gelato prints.
  { match: { sku: 'GLT-TEE-S' }, supplier: 'gelato', gelato: { productUid: 'apparel_product_gca_t-shirt_gsc_crewneck_gcu_unisex_gqa_classic_gsi_s_gco_white_gpr_4-4', files: [{ type: 'default', url: 'https://files.example.com/gelato-art.png' }] } },
  { match: { sku: 'GLT-POSTER' }, supplier: 'gelato', gelato: { productUid: 'flat_product_pf_a3_pt_200-gsm-poster-paper_cl_4-0_ver', files: [{ type: 'default', url: 'https://files.example.com/gelato-art.png' }] } }
]

const personalizationId = 'cu-demo-0001'

/**
 * The products pushed into the store before the orders (src/sim/printify/products.ts and
 * src/sim/printful/sync-products.ts seed them): the Printify tee is published the way the
 * merchant does it, with Printify's Publish button (its webhook starts the push; Printify is
 * answered publishing_succeeded), and the Printful mug is pushed on demand, as
 * `pod-bridge products push --supplier printful --product 302` does (POST /v1/products/push).
 */
interface DemoPush {
  readonly supplier: string
  readonly productId: string
  /** How the push starts, for the demo's output. */
  readonly how: string
  /** The order's WHAT column. */
  readonly what: string
  start (suppliers: SupplierSimulators, client: OpsClientOptions): Promise<void>
}

const demoPushes: readonly DemoPush[] = [
  {
    supplier: 'printify',
    productId: '5b05842f3921c9547531758d',
    how: 'the Printify tee 5b05842f3921c9547531758d published at Printify (its Publish button)',
    what: 'a tee pushed from Printify, by its variant id',
    start: async (suppliers) => { await suppliers.printify.control.publishProduct('5b05842f3921c9547531758d') }
  },
  {
    supplier: 'printful',
    productId: '302',
    how: 'the Printful sync product 302 (a mug) through POST /v1/products/push',
    what: 'a mug pushed from Printful, by its variant id',
    start: async (_suppliers, client) => { await postJson(client, 'v1/products/push', { supplier: 'printful', productId: '302' }) }
  }
]

export interface DemoOrder {
  readonly what: string
  readonly order: CreateOrderInput
  /** Once the suppliers accepted what they can: the states that count as there. */
  readonly accepted: readonly OrderState[]
  /** The state it should end in. */
  readonly final: OrderState
  /** The final state's reason must match this (the unroutable order names its SKU). */
  readonly reason?: RegExp
}

const demoOrders: readonly DemoOrder[] = [
  {
    what: 'a tee, printed by Printful',
    order: { lines: [{ title: 'Unisex Staple T-Shirt', variantTitle: 'White / S', sku: 'TEE-WHT-S', quantity: 2, price: '25.00' }] },
    accepted: ['submitted', 'in_production'],
    final: 'fulfilled'
  },
  {
    what: 'a mug, printed by Printify',
    order: { lines: [{ title: 'White Glossy Mug', variantTitle: '11oz', sku: 'PFY-MUG-11', price: '15.00' }] },
    accepted: ['submitted', 'in_production'],
    final: 'fulfilled'
  },
  {
    what: 'a tee and a poster, Gelato split in two orders',
    order: { lines: [{ title: 'Classic Tee', variantTitle: 'White / S', sku: 'GLT-TEE-S', price: '24.00' }, { title: 'Poster A3', variantTitle: 'A3', sku: 'GLT-POSTER', price: '19.00' }] },
    accepted: ['submitted', 'in_production'],
    final: 'fulfilled'
  },
  {
    what: 'a personalized tee (Customily file, Printful)',
    order: { lines: [{ title: 'Your Name T-Shirt', variantTitle: 'White / M', sku: 'NAME-TEE-M', price: '29.00', properties: [{ name: 'Name', value: 'Ada' }, { name: '_customily_id', value: personalizationId }] }] },
    accepted: ['submitted', 'in_production'],
    final: 'fulfilled'
  },
  {
    what: 'a poster no supplier prints (no mapping)',
    order: { lines: [{ title: 'Art Poster', variantTitle: 'A2', sku: 'POSTER-A2', price: '18.00' }] },
    accepted: ['needs_attention'],
    final: 'needs_attention',
    reason: /SKU POSTER-A2/
  }
]

/** Parses the command line, runs the demo, and turns Ctrl-C into a clean stop (exit 130). */
export async function demoCommand (args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { timeout: { type: 'string', default: '90' }, 'data-dir': { type: 'string' }, 'log-level': { type: 'string', default: 'silent' } },
    allowPositionals: true,
    strict: true
  })
  const timeout = Number(values.timeout)
  const problem = positionals.length > 0
    ? `demo takes no arguments (got "${positionals.join(' ')}")`
    : !Number.isFinite(timeout) || timeout <= 0
        ? '--timeout must be a number of seconds'
        : !logLevels.includes(values['log-level']) ? `--log-level must be one of ${logLevels.join(', ')}` : undefined
  if (problem) {
    console.error(`pod-bridge: ${problem}\nUsage: pod-bridge ${demoUsage}`)
    return 2
  }
  const controller = new AbortController()
  const stop = (): void => {
    console.error('pod-bridge demo: interrupted, stopping the service, the simulators and Postgres (Ctrl-C again to quit at once)')
    // A second signal means "now", as with `start`.
    process.once('SIGINT', () => process.exit(130))
    process.once('SIGTERM', () => process.exit(143))
    controller.abort()
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  try {
    return await runDemo({
      dataDir: values['data-dir'], timeoutMs: timeout * 1000, logLevel: values['log-level'], signal: controller.signal,
      print: (line) => { console.log(line) }
    })
  } finally {
    process.removeListener('SIGINT', stop)
    process.removeListener('SIGTERM', stop)
  }
}

class Interrupted extends Error {}

export async function runDemo (options: DemoOptions): Promise<number> {
  const { print, signal } = options
  const started = Date.now()
  const elapsed = (at = Date.now()): string => `${((at - started) / 1000).toFixed(1)}s`
  const step = (message: string): void => { print(`[${elapsed().padStart(6)}] ${message}`) }
  const dataDir = prepareDataDir(options.dataDir)
  const cleanup: (() => Promise<void>)[] = []
  if (!options.dataDir) cleanup.push(async () => { rmSync(dataDir, { recursive: true, force: true }) })
  try {
    step(`starting the simulators, then the service on an embedded Postgres in ${dataDir}${options.dataDir ? '' : ' (removed afterwards)'}`)
    const store: ShopifySimulator = await startShopifySimulator({ shopDomain: simShop.domain, clientId: simShop.clientId, clientSecret: simShop.clientSecret, webhookSecret: simShop.clientSecret })
    cleanup.unshift(() => store.close())
    const suppliers: SupplierSimulators = await startSupplierSimulators()
    cleanup.unshift(() => suppliers.close())
    const opsToken = randomBytes(18).toString('hex')
    const config = loadConfig({
      ...suppliers.env,
      DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: options.logLevel,
      SHOPIFY_SHOP_DOMAIN: simShop.domain, SHOPIFY_API_URL: store.url, SHOPIFY_CLIENT_ID: simShop.clientId, SHOPIFY_CLIENT_SECRET: simShop.clientSecret,
      PRINTFUL_WEBHOOK_SECRET: simPrintfulWebhookToken, OPS_API_TOKEN: opsToken,
      // The store simulator's clock keeps whole seconds: a minute's margin so the demo's orders count as new.
      ROUTE_ORDERS_CREATED_AFTER: new Date(started - 60_000).toISOString(),
      // Customily answers "not rendered yet" once for the personalized tee: look again after a second, not five minutes.
      CUSTOMILY_RETRY_SECONDS: '1'
    })
    throwIfAborted(signal)
    const service: Service = await startService({ config, role: 'all', migrate: true, logger: createLogger(config.logLevel), port: 0, shutdownTimeoutMs: 5_000 })
    // Last in, first out: the service (and with it Postgres) stops before the simulators.
    cleanup.unshift(() => service.close())
    throwIfAborted(signal)
    store.store.setWebhookUrl(`${service.url}/webhooks/shopify`)
    suppliers.printful.control.setWebhookUrl(`${service.url}/webhooks/printful?token=${simPrintfulWebhookToken}`)
    suppliers.printify.control.setWebhookUrl(`${service.url}/webhooks/printify`)
    suppliers.gelato.control.setWebhookUrl(`${service.url}/webhooks/gelato`)
    // Gelato splits an order across production hubs: the demo's Gelato order is split in two.
    suppliers.gelato.control.splitNextOrder()
    const client: OpsClientOptions = { url: service.url, token: opsToken }
    await putMappings(client, mappings)
    step(`service ready at ${service.url}; ${mappings.length} mappings put through PUT /v1/mappings`)
    // The shopper's design: Customily says "not rendered yet" at the first look-up, then lists
    // an .ai production file and a PNG export; the PNG is what Printful gets.
    suppliers.customily.control.addItem(personalizationId, { notReadyLookups: 1 })

    // One deadline for every wait: the pushes, then the orders.
    const deadline = Date.now() + options.timeoutMs
    step(`pushing one product from each supplier into the store: ${demoPushes.map((p) => p.how).join('; ')}`)
    const pushed = await pushProducts(store, suppliers, client, deadline, signal)
    for (const line of pushed.lines) step(line)
    // Whatever else happens, a push that did not end created makes the run fail (exit 1).
    const finish = (code: number): number => {
      if (pushed.missing.length === 0) return code
      print(`pod-bridge demo: ${pushed.missing.length} of ${demoPushes.length} product pushes did not end created: ${pushed.missing.join('; ')}`)
      return 1
    }

    const ordersStarted = Date.now()
    const placed: { demo: DemoOrder, name: string }[] = []
    for (const demo of [...demoOrders, ...pushed.orders]) {
      throwIfAborted(signal)
      placed.push({ demo, name: (await store.store.createOrder(demo.order)).name })
    }
    step(`placed ${placed.map((p) => p.name).join(', ')} in the store simulator; waiting for the suppliers to accept them`)
    const accepted = await waitForStates(client, placed.map((p) => ({ name: p.name, states: p.demo.accepted })), deadline, signal)
    if (accepted.missing.length > 0) {
      step('not every order reached the state expected before shipping')
      return finish(printReport(print, accepted.details, placed, accepted.missing, (d) => d.accepted.join(' or '), elapsed))
    }

    const shipped = await shipEverything(suppliers)
    step(`the suppliers shipped ${shipped} orders; waiting for the fulfillments in Shopify`)
    const done = await waitForStates(client, placed.map((p) => ({ name: p.name, states: [p.demo.final] })), deadline, signal)
    const took = `${((Date.now() - ordersStarted) / 1000).toFixed(1)}s`
    step(done.missing.length === 0 ? `done: the orders took ${took} from the store to their final state` : `gave up waiting after ${took}`)
    return finish(printReport(print, done.details, placed, done.missing, (d) => d.final, elapsed))
  } catch (err) {
    if (err instanceof Interrupted) return 130
    throw err
  } finally {
    for (const close of cleanup) {
      try {
        await close()
      } catch (err) {
        console.error(`pod-bridge demo: while stopping: ${(err as Error).message}`)
      }
    }
    step(signal.aborted ? 'interrupted: stopped everything the demo started' : 'stopped the service, Postgres and the simulators')
  }
}

function prepareDataDir (given: string | undefined): string {
  if (!given) return mkdtempSync(path.join(os.tmpdir(), 'pod-bridge-demo-'))
  const dir = path.resolve(given)
  mkdirSync(dir, { recursive: true })
  // The store simulator starts empty each run; an older run's orders in the database would clash with its ids.
  if (readdirSync(dir).length > 0) throw new AppError('config', `--data-dir ${dir} is not empty: the demo needs a fresh folder (or none: a temporary one)`)
  return dir
}

function throwIfAborted (signal: AbortSignal): void {
  if (signal.aborted) throw new Interrupted()
}

async function putMappings (client: OpsClientOptions, list: readonly unknown[]): Promise<void> {
  const res = await fetch(new URL('/v1/mappings', client.url), {
    method: 'PUT',
    headers: { authorization: `Bearer ${client.token ?? ''}`, 'content-type': 'application/json' },
    body: JSON.stringify({ mappings: list })
  })
  if (!res.ok) throw new Error(`PUT /v1/mappings answered HTTP ${res.status}: ${await res.text()}`)
}

const productList = z.object({
  products: z.array(z.object({ supplier: z.string(), supplierProductId: z.string(), title: z.string().nullable(), shopifyProductId: z.string().nullable(), outcome: z.string().nullable(), reason: z.string().nullable(), acknowledgedAt: z.string().nullable() }))
})
const mappingList = z.object({ mappings: z.array(z.object({ match: z.record(z.string(), z.string()), supplier: z.string(), source: z.string() })) })

interface Pushed {
  /** One line a push: what the store got, or why not. */
  readonly lines: string[]
  /** An order for one variant of each pushed product, by the Shopify variant id. */
  readonly orders: DemoOrder[]
  /** The pushes that did not end created (and told their supplier) before the deadline. */
  readonly missing: string[]
}

/**
 * Starts each push, waits until GET /v1/products shows it created and its supplier told
 * (or failed, or the deadline passed), then reads the product back from the store and the
 * push's mappings from GET /v1/mappings: the order is for a variant the push mapped.
 */
async function pushProducts (store: ShopifySimulator, suppliers: SupplierSimulators, client: OpsClientOptions, deadline: number, signal: AbortSignal): Promise<Pushed> {
  for (const push of demoPushes) await push.start(suppliers, client)
  const rowOf = async (push: DemoPush): Promise<z.infer<typeof productList>['products'][number] | undefined> =>
    productList.parse(await getJson(client, 'v1/products', { supplier: push.supplier })).products.find((p) => p.supplierProductId === push.productId)
  const done = (row: Awaited<ReturnType<typeof rowOf>>): boolean => row?.outcome === 'failed' || (row?.outcome === 'created' && row.acknowledgedAt !== null)
  let rows = await Promise.all(demoPushes.map(rowOf))
  while (!rows.every(done) && Date.now() <= deadline) {
    throwIfAborted(signal)
    await new Promise((resolve) => setTimeout(resolve, 200))
    rows = await Promise.all(demoPushes.map(rowOf))
  }
  const result: Pushed = { lines: [], orders: [], missing: [] }
  for (const [i, push] of demoPushes.entries()) {
    const row = rows[i]
    const name = `${push.supplier} product ${push.productId}`
    if (!row?.shopifyProductId || !done(row) || row.outcome !== 'created') {
      const why = row?.outcome ? `${row.outcome}${row.reason ? `: ${row.reason}` : ''}${row.acknowledgedAt ? '' : ` (${push.supplier} not told yet)`}` : 'never pushed'
      result.lines.push(`MISSING: ${name} was not pushed: ${why}`)
      result.missing.push(`${name} ${row?.outcome ?? 'never pushed'}`)
      continue
    }
    const product = store.store.product(row.shopifyProductId)
    const answer = mappingList.parse(await getJson(client, 'v1/mappings', { supplier: push.supplier, limit: '500' }))
    const pushedIds = new Set(answer.mappings.filter((m) => m.source === 'push' && m.match.variantId).map((m) => m.match.variantId))
    const mapped = product.variants.filter((v) => pushedIds.has(v.id))
    result.lines.push(`pushed ${name} "${product.title}" → Shopify ${product.id}: ${mapped.length} of ${product.variants.length} variants mapped by the push`)
    const variant = mapped[0]
    if (!variant) {
      result.missing.push(`${name} has no variant mapped by the push`)
      continue
    }
    result.orders.push({
      what: push.what,
      order: { lines: [{ title: product.title, variantTitle: variant.optionValues.map((o) => o.name).join(' / '), sku: variant.sku, price: variant.price, variantId: variant.id, productId: product.id }] },
      accepted: ['submitted', 'in_production'],
      final: 'fulfilled'
    })
  }
  return result
}

interface Waited { readonly details: Map<string, OrderDetail>, readonly missing: string[] }

/**
 * Reads each order through the ops API until it is in one of its states or
 * the deadline passes; a short pause between reads keeps the machine free for
 * the service doing the work.
 */
async function waitForStates (client: OpsClientOptions, wanted: readonly { name: string, states: readonly OrderState[] }[], deadline: number, signal: AbortSignal): Promise<Waited> {
  const details = new Map<string, OrderDetail>()
  let missing = wanted.map((w) => w.name)
  for (;;) {
    throwIfAborted(signal)
    for (const w of wanted.filter((o) => missing.includes(o.name))) {
      const detail = await fetchOrderDetail(client, w.name).catch((err: unknown) => {
        // The order is in the database once its webhook is; until then it is simply not there yet.
        if (err instanceof OpsRequestError && /HTTP 404/.test(err.message)) return undefined
        throw err
      })
      if (detail) details.set(w.name, detail)
    }
    missing = wanted.filter((w) => !w.states.includes(details.get(w.name)?.order.state as OrderState)).map((w) => w.name)
    if (missing.length === 0 || Date.now() > deadline) return { details, missing }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

/** Each supplier simulator ships every order it holds (one parcel each, with tracking). */
async function shipEverything (suppliers: SupplierSimulators): Promise<number> {
  let count = 0
  for (const order of suppliers.printful.control.orders()) {
    await suppliers.printful.control.advance(order.id, { to: 'shipped' })
    count++
  }
  for (const order of suppliers.printify.control.orders()) {
    await suppliers.printify.control.advance(order.id, { to: 'shipped' })
    count++
  }
  for (const order of suppliers.gelato.control.orders()) {
    await suppliers.gelato.control.advance(order.id, { to: 'shipped' })
    count++
  }
  return count
}

/** The summary table, then each order's timeline (as `pod-bridge order` prints it, times relative to the demo's start). */
export function printReport (print: (line: string) => void, details: Map<string, OrderDetail>, placed: readonly { demo: DemoOrder, name: string }[], missing: readonly string[], expected: (demo: DemoOrder) => string, elapsed: (at?: number) => string): number {
  const verdict = (p: { demo: DemoOrder, name: string }): string => {
    const d = details.get(p.name)
    if (!d) return 'MISSING: never reached the service'
    if (missing.includes(p.name)) return `MISSING: expected ${expected(p.demo)}`
    if (p.demo.reason && !p.demo.reason.test(d.order.stateReason ?? '')) return `MISSING: the reason does not match ${String(p.demo.reason)}`
    return 'as expected'
  }
  const verdicts = placed.map(verdict)
  print('')
  for (const line of table(['ORDER', 'WHAT', 'STATE', 'CHECK', 'REASON'], placed.map((p, i) => {
    const d = details.get(p.name)
    return [p.name, p.demo.what, d?.order.state ?? '-', verdicts[i] ?? '', d?.order.stateReason ?? '']
  }))) print(line)
  for (const p of placed) {
    const d = details.get(p.name)
    if (!d) continue
    print('')
    print(`${p.name}  ${p.demo.what}: ${d.order.state}`)
    for (const line of timelineLines(d.timeline, (iso) => `+${elapsed(Date.parse(iso))}`.padStart(7))) print(`  ${line}`)
  }
  print('')
  const failed = verdicts.filter((v) => v !== 'as expected').length
  if (failed > 0) {
    print(`pod-bridge demo: ${failed} of ${placed.length} orders did not reach their expected state after ${elapsed()} (see CHECK above)`)
    return 1
  }
  print(`pod-bridge demo: all ${placed.length} orders reached their expected state; total ${elapsed()}`)
  return 0
}
