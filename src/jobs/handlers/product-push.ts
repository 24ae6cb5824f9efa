// product.push: push, archive or withdraw one product (src/products/run.ts).
import { runProductJob } from '../../products/run.ts'
import { budgetLimits } from '../../suppliers/budget.ts'
import type { WorkerDeps } from './deps.ts'
import type { Handler } from '../workers.ts'

export const productPushJob: Handler<'product.push', WorkerDeps> = async (payload, deps, job) => {
  await runProductJob({
    db: deps.db, boss: deps.boss, budget: deps.budget, budgetLimits: budgetLimits(deps.config.env, deps.registry), store: deps.productStore, suppliers: deps.suppliers, registry: deps.registry,
    settings: deps.config.products, log: job.log
  }, payload, job)
}
