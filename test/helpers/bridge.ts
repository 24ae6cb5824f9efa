// The whole bridge as it runs in production (startService: HTTP, workers,
// waker, the real handlers) on a test database, wired to the store simulator
// over loopback: the store's webhooks reach the service, the service reads the
// store's Admin API.
import { loadConfig } from '../../src/config.ts'
import { createLogger } from '../../src/lib/logger.ts'
import { startService, type Service } from '../../src/service.ts'
import { startShopifySimulator, type ShopifySimulator } from '../../src/sim/shopify/index.ts'
import { OPS_TOKEN } from './app.ts'
import { testDatabase, type TestDatabase } from './database.ts'

export const SHOP = 'pod-bridge-test.myshopify.com'
const WEBHOOK_SECRET = 'bridge-test-webhook-secret'

export interface TapLike { teardown (fn: () => unknown): void, passing (): boolean, comment (...m: unknown[]): void }

export interface Bridge {
  readonly service: Service
  readonly store: ShopifySimulator
  readonly database: TestDatabase
}

export async function startBridge (t: TapLike, env: Record<string, string> = {}): Promise<Bridge> {
  const database = await testDatabase(t)
  const store = await startShopifySimulator({ shopDomain: SHOP, webhookSecret: WEBHOOK_SECRET, clientId: 'bridge-client', clientSecret: 'bridge-secret' })
  t.teardown(() => store.close())
  const service = await startTestService(t, {
    DATABASE_URL: database.url,
    SHOPIFY_SHOP_DOMAIN: SHOP,
    SHOPIFY_API_URL: store.url,
    SHOPIFY_CLIENT_ID: 'bridge-client',
    SHOPIFY_CLIENT_SECRET: 'bridge-secret',
    SHOPIFY_WEBHOOK_SECRETS: WEBHOOK_SECRET,
    OPS_API_TOKEN: OPS_TOKEN,
    ROUTE_ORDERS_CREATED_AFTER: '2020-01-01T00:00:00Z',
    ...env
  })
  store.store.setWebhookUrl(`${service.url}/webhooks/shopify`)
  return { service, store, database }
}

/** The real service (HTTP, workers, sweeper) configured by `env` on loopback, closed at teardown. */
export async function startTestService (t: TapLike, env: Record<string, string>): Promise<Service> {
  const config = loadConfig({ HOST: '127.0.0.1', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', ...env })
  const service = await startService({ config, role: 'all', migrate: false, logger: createLogger(config.logLevel), port: 0, shutdownTimeoutMs: 2000 })
  t.teardown(() => service.close())
  return service
}

/** Polls `check` until it returns a value (not undefined/false), or fails after `timeoutMs`. Tests wait for outcomes, never sleep. */
export async function eventually<T> (check: () => Promise<T | undefined | false>, timeoutMs = 15_000, what = 'the expected outcome'): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
