// Queue name → handler. Queues without a handler here are not worked by this
// version; /readyz lists the queues that are.
import type { PgBoss } from 'pg-boss'
import type { Logger } from 'pino'
import type { Config } from '../config.ts'
import type { Db } from '../db/database.ts'
import { syncOrder } from '../orders/sync.ts'
import { reconcileSinceWatermark } from '../orders/reconcile.ts'
import { redactForEvent } from '../orders/redact.ts'
import type { ShopifyAdminClient } from '../shopify/index.ts'
import type { Suppliers } from '../suppliers/index.ts'
import type { Budget } from '../suppliers/budget.ts'
import { submitSupplierOrder } from '../orders/submit.ts'
import { syncSupplierOrder } from '../orders/supplier-sync.ts'
import { importMappingsJob } from './handlers/import-mappings.ts'
import { releaseHeldJob } from './handlers/release-held.ts'
import { routeOrderJob } from './handlers/route-order.ts'
import { fulfillShipment } from '../orders/fulfill.ts'
import { cancelOrder } from '../orders/cancel.ts'
import type { Handlers } from './workers.ts'
import type { Waker } from './waker.ts'
import { sendAlert } from './send-alert.ts'
import { runSubscriptionCheck } from '../webhook-subscriptions.ts'

export interface WorkerDeps {
  readonly config: Config
  readonly db: Db
  readonly boss: PgBoss
  readonly logger: Logger
  readonly waker: Waker
  /** Absent until the store and its credentials are configured. */
  readonly shopify: ShopifyAdminClient | undefined
  readonly suppliers: Suppliers
  readonly budget: Budget
}

export const handlers: Handlers<WorkerDeps> = {
  'order.sync': async (payload, deps, job) => {
    await syncOrder({ db: deps.db, boss: deps.boss, shopify: deps.shopify, config: deps.config, log: job.log }, payload, job.retryCount)
  },
  'supplier.submit': async ({ supplierOrderId }, deps, job) => {
    await submitSupplierOrder({ db: deps.db, boss: deps.boss, suppliers: deps.suppliers, budget: deps.budget, config: deps.config, log: job.log }, supplierOrderId, job.retryCount)
  },
  'supplier.sync': async ({ supplierOrderId, tokenTaken }, deps, job) => {
    await syncSupplierOrder({ db: deps.db, boss: deps.boss, suppliers: deps.suppliers, budget: deps.budget, config: deps.config, log: job.log }, supplierOrderId, tokenTaken ? { tokenTaken } : {})
  },
  'shopify.fulfill': async ({ shipmentId }, deps, job) => {
    await fulfillShipment({ db: deps.db, boss: deps.boss, shopify: deps.shopify, config: deps.config, log: job.log }, shipmentId, job.retryCount)
  },
  'order.cancel': async ({ orderId, actor }, deps, job) => {
    const result = await cancelOrder({ db: deps.db, boss: deps.boss, suppliers: deps.suppliers, budget: deps.budget, log: job.log }, orderId, { actor: actor ?? 'shopify' }, job.retryCount)
    job.log.info({ orderId, outcomes: result.supplierOrders.map((s) => `${s.supplier}:${s.outcome}`) }, 'cancellation carried to the suppliers')
  },
  'privacy.redact': async ({ webhookEventId }, deps, job) => {
    const result = await redactForEvent(deps.db, deps.boss, webhookEventId)
    job.log.info(result, 'personal data redaction')
  },
  'shopify.reconcile': async (_payload, deps, job) => {
    const shop = deps.config.shopify.shopDomain
    if (!deps.shopify || !shop) return
    const result = await reconcileSinceWatermark({ db: deps.db, boss: deps.boss, shopify: deps.shopify, shop })
    if (result.queued > 0) job.log.info(result, `reconciliation found ${result.queued} order(s) whose webhooks did not bring them up to date`)
  },
  'shopify.subscriptions.check': async (_payload, deps, job) => {
    const auth = deps.config.shopify.auth
    if (!deps.shopify || !auth) return
    const check = await runSubscriptionCheck({ db: deps.db, shopify: deps.shopify, auth: auth.kind })
    if (check.status === 'missing') job.log.warn({ missing: check.missing }, `Shopify webhook subscriptions missing for ${check.missing.length} topic(s): run pod-bridge webhooks register`)
    else if (check.status === 'failed') job.log.warn({ error: check.error }, 'Shopify webhook subscriptions could not be checked')
  },
  'alerts.send': async ({ alertId }, deps) => { await sendAlert({ db: deps.db, alertWebhookUrl: deps.config.env.ALERT_WEBHOOK_URL }, alertId) }
,
  'order.route': routeOrderJob,
  'orders.release': releaseHeldJob,
  'mappings.import': importMappingsJob
}
