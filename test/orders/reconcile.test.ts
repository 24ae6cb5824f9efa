// Reconciliation: an order whose webhook never came is found by listing the
// store, synced exactly once, and the watermark only moves forward.
import t from 'tap'
import { sql } from 'kysely'
import { reconcileSinceWatermark, WATERMARK } from '../../src/orders/intake/reconcile.ts'
import { createShopifyAdminClient } from '../../src/shopify/index.ts'
import { sendJob } from '../../src/queue/boss.ts'
import { eventually, SHOP, startBridge, type Bridge } from '../helpers/bridge.ts'
import { runCli } from '../helpers/process.ts'

function client (t: { teardown (fn: () => unknown): void }, bridge: Bridge) {
  const shopify = createShopifyAdminClient({ apiUrl: bridge.store.url, apiVersion: '2026-10', auth: { kind: 'client_credentials', clientId: 'bridge-client', clientSecret: 'bridge-secret' } })
  t.teardown(() => shopify.close())
  return shopify
}

/** order.sync handed the order to the router (its timeline says so; the router may move the state on at once). */
async function handedToRouter (bridge: Bridge, gid: string): Promise<string> {
  return eventually(async () => {
    const row = await bridge.database.db.selectFrom('order_events as e').innerJoin('orders as o', 'o.id', 'e.order_id').select('e.detail')
      .where('o.shopify_order_id', '=', gid).where('e.kind', '=', 'order.received').executeTakeFirst()
    return row?.detail ?? undefined
  }, 15_000, 'order.sync to hand the order to the router')
}

async function syncJobs (bridge: Bridge, gid: string): Promise<number> {
  const rows = await sql<{ n: string }>`select count(*) as n from pgboss.job where name = 'order.sync' and data->>'shopifyOrderId' = ${gid}`.execute(bridge.database.db)
  return Number(rows.rows[0]?.n)
}

t.test('when an order\'s webhooks never arrive, then reconciliation picks it up exactly once', async (t) => {
  const bridge = await startBridge(t)
  const deps = { db: bridge.database.db, boss: bridge.service.boss, shopify: client(t, bridge), shop: SHOP }
  // The service set the watermark at start; move it back so the new order is inside the window.
  await bridge.database.db.updateTable('watermarks').set({ at: new Date(Date.now() - 60_000) }).where('name', '=', WATERMARK).execute()
  bridge.store.store.setWebhookUrl(undefined) // the subscription is gone: nothing is delivered
  const ref = await bridge.store.store.createOrder({ lines: [{ sku: 'LOST' }] })
  t.equal(await bridge.database.db.selectFrom('orders').select('id').executeTakeFirst(), undefined, 'no webhook, no order yet')

  const first = await reconcileSinceWatermark(deps)
  t.match(first, { queued: 1 })
  t.equal(await handedToRouter(bridge, ref.id), 'ready for routing')

  const second = await reconcileSinceWatermark(deps)
  t.match(second, { queued: 0 }, 'an order already up to date is not queued again')
  t.equal(await syncJobs(bridge, ref.id), 1, 'one sync in all')
  const mark = await bridge.database.db.selectFrom('watermarks').select('at').where('name', '=', WATERMARK).executeTakeFirstOrThrow()
  t.ok(mark.at.getTime() > Date.now() - 10_000, 'the watermark advanced to the last run')
})

t.test('when a hold is released and its webhook is lost, then reconciliation of fulfillment orders routes the order', async (t) => {
  const bridge = await startBridge(t)
  // Created already on hold (the merchant's fraud check), its webhooks delivered.
  bridge.store.store.setWebhookUrl(undefined)
  const ref = await bridge.store.store.createOrder({ lines: [{ sku: 'A' }] })
  await bridge.store.store.holdFulfillmentOrder(ref.fulfillmentOrderIds[0]!)
  for (const delivery of bridge.store.store.webhooks()) await fetch(`${bridge.service.url}/webhooks/shopify`, { method: 'POST', headers: delivery.headers, body: delivery.body })
  await eventually(async () => (await bridge.database.db.selectFrom('orders').select('state').executeTakeFirst())?.state === 'held' || undefined, 15_000, 'held')
  await bridge.database.db.updateTable('watermarks').set({ at: new Date(Date.now() - 60_000) }).where('name', '=', WATERMARK).execute()
  await bridge.store.store.releaseHold(ref.fulfillmentOrderIds[0]!) // its webhook is lost: no URL
  await sendJob(bridge.service.boss, 'shopify.reconcile', {}) // through the job, as the schedule runs it
  t.equal(await handedToRouter(bridge, ref.id), 'ready for routing')
})

t.test('when reconcile --since runs from the command line, then it prints progress and queues what is missing', async (t) => {
  const bridge = await startBridge(t)
  bridge.store.store.setWebhookUrl(undefined)
  const ref = await bridge.store.store.createOrder({ lines: [{ sku: 'BACKFILL' }] })
  const cli = runCli(['reconcile', '--since', '2020-01-01T00:00:00Z'], {
    DATABASE_URL: bridge.database.url, SHOPIFY_SHOP_DOMAIN: SHOP, SHOPIFY_API_URL: bridge.store.url,
    SHOPIFY_CLIENT_ID: 'bridge-client', SHOPIFY_CLIENT_SECRET: 'bridge-secret'
  })
  t.equal((await cli.exited).code, 0, cli.output())
  t.match(cli.output(), /page 1: 1 seen, 1 queued for sync\n.*page 2: 2 seen, 1 queued[\s\S]*done: 2 orders and fulfillment orders seen, 1 queued/)
  await eventually(async () => (await bridge.database.db.selectFrom('orders').select('id').where('shopify_order_id', '=', ref.id).executeTakeFirst()) ?? undefined, 15_000, 'the backfilled order')
})
