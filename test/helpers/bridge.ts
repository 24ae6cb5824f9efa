// The whole bridge as it runs in production (startService: HTTP, workers,
// waker, the real handlers) on a test database, wired to the store simulator
// over loopback: the store's webhooks reach the service, the service reads the
// store's Admin API.
import { sql } from 'kysely'
import { loadConfig } from '../../src/config.ts'
import type { Db } from '../../src/db/database.ts'
import { createLogger } from '../../src/lib/logger.ts'
import { startService, type Service, type ServiceOptions } from '../../src/service.ts'
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
export async function startTestService (t: TapLike, env: Record<string, string>, options: Pick<ServiceOptions, 'registry'> = {}): Promise<Service> {
  const config = loadConfig({ HOST: '127.0.0.1', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', ...env })
  const service = await startService({ config, role: 'all', migrate: false, logger: createLogger(config.logLevel), port: 0, shutdownTimeoutMs: 2000, ...options })
  t.teardown(() => service.close())
  return service
}

/**
 * Polls `check` until it returns a value (not undefined/false), or fails after `timeoutMs`. Tests
 * wait for outcomes, never sleep. `explain` adds what the failure message should show (say, the
 * order's story): a timeout in CI is then a diagnosis, not a guess.
 */
export async function eventually<T> (check: () => Promise<T | undefined | false>, timeoutMs = 15_000, what = 'the expected outcome', explain?: () => Promise<string>): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) {
      const story = explain ? `\n${await explain().catch((err: unknown) => `(could not explain: ${String(err)})`)}` : ''
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${story}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** An order's story for a failure message: its state, lines, supplier orders, shipments, timeline and jobs. */
export async function orderStory (db: Db, orderId: string): Promise<string> {
  const order = await db.selectFrom('orders').select(['state', 'state_reason']).where('id', '=', orderId).executeTakeFirst()
  const lines = await db.selectFrom('order_lines').select(['id', 'state', 'supplier', 'reason']).where('order_id', '=', orderId).execute()
  const supplierOrders = await db.selectFrom('supplier_orders').select(['id', 'supplier', 'state', 'supplier_status']).where('order_id', '=', orderId).execute()
  const shipments = await db.selectFrom('shipments as sh').innerJoin('supplier_orders as so', 'so.id', 'sh.supplier_order_id')
    .select(['sh.id', 'sh.shopify_sync_state', 'sh.shopify_sync_error']).where('so.order_id', '=', orderId).execute()
  const events = await db.selectFrom('order_events').select(['at', 'kind', 'actor', 'detail', 'error']).where('order_id', '=', orderId).orderBy('at').execute()
  const jobs = await sql<{ name: string, state: string, retry_count: number, data: unknown, output: unknown }>`
    select name, state, retry_count, data, output from pgboss.job
    where data::text like ${`%${orderId}%`} or data->>'shipmentId' in (${sql.join([...shipments.map((s) => s.id), ''])})
    order by created_on`.execute(db)
  return [
    `order: ${JSON.stringify(order)}`,
    `lines: ${JSON.stringify(lines)}`,
    `supplier orders: ${JSON.stringify(supplierOrders)}`,
    `shipments: ${JSON.stringify(shipments)}`,
    'timeline:', ...events.map((e) => `  ${e.at.toISOString()} ${e.kind} (${e.actor}) ${e.detail}${e.error ? ` [${e.error}]` : ''}`),
    'jobs:', ...jobs.rows.map((j) => `  ${j.name} ${j.state} retries=${j.retry_count} ${JSON.stringify(j.data)} → ${JSON.stringify(j.output)}`)
  ].join('\n')
}
