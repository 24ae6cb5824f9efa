// Queue name → handler, one file per queue. Queues without a handler here are
// not worked by this version; /readyz lists the queues that are.
import type { Handlers } from '../workers.ts'
import type { WorkerDeps } from './deps.ts'
import { sendAlertJob } from './alerts-send.ts'
import { importMappingsJob } from './mappings-import.ts'
import { cancelOrderJob } from './order-cancel.ts'
import { routeOrderJob } from './order-route.ts'
import { syncOrderJob } from './order-sync.ts'
import { releaseHeldJob } from './orders-release.ts'
import { redactJob } from './privacy-redact.ts'
import { fulfillShipmentJob } from './shopify-fulfill.ts'
import { reconcileJob } from './shopify-reconcile.ts'
import { subscriptionCheckJob } from './shopify-subscriptions-check.ts'
import { submitSupplierOrderJob } from './supplier-submit.ts'
import { syncSupplierOrderJob } from './supplier-sync.ts'
import { productPushJob } from './product-push.ts'


export const handlers: Handlers<WorkerDeps> = {
  'order.sync': syncOrderJob,
  'supplier.submit': submitSupplierOrderJob,
  'supplier.sync': syncSupplierOrderJob,
  'shopify.fulfill': fulfillShipmentJob,
  'order.cancel': cancelOrderJob,
  'privacy.redact': redactJob,
  'shopify.reconcile': reconcileJob,
  'shopify.subscriptions.check': subscriptionCheckJob,
  'alerts.send': sendAlertJob,
  'order.route': routeOrderJob,
  'orders.release': releaseHeldJob,
  'mappings.import': importMappingsJob,
  'product.push': productPushJob
}
