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
// The run is made twice, each on a fresh database and store: with the store
// simulator's cost throttle off (the baseline) and on at Shopify Standard's
// 100 points/second (a 2000-point bucket) on the same SCALE-times-faster clock,
// so the store reports restoreRate 100 × SCALE and the client paces itself by
// it. Every document is then priced by the documented rule (the requested cost
// taken up front, refunded down to the actual cost after the call); the
// computed bounds (1,000 productSets at the requested cost, and at the actual
// cost the run measured) stand beside the measured time.
//
// Standalone: `node bench/products.ts [--write]` (BENCH_PRODUCTS, BENCH_SCALE, BENCH_DATABASE_URL).
import { sql } from 'kysely'
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/db/database.ts'
import { createLogger } from '../src/lib/logger.ts'
import { migrateAll, startService } from '../src/service.ts'
import { productSetMutation } from '../src/shopify/products/documents.ts'
import { estimateCost, standardPlan, startShopifySimulator } from '../src/sim/shopify/index.ts'
import { BOSS_SCHEMA } from '../src/queue/boss.ts'
import { startSupplierSimulators } from '../src/sim/suppliers.ts'
import { defaultPrintifyProducts } from '../src/sim/printify/wire.ts'
import { freshDatabase, isMain, printStandalone } from './bench-db.ts'
import { writeBenchmarks } from './report-file.ts'

const documented = { printify: 600, printful: 120 } as const
/** Shopify Standard plan: 100 points/second (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits). */
const STANDARD_POINTS_PER_SECOND = standardPlan.restoreRate
const opsToken = 'bench-ops-token-0123456789'

interface RunResult {
  elapsedS: number
  outcomes: string
  productSets: number
  printifyRequests: number
  printify429: number
  printfulRequests: number
  printfulS: number
  /** product.push jobs of the publish run: one a product, and one more each time a push was put off. */
  pushJobs: number
  /** The store's bucket when its throttle was on: THROTTLED answers, points taken and refunded. */
  bucket: { throttled: number, charged: number, refunded: number } | null
}

/** One publish run of `count` products (and the Printful push) on a fresh database, store and suppliers. */
async function publishRun (serverUrl: string, log: (line: string) => void, count: number, scale: number, storeThrottle: boolean): Promise<RunResult> {
  const database = await freshDatabase(serverUrl, storeThrottle ? 'bench_products_cost' : 'bench_products')
  const shop = 'pod-bridge-bench.myshopify.com'
  const store = await startShopifySimulator({ shopDomain: shop, webhookSecret: 'bench-secret', clientId: 'bench-client', clientSecret: 'bench-secret' })
  const sims = await startSupplierSimulators()
  const logger = createLogger('error')
  const handle = openDatabase(database.url)
  const env = { ...sims.env, DATABASE_URL: database.url, HOST: '127.0.0.1', LOG_LEVEL: 'error', SHOPIFY_SHOP_DOMAIN: shop, SHOPIFY_API_URL: store.url, SHOPIFY_CLIENT_ID: 'bench-client', SHOPIFY_CLIENT_SECRET: 'bench-secret', OPS_API_TOKEN: opsToken, PRINTIFY_RATE_PER_MINUTE: String(documented.printify * scale), PRINTFUL_RATE_PER_MINUTE: String(documented.printful * scale) }
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
    // Shopify Standard on the same faster clock: the bucket refills 100 × scale points a real second and says so.
    if (storeThrottle) store.store.setCostThrottle({ restoreRate: STANDARD_POINTS_PER_SECOND, clockFactor: scale })
    log(`products: publishing ${count} Printify products, the limit ${documented.printify} requests per ${60 / scale} s, the store's cost throttle ${storeThrottle ? `on (Standard, clock ${scale}×)` : 'off'}`)
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
    const productSets = store.store.productSetCalls()
    const publishBucket = store.store.costThrottle()
    // A push that Shopify kept answering THROTTLED past the client's retries comes back as a new job (products/run.ts):
    // jobs beyond one a product are those.
    const pushJobs = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(`${BOSS_SCHEMA}.job`)} where name = 'product.push'`.execute(handle.db)

    // Printful: its two sync products pushed on demand, requests counted.
    sims.printful.control.clearRequests()
    const printfulStarted = Date.now()
    await fetch(`${service.url}/v1/products/push`, { method: 'POST', headers: { authorization: `Bearer ${opsToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ supplier: 'printful' }) })
    for (;;) {
      const done = await handle.db.selectFrom('products').select(sql<number>`count(*)::int`.as('n')).where('supplier', '=', 'printful').where('acknowledged_at', 'is not', null).executeTakeFirstOrThrow()
      if (done.n >= 2) break
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    const printfulS = (Date.now() - printfulStarted) / 1000
    const printfulRequests = sims.printful.control.requests().filter((r) => !r.path.startsWith('/_control')).length
    return {
      elapsedS,
      outcomes: outcomes.map((o) => `${o.outcome ?? '-'} ${o.n}`).join(', '),
      productSets,
      printifyRequests: requests.length - limited,
      printify429: limited,
      printfulRequests,
      printfulS,
      pushJobs: pushJobs.rows[0]?.n ?? 0,
      bucket: publishBucket ? { throttled: publishBucket.throttled, charged: publishBucket.charged, refunded: publishBucket.refunded } : null
    }
  } finally {
    await service.close()
    await handle.close()
    await sims.close()
    await store.close()
    await database.drop()
  }
}

