// mappings.import: one supplier catalog into variant mappings, progress in mapping_imports.
import { runImport } from '../../orders/routing/mapping-import.ts'
import { queues } from '../../queue/queues.ts'
import type { WorkerDeps } from './deps.ts'
import type { Handler } from '../workers.ts'

export const importMappingsJob: Handler<'mappings.import', WorkerDeps> = async ({ importId }, deps, job) => {
  await runImport(deps.db, { suppliers: deps.suppliers, registry: deps.registry, shopify: deps.shopify, boss: deps.boss }, importId, { finalAttempt: job.retryCount >= queues['mappings.import'].options.retryLimit })
}
