// GET /metrics (Prometheus text). Besides the counters the routes keep, the
// state of the whole bridge is read from the database at scrape time, so
// every api replica reports the same numbers: orders by state, stuck orders
// and the oldest one's age, jobs by queue and state. The reads finish before
// the text is rendered; a read that fails drops its gauge from that scrape
// (rather than serving stale numbers) and is counted, and the process's own
// counters are still served.
import type { FastifyPluginAsync } from 'fastify'
import { Counter, Gauge, type Registry } from 'prom-client'
import type { Db } from '../db/database.ts'
import type { Metrics } from '../lib/metrics.ts'
import { ordersByState, queueDepths } from '../orders/read/counts.ts'
import { stuckByState, type StuckThresholds } from '../orders/read/stuck.ts'
import { readBudgets, type BudgetLimits } from '../suppliers/budget.ts'

export interface MetricsRouteDeps {
  readonly metrics: Metrics
  /** Absent on a worker replica's health-only server: no database gauges there. */
  readonly db: Db | undefined
  readonly stuckThresholds: StuckThresholds
  /** The suppliers' request budgets, reported as tokens left. */
  readonly budgetLimits?: Readonly<Record<string, BudgetLimits>> | undefined
}

const jobStates = ['queued', 'deferred', 'retry', 'active', 'failed'] as const

function databaseGauges (registry: Registry, db: Db, thresholds: StuckThresholds, limits: Readonly<Record<string, BudgetLimits>>, log: { warn (obj: object, msg: string): void }): () => Promise<void> {
  const gauge = <L extends string>(name: string, help: string, labelNames: L[]): Gauge<L> => new Gauge({ name, help, labelNames, registers: [registry] })
  const orders = gauge('pod_bridge_orders', 'Orders by state', ['state'])
  const stuck = gauge('pod_bridge_orders_stuck', 'Orders with no progress for longer than STUCK_AFTER allows in their state', ['state'])
  const oldest = gauge('pod_bridge_oldest_stuck_age_seconds', 'Time in its state of the oldest stuck order, per state (0 when none is stuck)', ['state'])
  const jobs = gauge('pod_bridge_jobs', 'Jobs by queue and state (queued, deferred, retry, active, failed)', ['queue', 'state'])
  const tokens = gauge('pod_bridge_supplier_budget_tokens', 'Requests a supplier\'s shared budget allows right now (0 while blocked after a 429)', ['supplier'])
  const blocked = gauge('pod_bridge_supplier_blocked', '1 while a 429\'s Retry-After stops every request to the supplier', ['supplier'])
  const errors = new Counter({ name: 'pod_bridge_metrics_scrape_errors_total', help: 'Scrapes whose database-derived gauges could not be read, by gauge', labelNames: ['gauge'], registers: [registry] })

  const read = async (name: string, gauges: Gauge[], fill: () => Promise<void>): Promise<void> => {
    for (const g of gauges) g.reset()
    try {
      await fill()
    } catch (err) {
      for (const g of gauges) g.reset()
      errors.inc({ gauge: name })
      log.warn({ err, gauge: name }, 'could not read a metric from the database')
    }
  }
  return async () => {
    const now = new Date()
    await Promise.all([
      read('orders', [orders], async () => {
        for (const [state, count] of Object.entries(await ordersByState(db))) orders.set({ state }, count)
      }),
      read('orders_stuck', [stuck, oldest], async () => {
        const rows = await stuckByState(db, thresholds, now)
        for (const state of thresholds.keys()) {
          const row = rows.find((r) => r.state === state)
          stuck.set({ state }, row?.count ?? 0)
          oldest.set({ state }, row?.oldestAgeSeconds ?? 0)
        }
      }),
      read('supplier_budget', [tokens, blocked], async () => {
        for (const [supplier, budget] of await readBudgets(db, limits)) {
          tokens.set({ supplier }, budget.tokens)
          blocked.set({ supplier }, budget.blockedUntil ? 1 : 0)
        }
      }),
      read('jobs', [jobs], async () => {
        for (const depth of await queueDepths(db)) for (const state of jobStates) jobs.set({ queue: depth.name, state }, depth[state])
      })
    ])
  }
}

export const metricsRoute: FastifyPluginAsync<MetricsRouteDeps> = async (app, { metrics, db, stuckThresholds, budgetLimits }) => {
  const registry = metrics.registry
  const refresh = db ? databaseGauges(registry, db, stuckThresholds, budgetLimits ?? {}, app.log) : undefined
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    await refresh?.()
    return reply.type(registry.contentType).send(await registry.metrics())
  })
}
