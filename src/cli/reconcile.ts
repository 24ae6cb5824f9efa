// `pod-bridge reconcile --since <date>`: a backfill by hand. Every order (and
// fulfillment order) updated since the date whose stored version is older is
// queued for order.sync; the running workers do the rest. Progress is printed
// per page.
import type { Logger } from 'pino'
import type { Config } from '../config.ts'
import { openDatabase } from '../db/database.ts'
import { createBoss } from '../queue/boss.ts'
import { reconcileSince } from '../orders/intake/reconcile.ts'
import { openConfiguredDatabase } from '../service.ts'
import { createShopifyAdminClient, shopifyClientOptions } from '../shopify/index.ts'

export async function backfill (config: Config, since: Date, logger: Logger, print: (line: string) => void): Promise<number> {
  const options = shopifyClientOptions(config.shopify)
  const shop = config.shopify.shopDomain
  if (!options || !shop) throw new Error('reconcile needs the store: set SHOPIFY_SHOP_DOMAIN and its credentials')
  const database = await openConfiguredDatabase(config, logger)
  const handle = openDatabase(database.url, { max: 2 })
  const boss = createBoss({ url: database.url, jobs: config.jobs, maintenance: false })
  const shopify = createShopifyAdminClient(options)
  try {
    await boss.start()
    print(`reading orders updated since ${since.toISOString()} from ${shop}`)
    const result = await reconcileSince({ db: handle.db, boss, shopify, shop }, since, (p) => {
      print(`  page ${p.pages}: ${p.seen} seen, ${p.queued} queued for sync`)
    })
    print(`done: ${result.seen} orders and fulfillment orders seen, ${result.queued} queued for sync (the others are up to date)`)
    return 0
  } finally {
    await shopify.close()
    await boss.stop({ graceful: false, close: true })
    await handle.close()
    await database.embedded?.stop()
  }
}
