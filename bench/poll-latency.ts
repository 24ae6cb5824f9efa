// Issue 9: "Shipment at the supplier simulator → fulfillment at the store
// simulator: p50/p99 via polling (target: within one poll interval plus
// 10 %)". Orders go through every real part (store webhook, sync, routing,
// submission to the Printful simulator, in production there); then Printful's
// webhooks are lost and each order ships at a random moment, and only the
// sweeper can find out. SUPPLIER_POLL_INTERVAL is scaled down to 10 s and the
// sweeper's 5 s tick with it. The baseline, measured in the same run: the same
// with Printful's webhooks delivered.
//
// Standalone: `node bench/poll-latency.ts` prints its section (BENCH_POLL_ORDERS, BENCH_DATABASE_URL).
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/db/database.ts'
import { createLogger } from '../src/lib/logger.ts'
import { SWEEP_TICK_MS } from '../src/orders/status/sweeper.ts'
import { migrateAll, startService } from '../src/service.ts'
import { startShopifySimulator } from '../src/sim/shopify/index.ts'
import { startSupplierSimulators } from '../src/sim/suppliers.ts'
import { freshDatabase, isMain, printStandalone, percentiles } from './bench-db.ts'

const INTERVAL_S = 10
const DEFAULT_INTERVAL_S = 300
const TICK_MS = Math.round(SWEEP_TICK_MS * INTERVAL_S / DEFAULT_INTERVAL_S)
/** Shipments happen at random moments over this many intervals. */
const SPREAD_INTERVALS = 3
const OPS = 'bench-ops-token-0123456789'

