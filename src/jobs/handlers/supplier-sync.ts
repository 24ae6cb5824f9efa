// supplier.sync: read one supplier order from its supplier and apply what it says.
import { syncSupplierOrder } from '../../orders/status/supplier-sync.ts'
import type { WorkerDeps } from './deps.ts'
import type { Handler } from '../workers.ts'

export const syncSupplierOrderJob: Handler<'supplier.sync', WorkerDeps> = async ({ supplierOrderId, tokenTaken }, deps, job) => {
  await syncSupplierOrder({ db: deps.db, boss: deps.boss, suppliers: deps.suppliers, files: deps.files, registry: deps.registry, budget: deps.budget, config: deps.config, log: job.log }, supplierOrderId, tokenTaken ? { tokenTaken } : {})
}
