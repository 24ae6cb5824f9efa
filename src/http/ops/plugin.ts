// The /v1 frame: bearer auth on every route, zod schemas through the type
// provider (so they also become the OpenAPI document), DESIGN.md's error shape.
import type { FastifyPluginAsync } from 'fastify'
import { opsAccess } from './access.ts'
import type { OpsDeps } from './deps.ts'
import { orderRoutes } from './orders.ts'
import { approvalRoutes } from './approval.ts'
import { mappingRoutes } from './mappings.ts'
import { statsRoutes } from './stats.ts'
import { webhookRoutes } from './webhooks.ts'
import { cancelRoutes } from './cancel.ts'
import { consoleRoutes } from './console-routes.ts'
import { productRoutes } from './products.ts'

export const opsApi: FastifyPluginAsync<OpsDeps> = async (app, deps) => {
  app.addHook('onRequest', opsAccess(deps.opsApiToken, deps.opsReadToken))
  const routeDeps: OpsDeps = { db: deps.db, boss: deps.boss, opsApiToken: deps.opsApiToken, stuckThresholds: deps.stuckThresholds, waker: deps.waker, shopify: deps.shopify, budgetLimits: deps.budgetLimits, registry: deps.registry, products: deps.products }
  await app.register(statsRoutes, routeDeps)
  await app.register(orderRoutes, routeDeps)
  await app.register(webhookRoutes, routeDeps)
  await app.register(mappingRoutes, routeDeps)
  await app.register(approvalRoutes, routeDeps)
  await app.register(cancelRoutes, routeDeps)
  await app.register(consoleRoutes, routeDeps)
  await app.register(productRoutes, routeDeps)
}
