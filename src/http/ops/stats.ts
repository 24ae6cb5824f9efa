// GET /v1/stats: the first look at 2 a.m. Counts by state, stuck orders and
// the oldest one's age per state, queue depths, each supplier's last recorded
// error, the latest webhook subscriptions check, and each supplier's request
// budget. The "circuit" is the budget's block: a 429 opens it until the
// supplier's Retry-After, for every worker; other failures back off per job
// (pg-boss retries) and do not stop the other jobs.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { orderStates } from '../../db/schema.ts'
import { lastSupplierErrors, ordersByState, queueDepths } from '../../orders/read/counts.ts'
import { stuckByState } from '../../orders/read/stuck.ts'
import { readBudgets } from '../../suppliers/budget.ts'
import { loadSubscriptionCheck, subscriptionCheckSchema } from '../../webhook-subscriptions.ts'
import { errorResponses } from './schemas.ts'
import type { OpsDeps } from './deps.ts'

const statsResponse = z.object({
  orders: z.object({ total: z.number(), byState: z.record(z.string(), z.number()) }),
  stuck: z.object({
    total: z.number(),
    byState: z.array(z.object({ state: z.enum(orderStates), count: z.number(), oldestAgeSeconds: z.number(), stuckAfterSeconds: z.number() }))
  }),
  queues: z.array(z.object({ name: z.string(), queued: z.number(), deferred: z.number(), retry: z.number(), active: z.number(), failed: z.number(), total: z.number() })),
  suppliers: z.array(z.object({
    name: z.string(),
    budget: z.union([
      z.object({ tracked: z.literal(true), perMinute: z.number(), capacity: z.number(), tokens: z.number() }),
      z.object({ tracked: z.literal(false), note: z.string() })
    ]),
    circuit: z.union([
      z.object({ tracked: z.literal(true), state: z.enum(['closed', 'open']), until: z.date().nullable(), reason: z.string().nullable() }),
      z.object({ tracked: z.literal(false), note: z.string() })
    ]),
    lastError: z.object({ message: z.string(), at: z.date(), supplierOrderId: z.string() }).nullable()
  })),
  /** The latest Shopify webhook subscriptions check (worker start, daily, and after `webhooks register`); null before the first. */
  webhookSubscriptions: subscriptionCheckSchema.nullable()
})

const notTracked = { tracked: false, note: 'no budget configured' } as const

export const statsRoutes: FastifyPluginAsyncZod<OpsDeps> = async (app, { db, stuckThresholds, budgetLimits, registry }) => {
  app.get('/stats', { schema: { summary: 'Counts by state, stuck orders, queue depths, supplier health', response: { 200: statsResponse, ...errorResponses } } }, async () => {
    const now = new Date()
    const [byState, stuck, queues, lastErrors, subscriptions, budgets] = await Promise.all([ordersByState(db), stuckByState(db, stuckThresholds, now), queueDepths(db), lastSupplierErrors(db), loadSubscriptionCheck(db), readBudgets(db, budgetLimits ?? {})])
    return {
      orders: { total: Object.values(byState).reduce((a, b) => a + b, 0), byState },
      stuck: {
        total: stuck.reduce((sum, s) => sum + s.count, 0),
        byState: stuck.map((s) => ({ ...s, stuckAfterSeconds: Math.floor((stuckThresholds.get(s.state) ?? 0) / 1000) }))
      },
      queues: queues.map((q) => ({ ...q, total: q.queued + q.deferred + q.retry + q.active })),
      suppliers: registry.names.map((name) => {
        const budget = budgets.get(name)
        return {
          name,
          budget: budget ? { tracked: true as const, perMinute: budget.perMinute, capacity: budget.capacity, tokens: budget.tokens } : notTracked,
          circuit: budget ? { tracked: true as const, state: budget.blockedUntil ? 'open' as const : 'closed' as const, until: budget.blockedUntil, reason: budget.blockedUntil ? budget.lastError : null } : notTracked,
          lastError: lastErrors.get(name) ?? null
        }
      }),
      webhookSubscriptions: subscriptions ?? null
    }
  })
}
