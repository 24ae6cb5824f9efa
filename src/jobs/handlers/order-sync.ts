// order.sync: read the order over the Admin API and apply the routing policy.
import { syncOrder } from '../../orders/intake/order-sync.ts'
import type { WorkerDeps } from './deps.ts'
import type { Handler } from '../workers.ts'

export const syncOrderJob: Handler<'order.sync', WorkerDeps> = async (payload, deps, job) => {
  await syncOrder({ db: deps.db, boss: deps.boss, shopify: deps.shopify, config: deps.config, log: job.log, registry: deps.registry }, payload, job.retryCount)
}
