// The outside world of the chaos run: the store and the suppliers as
// simulators in this process (their logs are the witnesses), a store that
// sells a Printful tee and a Printify mug, suppliers that ship whatever the
// bridge has had accepted, and Shopify's own retries of failed deliveries.
import type { Db } from '../../src/db/database.ts'
import { startShopifySimulator, type ShopifySimulator } from '../../src/sim/shopify/index.ts'
import { startSupplierSimulators, type SupplierSimulators } from '../../src/sim/suppliers.ts'

export const shop = 'pod-bridge-chaos.myshopify.com'
const secret = 'chaos-secret'
const printfulToken = 'chaos-printful-webhook-token'
export const opsToken = 'chaos-ops-token-0123456789'

export const mappings = [
  { match: { sku: 'TEE-WHT-S' }, supplier: 'printful', printful: { syncVariantId: '4001' } },
  { match: { sku: 'PFY-MUG-11' }, supplier: 'printify', printify: { productId: '5b05842f3921c9547531758e', variantId: '33719' } }
]

export interface World {
  readonly store: ShopifySimulator
  readonly suppliers: SupplierSimulators
  /** The service's environment (without DATABASE_URL and PORT). */
  readonly env: Record<string, string>
  pointWebhooksAt (apiUrl: string): void
  close (): Promise<void>
}

export async function startWorld (): Promise<World> {
  const store = await startShopifySimulator({ shopDomain: shop, webhookSecret: secret, clientId: 'chaos-client', clientSecret: secret })
  const suppliers = await startSupplierSimulators({ shopDomain: shop })
  // The suppliers retry a failed webhook after minutes (suppliers.md §1.8, §2.5); seconds here keep
  // the run short, and the bridge's own polling backstop is what must not depend on them.
  for (const sim of [suppliers.printful, suppliers.printify]) sim.control.setWebhookRetry({ delaysMs: [2_000, 5_000, 15_000] })
  return {
    store,
    suppliers,
    env: {
      ...suppliers.env,
      SHOPIFY_SHOP_DOMAIN: shop, SHOPIFY_API_URL: store.url, SHOPIFY_CLIENT_ID: 'chaos-client', SHOPIFY_CLIENT_SECRET: secret,
      PRINTFUL_WEBHOOK_SECRET: printfulToken, OPS_API_TOKEN: opsToken, ROUTE_ORDERS_CREATED_AFTER: '2020-01-01T00:00:00Z',
      // The smallest values config allows: a killed worker's job runs again within seconds, and a
      // supplier webhook lost to a crash is caught by the next poll.
      JOB_HEARTBEAT_SECONDS: '10', JOB_EXPIRE_SECONDS: '120', SUPPLIER_POLL_INTERVAL: '10',
      LOG_LEVEL: 'warn'
    },
    pointWebhooksAt (apiUrl) {
      store.store.setWebhookUrl(`${apiUrl}/webhooks/shopify`)
      suppliers.printful.control.setWebhookUrl(`${apiUrl}/webhooks/printful?token=${printfulToken}`)
      suppliers.printify.control.setWebhookUrl(`${apiUrl}/webhooks/printify`)
    },
    async close () {
      await store.close()
      await suppliers.close()
    }
  }
}

/** Ships, at the simulator, each supplier order the bridge has recorded as accepted (once). */
export async function shipAccepted (db: Db, world: World, shipped: Set<string>): Promise<number> {
  const rows = await db.selectFrom('supplier_orders').select(['supplier', 'supplier_order_id'])
    .where('state', '=', 'submitted').where('supplier_order_id', 'is not', null).execute()
  let count = 0
  for (const row of rows) {
    const id = row.supplier_order_id ?? ''
    if (shipped.has(`${row.supplier} ${id}`)) continue
    if (row.supplier === 'printful') await world.suppliers.printful.control.advance(id, { to: 'shipped' })
    else await world.suppliers.printify.control.advance(id, { to: 'shipped' })
    shipped.add(`${row.supplier} ${id}`)
    count++
  }
  return count
}

const shopifyRetries = 8

function attemptsByWebhook (world: World): Map<string, { topic: string, attempts: number, acknowledged: boolean, statuses: string[] }> {
  const byId = new Map<string, { topic: string, attempts: number, acknowledged: boolean, statuses: string[] }>()
  // A delivery with no URL was recorded, not sent (no subscription for its topic): nothing to retry.
  for (const d of world.store.store.webhooks().filter((w) => w.url !== null)) {
    const entry = byId.get(d.webhookId) ?? { topic: d.topic, attempts: 0, acknowledged: false, statuses: [] }
    entry.attempts++
    entry.acknowledged ||= d.status !== null && d.status >= 200 && d.status < 300
    entry.statuses.push(d.status === null ? (d.error ?? 'no answer') : String(d.status))
    byId.set(d.webhookId, entry)
  }
  return byId
}

/**
 * Shopify retries a delivery that got no 2xx, 8 times over 4 hours (shopify.md §1.5): each webhook
 * id not yet acknowledged is sent again, up to 8 retries. These are the run's late (and reordered) deliveries.
 */
export async function retryUnacknowledged (world: World): Promise<number> {
  let sent = 0
  for (const [id, entry] of attemptsByWebhook(world)) {
    if (entry.acknowledged || entry.attempts > shopifyRetries) continue
    await world.store.store.redeliver(id)
    sent++
  }
  return sent
}

/** Deliveries never answered 2xx, with what each attempt got. */
export function unacknowledged (world: World): string[] {
  return [...attemptsByWebhook(world)].filter(([, e]) => !e.acknowledged).map(([id, e]) => `${e.topic} ${id}: ${e.statuses.join(', ')}`)
}
