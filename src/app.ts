// buildApp(deps) returns an unstarted Fastify instance: the service's HTTP
// side, built the same way by the CLI and by the tests. It never listens.
import { randomUUID } from 'node:crypto'
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import type { PgBoss } from 'pg-boss'
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod'
import type { Config } from './config.ts'
import type { Db } from './db/database.ts'
import { docs } from './http/docs.ts'
import { installErrorHandlers } from './http/errors.ts'
import { healthRoutes } from './http/health.ts'
import { refuseNul } from './http/no-nul.ts'
import { metricsRoute } from './http/metrics.ts'
import { budgetLimits } from './suppliers/budget.ts'
import { builtInRegistry, type Registry } from './suppliers/registry.ts'
import { stuckThresholds } from './orders/read/stuck.ts'
import { opsApi } from './http/ops/plugin.ts'
import type { ProductDeps } from './products/push.ts'
import { consolePages } from './http/console/plugin.ts'
import type { Readiness } from './readiness.ts'
import { createMetrics, type Metrics } from './lib/metrics.ts'
import { shopifyWebhooks } from './http/webhooks/shopify.ts'
import { supplierWebhooks } from './http/webhooks/suppliers.ts'
import type { Waker } from './queue/waker.ts'
import type { ShopifyAdminClient } from './shopify/index.ts'

/** An ops action's body is a few fields. */
export const DEFAULT_BODY_LIMIT = 64 * 1024

export interface AppDeps {
  readonly config: Config
  readonly db: Db
  /** Sends jobs (webhook intake, ops actions); absent only in tests of the HTTP frame. */
  readonly boss: PgBoss | undefined
  readonly readiness: Readiness
  readonly logger: Logger
  /** A worker replica serves only /healthz and /readyz (for its container's health check). */
  readonly routes?: 'all' | 'health'
  readonly metrics?: Metrics
  /** Wakes workers after a job is committed; absent, they find it at their next poll. */
  readonly waker?: Waker
  /** The store's Admin API, for the unmapped-variants report; absent when not configured. */
  readonly shopify?: ShopifyAdminClient | undefined
  /** The suppliers the service knows (default: the built-in ones). */
  readonly registry?: Registry
  /** What POST /v1/products/push's dry run reads (the suppliers, the store); absent, it answers 503. */
  readonly products?: ProductDeps
}

export async function buildApp (deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger, // eslint-disable-line @typescript-eslint/no-unnecessary-type-assertion -- pino's Logger generic would otherwise leak into every route type
    genReqId: (request) => {
      const given = request.headers['x-request-id']
      return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID()
    },
    // Closing waits for in-flight requests; idle keep-alive sockets are
    // closed at once so shutdown is not held up by them.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // request.ip (the failed-auth brake, logs) from X-Forwarded-For only through trusted proxies.
    trustProxy: deps.config.http.trustProxy,
    // Routes that take more say so themselves (webhooks, PUT /v1/mappings).
    bodyLimit: DEFAULT_BODY_LIMIT
  }).withTypeProvider<ZodTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  app.addHook('onSend', async (request, reply) => { void reply.header('x-request-id', request.id) })
  installErrorHandlers(app)
  refuseNul(app)

  const metrics = deps.metrics ?? createMetrics()
  await app.register(healthRoutes, { readiness: deps.readiness })
  const thresholds = stuckThresholds(deps.config.env.STUCK_AFTER)
  const registry = deps.registry ?? builtInRegistry
  const budgets = budgetLimits(deps.config.env, registry)
  await app.register(metricsRoute, { metrics, db: deps.routes === 'health' ? undefined : deps.db, stuckThresholds: thresholds, budgetLimits: budgets })
  if (deps.routes === 'health') return app
  await app.register(docs)
  await app.register(shopifyWebhooks, { config: deps.config, db: deps.db, boss: deps.boss, metrics, waker: deps.waker })
  await app.register(supplierWebhooks, { config: deps.config, db: deps.db, boss: deps.boss, metrics, waker: deps.waker, registry })
  await app.register(consolePages)
  await app.register(opsApi, { prefix: '/v1', db: deps.db, boss: deps.boss, opsApiToken: deps.config.opsApiToken, opsReadToken: deps.config.opsReadToken, stuckThresholds: thresholds, waker: deps.waker, shopify: deps.shopify, budgetLimits: budgets, registry, products: deps.products })
  return app
}
