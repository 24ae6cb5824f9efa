// What every job handler is given: the service's shared parts, built once by
// service.ts. In a file of its own so the handlers and the queue-to-handler
// map both import it without importing each other.
import type { PgBoss } from 'pg-boss'
import type { Logger } from 'pino'
import type { Config } from '../../config.ts'
import type { Db } from '../../db/database.ts'
import type { ShopifyAdminClient } from '../../shopify/index.ts'
import type { FileProviders, Registry, Suppliers } from '../../suppliers/registry.ts'
import type { Budget } from '../../suppliers/budget.ts'
import type { Waker } from '../../queue/waker.ts'
import type { ProductStore } from '../../products/push.ts'

export interface WorkerDeps {
  readonly config: Config
  readonly db: Db
  readonly boss: PgBoss
  readonly logger: Logger
  readonly waker: Waker
  /** Absent until the store and its credentials are configured. */
  readonly shopify: ShopifyAdminClient | undefined
  readonly suppliers: Suppliers
  /** Per-order print file providers that are configured. */
  readonly files: FileProviders
  readonly registry: Registry
  readonly budget: Budget
  /** The store side of the product push; absent until the store is configured. */
  readonly productStore?: ProductStore | undefined
}
