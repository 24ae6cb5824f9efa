// Everything at once: the store simulator, the supplier simulators and the
// service between them, configured as `pod-bridge sim` prints it.
import type { Service, ServiceOptions } from '../../src/service.ts'
import { startTestService, type TapLike } from './bridge.ts'
import { startShopifySimulator, type ShopifySimulator } from '../../src/sim/shopify/index.ts'
import { startSupplierSimulators, type SupplierSimulators } from '../../src/sim/suppliers.ts'
import { OPS_TOKEN } from './app.ts'
import { testDatabase, type TestDatabase } from './database.ts'

export interface FullBridge {
  readonly service: Service
  readonly store: ShopifySimulator
  readonly suppliers: SupplierSimulators
  readonly database: TestDatabase
  /** Calls the ops API with the bearer token. */
  ops (method: string, path: string, body?: unknown): Promise<{ status: number, json: unknown }>
}

export interface FullBridgeOptions extends Pick<ServiceOptions, 'registry'> {
  /** The simulated store's Shop.currencyCode (default USD), which the service reads before its first push. */
  readonly storeCurrency?: string
}

export async function startFullBridge (t: TapLike, env: Record<string, string> = {}, options: FullBridgeOptions = {}): Promise<FullBridge> {
  const database = await testDatabase(t)
  const shop = 'pod-bridge-e2e.myshopify.com'
  const { storeCurrency, ...serviceOptions } = options
  const store = await startShopifySimulator({ shopDomain: shop, webhookSecret: 'e2e-secret', clientId: 'e2e-client', clientSecret: 'e2e-secret', ...(storeCurrency ? { currencyCode: storeCurrency } : {}) })
  t.teardown(() => store.close())
  const suppliers = await startSupplierSimulators()
  t.teardown(() => suppliers.close())
  const token = 'e2e-printful-webhook-token-123'
  const serviceEnv = {
    ...suppliers.env,
    DATABASE_URL: database.url,
    SHOPIFY_SHOP_DOMAIN: shop, SHOPIFY_API_URL: store.url, SHOPIFY_CLIENT_ID: 'e2e-client', SHOPIFY_CLIENT_SECRET: 'e2e-secret',
    PRINTFUL_WEBHOOK_SECRET: token, OPS_API_TOKEN: OPS_TOKEN, ROUTE_ORDERS_CREATED_AFTER: '2020-01-01T00:00:00Z',
    ...env
  }
  const service = await startTestService(t, serviceEnv, serviceOptions)
  store.store.setWebhookUrl(`${service.url}/webhooks/shopify`)
  suppliers.printful.control.setWebhookUrl(`${service.url}/webhooks/printful?token=${token}`)
  suppliers.printify.control.setWebhookUrl(`${service.url}/webhooks/printify`)
  return {
    service, store, suppliers, database,
    async ops (method, path, body) {
      const res = await fetch(`${service.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${OPS_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) })
      })
      return { status: res.status, json: await res.json() }
    }
  }
}
