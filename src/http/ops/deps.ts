// What every /v1 route is given. In a file of its own so the frame
// (plugin.ts) and its route files import it without importing each other.
import type { PgBoss } from 'pg-boss'
import type { Db } from '../../db/database.ts'
import type { Waker } from '../../queue/waker.ts'
import type { StuckThresholds } from '../../orders/read/stuck.ts'
import type { ShopifyAdminClient } from '../../shopify/index.ts'
import type { BudgetLimits } from '../../suppliers/budget.ts'
import type { Registry } from '../../suppliers/registry.ts'
import type { ProductDeps } from '../../products/push.ts'

export interface OpsDeps {
  readonly db: Db
  readonly boss: PgBoss | undefined
  readonly opsApiToken: string | undefined
  /** OPS_READ_TOKEN: GET only. */
  readonly opsReadToken?: string | undefined
  readonly stuckThresholds: StuckThresholds
  readonly waker: Waker | undefined
  readonly shopify?: ShopifyAdminClient | undefined
  /** The suppliers' request budgets, for /v1/stats; absent, budgets are reported as not tracked. */
  readonly budgetLimits?: Readonly<Record<string, BudgetLimits>> | undefined
  /** The suppliers there are: the names the routes take and report. */
  readonly registry: Registry
  /** The product push's parts, for a dry run (POST /v1/products/push with dryRun). */
  readonly products?: ProductDeps | undefined
}
