// order.route: one transaction per run, the order row-locked inside it, so
// concurrent runs for one order serialise and a re-run finds nothing to do.
import type { SupplierName } from '../../db/schema.ts'
import { routeOrder, type RouteDeps } from '../../orders/routing/router.ts'
import type { WorkerDeps } from './deps.ts'
import type { Handler } from '../workers.ts'

export function routeDeps (deps: Pick<WorkerDeps, 'boss' | 'config' | 'suppliers' | 'registry'>): RouteDeps {
  const configured = new Set<SupplierName>(deps.registry.names.filter((name) => deps.suppliers[name] !== undefined))
  const personalizationProperties = Object.fromEntries(deps.registry.fileProviders.map((p) => [p.name, p.propertyNames(deps.config.env)]))
  return { boss: deps.boss, approval: deps.config.env.APPROVAL_MODE, shippingMethods: deps.config.env.SHIPPING_METHODS, configured, personalizationProperties, registry: deps.registry }
}

export const routeOrderJob: Handler<'order.route', WorkerDeps> = async ({ orderId }, deps, job) => {
  const outcome = await deps.db.transaction().execute((trx) => routeOrder(trx, routeDeps(deps), orderId))
  job.log.info({ orderId, ...outcome }, outcome.status === 'routed' || outcome.status === 'cancelled' ? `order ${outcome.status}, now ${outcome.state}` : `order not routed: ${outcome.status}`)
}
