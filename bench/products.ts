// Issue 18: "how long a 1,000-product catalogue takes within Shopify's and the
// suppliers' limits, and a push's query cost". N products published at the
// Printify simulator (the merchant's Publish: product:publish:started to the
// service), each pushed into the store simulator (one productSet) and answered
// (publishing_succeeded), with Printify's request limit on. The limit runs on a
// clock SCALE times faster (600 requests per 60/SCALE s), so the time at the
// real limit is the measured time × SCALE when the limit is what bounds it (the
// requests per minute are reported to show it is). The push takes a token of
// the service's shared budget for each request, so the budget runs SCALE
// times faster too (PRINTIFY_RATE_PER_MINUTE, PRINTFUL_RATE_PER_MINUTE). Printful's sync products
// cannot be added at its simulator, so its two are pushed and the requests per
// product are counted: at 120 a minute they bound a 1,000-product push.
// Shopify's cost is not enforced by its simulator: the productSet document is
// priced by the documented rule (the requested cost Shopify reserves, refunded
// down to the actual cost after) against the Standard plan's 100 points/second.
//
// Standalone: `node bench/products.ts [--write]` (BENCH_PRODUCTS, BENCH_SCALE, BENCH_DATABASE_URL).
import { sql } from 'kysely'
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/db/database.ts'
import { createLogger } from '../src/lib/logger.ts'
import { migrateAll, startService } from '../src/service.ts'
import { productSetMutation } from '../src/shopify/products/documents.ts'
import { startShopifySimulator } from '../src/sim/shopify/index.ts'
import { startSupplierSimulators } from '../src/sim/suppliers.ts'
import { defaultPrintifyProducts } from '../src/sim/printify/wire.ts'
import { estimateCost } from '../test/fixtures/shopify/query-cost.ts'
import { freshDatabase, isMain, printStandalone } from './bench-db.ts'
import { writeBenchmarks } from './report-file.ts'

const documented = { printify: 600, printful: 120 } as const
/** Shopify Standard plan: 100 points/second (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits). */
const STANDARD_POINTS_PER_SECOND = 100

