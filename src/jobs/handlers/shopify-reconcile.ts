// shopify.reconcile: orders whose webhooks did not bring them up to date, found by listing.
import { reconcileSinceWatermark } from '../../orders/intake/reconcile.ts'
import type { WorkerDeps } from './deps.ts'
import type { Handler } from '../workers.ts'

export const reconcileJob: Handler<'shopify.reconcile', WorkerDeps> = async (_payload, deps, job) => {
  const shop = deps.config.shopify.shopDomain
  if (!deps.shopify || !shop) return
  const result = await reconcileSinceWatermark({ db: deps.db, boss: deps.boss, shopify: deps.shopify, shop })
  if (result.queued > 0) job.log.info(result, `reconciliation found ${result.queued} order(s) whose webhooks did not bring them up to date`)
}
