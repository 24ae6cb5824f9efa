// supplier.submit: one supplier order to its supplier, exactly once.
import { submitSupplierOrder } from '../../orders/submission/submit.ts'
import type { WorkerDeps } from './deps.ts'
import type { Handler } from '../workers.ts'

export const submitSupplierOrderJob: Handler<'supplier.submit', WorkerDeps> = async ({ supplierOrderId }, deps, job) => {
  await submitSupplierOrder({ db: deps.db, boss: deps.boss, suppliers: deps.suppliers, files: deps.files, registry: deps.registry, budget: deps.budget, config: deps.config, log: job.log }, supplierOrderId, job.retryCount)
}
