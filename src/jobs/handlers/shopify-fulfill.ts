// shopify.fulfill: one shipment written back to Shopify with its tracking.
import { fulfillShipment } from '../../orders/fulfillment/write-back.ts'
import type { WorkerDeps } from './deps.ts'
import type { Handler } from '../workers.ts'

export const fulfillShipmentJob: Handler<'shopify.fulfill', WorkerDeps> = async ({ shipmentId }, deps, job) => {
  await fulfillShipment({ db: deps.db, boss: deps.boss, shopify: deps.shopify, config: deps.config, log: job.log }, shipmentId, job.retryCount)
}
