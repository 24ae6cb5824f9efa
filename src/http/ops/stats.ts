// GET /v1/stats: the first look at 2 a.m. Counts by state, stuck orders and
// the oldest one's age per state, queue depths, each supplier's last recorded
// error, the latest webhook subscriptions check. Supplier budgets and circuit breakers do not exist yet, so they are
// reported as not tracked rather than as made-up numbers.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { orderStates } from '../../db/schema.ts'
import { lastSupplierErrors, ordersByState, queueDepths } from '../../orders/counts.ts'
import { stuckByState } from '../../orders/stuck.ts'
import { loadSubscriptionCheck, subscriptionCheckSchema } from '../../webhook-subscriptions.ts'
import { errorResponses } from './schemas.ts'
import type { OpsDeps } from './plugin.ts'

const statsResponse = z.object({
  orders: z.object({ total: z.number(), byState: z.record(z.string(), z.number()) }),
  stuck: z.object({
    total: z.number(),
    byState: z.array(z.object({ state: z.enum(orderStates), count: z.number(), oldestAgeSeconds: z.number(), stuckAfterSeconds: z.number() }))
  }),
  queues: z.array(z.object({ name: z.string(), queued: z.number(), deferred: z.number(), retry: z.number(), active: z.number(), failed: z.number(), total: z.number() })),
  suppliers: z.array(z.object({
    name: z.enum(['printful', 'printify']),
    budget: z.object({ tracked: z.literal(false), note: z.string() }),
    circuit: z.object({ tracked: z.literal(false), note: z.string() }),
    lastError: z.object({ message: z.string(), at: z.date(), supplierOrderId: z.string() }).nullable()
  })),
  /** The latest Shopify webhook subscriptions check (worker start, daily, and after `webhooks register`); null before the first. */
  webhookSubscriptions: subscriptionCheckSchema.nullable()
})

const notTracked = { tracked: false, note: 'not tracked yet' } as const

export const statsRoutes: FastifyPluginAsyncZod<OpsDeps> = async (app, { db, stuckThresholds }) => {
  app.get('/stats', { schema: { summary: 'Counts by state, stuck orders, queue depths, supplier health', response: { 200: statsResponse, ...errorResponses } } }, async () => {
    const now = new Date()
    const [byState, stuck, queues, lastErrors, subscriptions] = await Promise.all([ordersByState(db), stuckByState(db, stuckThresholds, now), queueDepths(db), lastSupplierErrors(db), loadSubscriptionCheck(db)])
    return {
      orders: { total: Object.values(byState).reduce((a, b) => a + b, 0), byState },
      stuck: {
        total: stuck.reduce((sum, s) => sum + s.count, 0),
        byState: stuck.map((s) => ({ ...s, stuckAfterSeconds: Math.floor((stuckThresholds.get(s.state) ?? 0) / 1000) }))
      },
      queues: queues.map((q) => ({ ...q, total: q.queued + q.deferred + q.retry + q.active })),
      suppliers: (['printful', 'printify'] as const).map((name) => ({ name, budget: notTracked, circuit: notTracked, lastError: lastErrors.get(name) ?? null })),
      webhookSubscriptions: subscriptions ?? null
    }
  })
}
