// shopify.subscriptions.check: the store's webhook subscriptions checked against the topics the bridge needs.
import { runSubscriptionCheck } from '../../webhook-subscriptions.ts'
import type { WorkerDeps } from './deps.ts'
import type { Handler } from '../workers.ts'

export const subscriptionCheckJob: Handler<'shopify.subscriptions.check', WorkerDeps> = async (_payload, deps, job) => {
  const auth = deps.config.shopify.auth
  if (!deps.shopify || !auth) return
  const check = await runSubscriptionCheck({ db: deps.db, shopify: deps.shopify, auth: auth.kind })
  if (check.status === 'missing') job.log.warn({ missing: check.missing }, `Shopify webhook subscriptions missing for ${check.missing.length} topic(s): run pod-bridge webhooks register`)
  else if (check.status === 'failed') job.log.warn({ error: check.error }, 'Shopify webhook subscriptions could not be checked')
}
