// order.route: one transaction per run, the order row-locked inside it, so
// concurrent runs for one order serialise and a re-run finds nothing to do.
import type { SupplierName } from '../../db/schema.ts'
import { routeOrder, type RouteDeps } from '../../orders/routing/router.ts'
import type { WorkerDeps } from './deps.ts'
import type { Handler } from '../workers.ts'

export function routeDeps (deps: Pick<WorkerDeps, 'boss' | 'config' | 'suppliers'>): RouteDeps {
  const configured = new Set<SupplierName>()
  if (deps.suppliers.printful) configured.add('printful')
  if (deps.suppliers.printify) configured.add('printify')
  return { boss: deps.boss, approval: deps.config.env.APPROVAL_MODE, shippingMethods: deps.config.env.SHIPPING_METHODS, configured, personalizationProperties: deps.config.env.CUSTOMILY_PROPERTIES }
}

export const routeOrderJob: Handler<'order.route', WorkerDeps> = async ({ orderId }, deps, job) => {
  const outcome = await deps.db.transaction().execute((trx) => routeOrder(trx, routeDeps(deps), orderId))
  job.log.info({ orderId, ...outcome }, outcome.status === 'routed' || outcome.status === 'cancelled' ? `order ${outcome.status}, now ${outcome.state}` : `order not routed: ${outcome.status}`)
}