export async function benchProducts (serverUrl: string, log: (line: string) => void, count = Number(process.env.BENCH_PRODUCTS ?? 1000), scale = Number(process.env.BENCH_SCALE ?? 10)): Promise<string> {
  const off = await publishRun(serverUrl, log, count, scale, false)
  const on = await publishRun(serverUrl, log, count, scale, true)
  const bucket = on.bucket ?? { throttled: 0, charged: 0, refunded: 0 }
  const perProduct = off.printifyRequests / count
  const pfVariants = 3
  const requestedCost = estimateCost(productSetMutation, { variants: 100, media: 50 })
  const requestedBoundS = 1000 * requestedCost / STANDARD_POINTS_PER_SECOND
  // What the store's documents really cost a product (every document of the push, after the refunds).
  const actualPerProduct = (bucket.charged - bucket.refunded) / count
  const actualBoundS = 1000 * actualPerProduct / STANDARD_POINTS_PER_SECOND
  const printfulPerProduct = off.printfulRequests / 2
  const printfulS = 1000 * printfulPerProduct / documented.printful * 60
  const minutes = (s: number): string => `${(s / 60).toFixed(1)} min`
  const at1000 = (run: RunResult): string => minutes(run.elapsedS * scale * 1000 / count)
  const scaledNote = count === 1000 ? '' : ` (${count} products measured, × ${1000 / count} for 1,000)`
  return [
    '## Product push: a 1,000-product catalogue (issue 18)',
    '',
    `${count} products published at the Printify simulator (each: product:publish:started → one productSet at the store simulator → publishing_succeeded), Printify's ${documented.printify} requests a minute enforced on a clock ${scale}× faster; made twice, each on a fresh database and store: with the store simulator's cost throttle off, and on at Shopify Standard (${STANDARD_POINTS_PER_SECOND} points/s, a 2000-point bucket) on the same ${scale}× clock (the store reports restoreRate ${STANDARD_POINTS_PER_SECOND * scale}: the client paces itself by it). One service (api + worker), ${new Date().toISOString().slice(0, 10)}.`,
    '',
    '| measure | store throttle off (baseline) | store throttle on (Standard) |',
    '|---|---|---|',
    `| pushed | ${off.outcomes}; productSet calls ${off.productSets} | ${on.outcomes}; productSet calls ${on.productSets} |`,
    `| wall time, limits ${scale}× faster | ${off.elapsedS.toFixed(1)} s | ${on.elapsedS.toFixed(1)} s |`,
    `| scaled to the real limits, 1,000 products${scaledNote} | **${at1000(off)}** (wall time × ${scale}) | **${at1000(on)}** (wall time × ${scale}) |`,
    `| Printify requests | ${off.printifyRequests} (${perProduct.toFixed(2)} a product), ${off.printify429} answered 429 | ${on.printifyRequests}, ${on.printify429} answered 429 |`,
    `| Shopify THROTTLED answers | — (not modelled) | ${bucket.throttled} |`,
    `| product.push jobs (one a product; more: a push put off and run again) | ${off.pushJobs} | ${on.pushJobs} |`,
    `| Shopify points | — | ${bucket.charged} requested, ${bucket.refunded} refunded: **${(bucket.charged - bucket.refunded)} actual, ${actualPerProduct.toFixed(1)} a product** (every document of the push) |`,
    `| computed: Printify, 1,000 products at 600/min | ${minutes(1000 * perProduct / documented.printify * 60)} by request count | |`,
    `| computed: Shopify Standard, 1,000 products | at the requested cost (${requestedCost} points a productSet; 100 variants, 50 media pages): ${minutes(requestedBoundS)} | at the actual cost measured: ${minutes(actualBoundS)}; Advanced (200/s) ${minutes(actualBoundS / 2)}, Plus (1000/s) ${minutes(actualBoundS / 10)} |`,
    `| Printful push of its 2 sync products | ${off.printfulRequests} requests (${printfulPerProduct.toFixed(1)} a product), ${off.printfulS.toFixed(1)} s | ${on.printfulRequests} requests, ${on.printfulS.toFixed(1)} s |`,
    `| computed: Printful, 1,000 two-variant products at 120/min | **${minutes(printfulS)}** (list + read + one external_id PUT a variant; ${pfVariants} variants in 2 products) | |`,
    '',
    `With both limits on, a 1,000-product Printify catalogue took ${at1000(on)} at the real limits (measured: wall time × ${scale}) against ${at1000(off)} with Printify's limit alone. Shopify's bucket holds the requested cost (${requestedCost} points for a productSet at its page sizes) before each call and refunds down to the actual cost after, so it is the actual cost (${actualPerProduct.toFixed(1)} points a product here, over every document the push sends for it; the seeded Printify tee, a few variants and images) that paces a long push: ${minutes(actualBoundS)} at Standard by that count, far below the ${minutes(requestedBoundS)} a requested-cost reckoning gives; the bucket's 2000 points let the first products through at once, after which the client waits for the refill (the THROTTLED answers are its retries when its own estimate of the bucket was short). Larger products cost more (each variant and image returned is a point). Printful's 120 requests a minute bound its pushes (${minutes(printfulS)} for 1,000), above Shopify's. Publishing at Printify is the merchant's own action (its publish.json limit, 200 per 30 minutes, applies to API calls, not to this). The push takes one token of its supplier's shared budget per request (use \`push\`: only above the submissions' reserve, never a turn ahead of them), so it keeps within the limit the service is given (here ${documented.printify} × ${scale} a minute, as the simulator's clock) and order submissions keep precedence; the budget refills at 98 % of the limit (src/suppliers/budget.ts). Measured on a machine shared with other engineers' work.`,
    ''
  ].join('\n')
}

if (isMain(import.meta.url)) {
  await printStandalone(async (serverUrl, log) => {
    const section = await benchProducts(serverUrl, log)
    if (process.argv.includes('--write')) writeBenchmarks(section)
    return section
  })
}
