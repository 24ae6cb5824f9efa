// End-to-end latency on an idle queue, through every real part: the store
// simulator sends a signed webhook, the service syncs, routes and submits, and
// the Printful simulator receives the order (issue 7's first benchmark); then
// Printful ships and says so by webhook, and the store simulator receives the
// fulfillment (issue 9's "via supplier webhook"). One order at a time, so the
// figures are the pipeline's own latency, not queueing. Everything runs in
// this one process (simulators and service share its event loop).
import { loadConfig } from '../src/config.ts'
import { createLogger } from '../src/lib/logger.ts'
import { migrateAll, startService } from '../src/service.ts'
import { startShopifySimulator } from '../src/sim/shopify/index.ts'
import { startSupplierSimulators } from '../src/sim/suppliers.ts'

export interface LatencyReport {
  readonly orders: number
  readonly toSupplier: { p50: number, p99: number, max: number }
  readonly toFulfillment: { p50: number, p99: number, max: number }
}

function summary (values: number[]): { p50: number, p99: number, max: number } {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
  return { p50: Math.round(at(0.5)), p99: Math.round(at(0.99)), max: Math.round(sorted.at(-1) ?? 0) }
}

async function waitFor (check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
}

export async function benchOrderLatency (databaseUrl: string, orders: number, log: (line: string) => void): Promise<LatencyReport> {
  const shop = 'bench-latency.myshopify.com'
  const store = await startShopifySimulator({ shopDomain: shop, webhookSecret: 'bench-secret', clientId: 'bench-client', clientSecret: 'bench-secret' })
  const suppliers = await startSupplierSimulators({ shopDomain: shop })
  const token = 'bench-printful-webhook-token'
  const config = loadConfig({
    ...suppliers.env, DATABASE_URL: databaseUrl, HOST: '127.0.0.1', LOG_LEVEL: 'warn',
    SHOPIFY_SHOP_DOMAIN: shop, SHOPIFY_API_URL: store.url, SHOPIFY_CLIENT_ID: 'bench-client', SHOPIFY_CLIENT_SECRET: 'bench-secret',
    PRINTFUL_WEBHOOK_SECRET: token, OPS_API_TOKEN: 'bench-ops-token-0123456789', ROUTE_ORDERS_CREATED_AFTER: '2020-01-01T00:00:00Z',
    // No budget is the bottleneck here: this measures the pipeline, not the limits.
    PRINTFUL_RATE_PER_MINUTE: '100000'
  })
  const logger = createLogger('warn')
  await migrateAll(databaseUrl, config, logger)
  const service = await startService({ config, role: 'all', migrate: false, logger, port: 0, shutdownTimeoutMs: 2000 })
  try {
    // Printful allows 120 requests a minute; 200 orders in a row need more. This measures the
    // pipeline's latency, so both the simulator's limit and our budget are lifted here.
    suppliers.printful.control.setRateLimit({ limit: 100_000, windowMs: 60_000 })
    store.store.setWebhookUrl(`${service.url}/webhooks/shopify`)
    suppliers.printful.control.setWebhookUrl(`${service.url}/webhooks/printful?token=${token}`)
    const mapping = await fetch(`${service.url}/v1/mappings`, {
      method: 'PUT',
      headers: { authorization: 'Bearer bench-ops-token-0123456789', 'content-type': 'application/json' },
      body: JSON.stringify({ mappings: [{ match: { sku: 'TEE-WHT-S' }, supplier: 'printful', printful: { syncVariantId: '4001' } }] })
    })
    if (!mapping.ok) throw new Error(`mapping refused: ${mapping.status}`)
    const toSupplier: number[] = []
    const toFulfillment: number[] = []
    log(`order latency: ${orders} orders, one at a time`)
    for (let i = 0; i < orders; i++) {
      // createOrder resolves once the store's webhooks were delivered and answered.
      const ref = await store.store.createOrder({ lines: [{ sku: 'TEE-WHT-S' }] })
      const sent = performance.now()
      const externalId = `pb-${ref.legacyId}-f1`
      await waitFor(() => suppliers.printful.control.orders().some((o) => o.external_id === externalId), 30_000).catch(async (err: unknown) => {
        const detail = await fetch(`${service.url}/v1/orders/${ref.legacyId}`, { headers: { authorization: 'Bearer bench-ops-token-0123456789' } }).then((r) => r.text())
        throw new Error(`order ${ref.name} never reached Printful: ${detail.slice(0, 3000)}`, { cause: err })
      })
      toSupplier.push(performance.now() - sent)
      const order = suppliers.printful.control.orders().find((o) => o.external_id === externalId)!
      // The parcel ships after the submission is recorded (days later in real life).
      for (let tries = 0; ; tries++) {
        const res = await fetch(`${service.url}/v1/orders/${ref.legacyId}`, { headers: { authorization: 'Bearer bench-ops-token-0123456789' } })
        const body = await res.json() as { supplierOrders?: { state: string }[] }
        if (body.supplierOrders?.[0]?.state === 'submitted') break
        if (tries > 1000) throw new Error('the submission was never recorded')
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
      const shipped = performance.now()
      await suppliers.printful.control.advance(String(order.id), { to: 'shipped' })
      await waitFor(() => store.store.fulfillments(ref.id).length > 0, 30_000)
      toFulfillment.push(performance.now() - shipped)
    }
    return { orders, toSupplier: summary(toSupplier), toFulfillment: summary(toFulfillment) }
  } finally {
    await service.close()
    await suppliers.close()
    await store.close()
  }
}
