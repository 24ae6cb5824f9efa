// order.cancel: a cancellation carried to the suppliers.
import { cancelOrder } from '../../orders/submission/cancel.ts'
import type { WorkerDeps } from './deps.ts'
import type { Handler } from '../workers.ts'

export const cancelOrderJob: Handler<'order.cancel', WorkerDeps> = async ({ orderId, actor }, deps, job) => {
  const result = await cancelOrder({ db: deps.db, boss: deps.boss, suppliers: deps.suppliers, budget: deps.budget, log: job.log }, orderId, { actor: actor ?? 'shopify' }, job.retryCount)
  job.log.info({ orderId, outcomes: result.supplierOrders.map((s) => `${s.supplier}:${s.outcome}`) }, 'cancellation carried to the suppliers')
}