export async function benchPollLatency (serverUrl: string, log: (line: string) => void, orders = Number(process.env.BENCH_POLL_ORDERS ?? 30)): Promise<string> {
  const database = await freshDatabase(serverUrl, 'bench_poll_latency')
  const shop = 'bench-poll.myshopify.com'
  const store = await startShopifySimulator({ shopDomain: shop, webhookSecret: 'bench-secret', clientId: 'bench-client', clientSecret: 'bench-secret' })
  const suppliers = await startSupplierSimulators({ shopDomain: shop })
  const token = 'bench-printful-webhook-token'
  const config = loadConfig({
    ...suppliers.env, DATABASE_URL: database.url, HOST: '127.0.0.1', LOG_LEVEL: 'error',
    SHOPIFY_SHOP_DOMAIN: shop, SHOPIFY_API_URL: store.url, SHOPIFY_CLIENT_ID: 'bench-client', SHOPIFY_CLIENT_SECRET: 'bench-secret',
    PRINTFUL_WEBHOOK_SECRET: token, OPS_API_TOKEN: OPS, ROUTE_ORDERS_CREATED_AFTER: '2020-01-01T00:00:00Z',
    SUPPLIER_POLL_INTERVAL: String(INTERVAL_S),
    // The budget is not what this measures (bench/poll-budget.ts does).
    PRINTFUL_RATE_PER_MINUTE: '100000'
  })
  const logger = createLogger('error')
  await migrateAll(database.url, config, logger)
  const service = await startService({ config, role: 'all', migrate: false, logger, port: 0, shutdownTimeoutMs: 2000, sweeper: { tickMs: TICK_MS } })
  const handle = openDatabase(database.url)
  const webhookUrl = `${service.url}/webhooks/printful?token=${token}`
  try {
    suppliers.printful.control.setRateLimit({ limit: 100_000, windowMs: 60_000 })
    store.store.setWebhookUrl(`${service.url}/webhooks/shopify`)
    suppliers.printful.control.setWebhookUrl(webhookUrl)
    const mapping = await fetch(`${service.url}/v1/mappings`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${OPS}`, 'content-type': 'application/json' },
      body: JSON.stringify({ mappings: [{ match: { sku: 'TEE-WHT-S' }, supplier: 'printful', printful: { syncVariantId: '4001' } }] })
    })
    if (!mapping.ok) throw new Error(`mapping refused: ${String(mapping.status)}`)

    log(`poll latency: ${String(2 * orders)} orders through the store, submitted and in production`)
    const placed: { storeId: string, externalId: string }[] = []
    for (let i = 0; i < 2 * orders; i++) {
      const ref = await store.store.createOrder({ lines: [{ sku: 'TEE-WHT-S' }] })
      placed.push({ storeId: ref.id, externalId: `pb-${ref.legacyId}-f1` })
    }
    const printfulIds = await waitFor(async () => {
      const rows = await handle.db.selectFrom('supplier_orders').select(['external_id', 'supplier_order_id']).where('state', '=', 'submitted').execute()
      return rows.length === placed.length ? new Map(rows.map((r) => [r.external_id, r.supplier_order_id!])) : undefined
    }, 120_000, 'every order submitted')
    for (const order of placed) await suppliers.printful.control.advance(printfulIds.get(order.externalId)!, { to: 'in_production' })
    await waitFor(async () => {
      const rows = await handle.db.selectFrom('supplier_orders').select('id').where('supplier_status', '=', 'in_production').execute()
      return rows.length === placed.length || undefined
    }, 60_000, 'every order known in production')

    const ship = async (batch: typeof placed): Promise<number[]> => Promise.all(batch.map(async (order) => {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * SPREAD_INTERVALS * INTERVAL_S * 1000))
      const shipped = performance.now()
      await suppliers.printful.control.advance(printfulIds.get(order.externalId)!, { to: 'shipped' })
      await waitFor(() => Promise.resolve(store.store.fulfillments(order.storeId).length > 0 || undefined), 120_000, 'a fulfillment')
      return performance.now() - shipped
    }))
    log(`poll latency: ${String(orders)} shipments over ${String(SPREAD_INTERVALS * INTERVAL_S)} s with Printful's webhooks lost`)
    suppliers.printful.control.setWebhookUrl(undefined)
    const polled = await ship(placed.slice(0, orders))
    log(`poll latency: ${String(orders)} shipments with Printful's webhooks delivered`)
    suppliers.printful.control.setWebhookUrl(webhookUrl)
    const hooked = await ship(placed.slice(orders))
    return render(orders, percentiles(polled), percentiles(hooked))
  } finally {
    await handle.close()
    await service.close()
    await suppliers.close()
    await store.close()
    await database.drop()
  }
}

async function waitFor<T> (check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

function render (orders: number, polled: { p50: number, p99: number, max: number }, hooked: { p50: number, p99: number, max: number }): string {
  const target = INTERVAL_S * 1000 * 1.1
  const row = (name: string, x: { p50: number, p99: number, max: number }, goal: string) => `| ${name} | ${String(x.p50)} | ${String(x.p99)} | ${String(x.max)} | ${goal} |`
  return `
## Shipment to fulfillment via polling (issue 9)

${String(2 * orders)} orders through every real part (\`bench/poll-latency.ts\`): the store simulator's
webhooks, sync, routing, submission to the Printful simulator, in production there. Then each
order ships at a random moment within ${String(SPREAD_INTERVALS * INTERVAL_S)} s, and the time is measured until the
store simulator holds its fulfillment: for ${String(orders)} orders with Printful's webhooks lost (no webhook
URL at the simulator: only the sweeper can find the parcel), and, as the baseline in the same run,
for ${String(orders)} with them delivered. \`SUPPLIER_POLL_INTERVAL\` is scaled down to ${String(INTERVAL_S)} s (the
smallest it accepts) and the sweeper's 5 s tick with it (${String(TICK_MS)} ms, the same part of the
interval as at the default 300 s); the budget is lifted (\`bench/poll-budget.ts\` measures it).

| shipped → fulfillment | p50 ms | p99 ms | max ms | target |
|---|---|---|---|---|
${row('via polling (webhooks lost)', polled, `≤ ${String(target)} (interval + 10 %): **${polled.max <= target ? 'met' : 'NOT MET'}** (max)`)}
${row('via webhook (baseline)', hooked, 'p99 < 2000')}

A parcel is found at the order's next look, so polling latency spreads evenly over one interval
(p50 about half of it). Beyond the interval come one tick, the single read of the order that left
its status list, and then the same path as a webhook's read: in this run that path alone (the
baseline) took p50 ${String(hooked.p50)} ms, p99 ${String(hooked.p99)} ms, with the fulfillments of up to
${String(2 * orders)} orders written to the store simulator in the same minute.
`
}

if (isMain(import.meta.url)) await printStandalone(benchPollLatency)
