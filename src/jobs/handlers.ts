// Queue name → handler. Queues without a handler here are not worked by this
// version; /readyz lists the queues that are.
import type { PgBoss } from 'pg-boss'
import type { Logger } from 'pino'
import type { Config } from '../config.ts'
import type { Db } from '../db/database.ts'
import type { ShopifyAdminClient } from '../shopify/index.ts'
import type { Suppliers } from '../suppliers/index.ts'
import { importMappingsJob } from './handlers/import-mappings.ts'
import { releaseHeldJob } from './handlers/release-held.ts'
import { routeOrderJob } from './handlers/route-order.ts'
import type { Handlers } from './workers.ts'
import type { Waker } from './waker.ts'

export interface WorkerDeps {
  readonly config: Config
  readonly db: Db
  readonly boss: PgBoss
  readonly logger: Logger
  readonly waker: Waker
  readonly suppliers: Suppliers
  /** undefined when the store or its credentials are not configured. */
  readonly shopify: ShopifyAdminClient | undefined
}

export const handlers: Handlers<WorkerDeps> = {
  'order.route': routeOrderJob,
  'orders.release': releaseHeldJob,
  'mappings.import': importMappingsJob
}