export async function benchProducts (serverUrl: string, log: (line: string) => void, count = Number(process.env.BENCH_PRODUCTS ?? 1000), scale = Number(process.env.BENCH_SCALE ?? 10)): Promise<string> {
  const database = await freshDatabase(serverUrl, 'bench_products')
  const shop = 'pod-bridge-bench.myshopify.com'
  const store = await startShopifySimulator({ shopDomain: shop, webhookSecret: 'bench-secret', clientId: 'bench-client', clientSecret: 'bench-secret' })
  const sims = await startSupplierSimulators()
  const logger = createLogger('error')
  const handle = openDatabase(database.url)
  const env = { ...sims.env, DATABASE_URL: database.url, HOST: '127.0.0.1', LOG_LEVEL: 'error', SHOPIFY_SHOP_DOMAIN: shop, SHOPIFY_API_URL: store.url, SHOPIFY_CLIENT_ID: 'bench-client', SHOPIFY_CLIENT_SECRET: 'bench-secret', OPS_API_TOKEN: 'bench-ops-token-0123456789', PRINTIFY_RATE_PER_MINUTE: String(documented.printify * scale), PRINTFUL_RATE_PER_MINUTE: String(documented.printful * scale) }
  const config = loadConfig(env)
  await migrateAll(database.url, config, logger)
  // The store simulator sells in USD (Shop.currencyCode), the suppliers' seeded currency.
  const service = await startService({ config, role: 'all', migrate: false, logger, port: 0, shutdownTimeoutMs: 2000 })
  store.store.setWebhookUrl(`${service.url}/webhooks/shopify`)
  sims.printify.control.setWebhookUrl(`${service.url}/webhooks/printify`)
  try {
    const tee = defaultPrintifyProducts[0]!
    for (let i = 0; i < count; i++) sims.printify.control.putProduct({ ...tee, id: `b${String(i).padStart(23, '0')}`, title: `Bench tee ${String(i)}` })
    sims.printify.control.setRateLimit({ limit: documented.printify, windowMs: Math.round(60_000 / scale) })
    sims.printify.control.clearRequests()
    log(`products: publishing ${count} Printify products, the limit ${documented.printify} requests per ${60 / scale} s`)
    const started = Date.now()
    for (let i = 0; i < count; i += 25) {
      await Promise.all(Array.from({ length: Math.min(25, count - i) }, (_, k) => sims.printify.control.publishProduct(`b${String(i + k).padStart(23, '0')}`)))
    }
    for (;;) {
      const done = await handle.db.selectFrom('products').select(sql<number>`count(*)::int`.as('n')).where('acknowledged_at', 'is not', null).executeTakeFirstOrThrow()
      if (done.n >= count) break
      if (Date.now() - started > 60 * 60_000) throw new Error(`only ${done.n} of ${count} pushed within an hour`)
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    const elapsedS = (Date.now() - started) / 1000
    const outcomes = await handle.db.selectFrom('products').select(['outcome', sql<number>`count(*)::int`.as('n')]).groupBy('outcome').execute()
    const requests = sims.printify.control.requests().filter((r) => !r.path.startsWith('/_control'))
    const limited = requests.filter((r) => r.status === 429).length
    const perProduct = (requests.length - limited) / count
    const productSets = store.store.productSetCalls()

    // Printful: its two sync products pushed on demand, requests counted.
    sims.printful.control.clearRequests()
    await fetch(`${service.url}/v1/products/push`, { method: 'POST', headers: { authorization: 'Bearer bench-ops-token-0123456789', 'content-type': 'application/json' }, body: JSON.stringify({ supplier: 'printful' }) })
    for (;;) {
      const done = await handle.db.selectFrom('products').select(sql<number>`count(*)::int`.as('n')).where('supplier', '=', 'printful').where('acknowledged_at', 'is not', null).executeTakeFirstOrThrow()
      if (done.n >= 2) break
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    const pfRequests = sims.printful.control.requests().filter((r) => !r.path.startsWith('/_control')).length
    const pfVariants = 3

    const cost = estimateCost(productSetMutation, { variants: 100, media: 50 })
    const shopifyS = 1000 * cost / STANDARD_POINTS_PER_SECOND
    const printifyAtLimitS = elapsedS * scale
    const printfulPerProduct = pfRequests / 2
    const printfulS = 1000 * printfulPerProduct / documented.printful * 60
    const minutes = (s: number): string => `${(s / 60).toFixed(1)} min`
    return [
      '## Product push: a 1,000-product catalogue (issue 18)',
      '',
      `${count} products published at the Printify simulator (each: product:publish:started → one productSet at the store simulator → publishing_succeeded), Printify's ${documented.printify} requests a minute enforced on a clock ${scale}× faster; one service (api + worker), ${new Date().toISOString().slice(0, 10)}.`,
      '',
      '| measure | value |',
      '|---|---|',
      `| pushed | ${outcomes.map((o) => `${o.outcome ?? '-'} ${o.n}`).join(', ')}; productSet calls ${productSets} |`,
      `| wall time, limit ${scale}× faster | ${elapsedS.toFixed(1)} s |`,
      `| Printify requests | ${requests.length - limited} (${perProduct.toFixed(2)} a product: the product read and the answer), ${limited} answered 429 |`,
      `| Printify, 1,000 products at 600/min | **${minutes(1000 * perProduct / documented.printify * 60)}** by request count; measured ${minutes(printifyAtLimitS * 1000 / count)} (wall time × ${scale}) |`,
      `| Printful, requests a product | ${printfulPerProduct.toFixed(1)} (list + read + one external_id PUT a variant; ${pfVariants} variants in 2 products) → 1,000 two-variant products at 120/min: **${minutes(printfulS)}** |`,
      `| productSet requested cost | ${cost} points (100 variants, 50 media pages; refunded down to the actual cost after the call) |`,
      `| Shopify, 1,000 productSets at 100 points/s (Standard) | at most **${minutes(shopifyS)}** at the requested cost; Advanced (200/s) ${minutes(shopifyS / 2)}, Plus (1000/s) ${minutes(shopifyS / 10)} |`,
      '',
      `A 1,000-product catalogue takes the longest of its supplier's time and Shopify's: Printify ${minutes(1000 * perProduct / documented.printify * 60)} vs Shopify Standard ≤ ${minutes(shopifyS)}; Printful ${minutes(printfulS)} vs the same. Shopify's figure is an upper bound: it reserves the requested cost and refunds down to the actual cost of each call. Publishing at Printify is the merchant's own action (its publish.json limit, 200 per 30 minutes, applies to API calls, not to this). The push takes one token of its supplier's shared budget per request (use \`push\`: only above the submissions' reserve, never a turn ahead of them), so it keeps within the limit the service is given (here ${documented.printify} × ${scale} a minute, as the simulator's clock) and order submissions keep precedence; the budget refills at 98 % of the limit (src/suppliers/budget.ts). Measured on a machine shared with other work.`,
      ''
    ].join('\n')
  } finally {
    await service.close()
    await handle.close()
    await sims.close()
    await store.close()
    await database.drop()
  }
}

if (isMain(import.meta.url)) {
  await printStandalone(async (serverUrl, log) => {
    const section = await benchProducts(serverUrl, log)
    if (process.argv.includes('--write')) writeBenchmarks(section)
    return section
  })
}
