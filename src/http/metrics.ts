// GET /metrics (Prometheus text). Besides the counters the routes keep, the
// state of the whole bridge is computed from the database at scrape time, so
// every api replica reports the same numbers: orders by state, stuck orders
// and the oldest one's age, jobs by queue and state. A failed database read
// drops those gauges from that scrape (rather than serving stale numbers) and
// is counted, while the process's own counters are still served.
import type { FastifyPluginAsync } from 'fastify'
import { Counter, Gauge } from 'prom-client'
import type { Db } from '../db/database.ts'
import type { Metrics } from '../lib/metrics.ts'
import { ordersByState, queueDepths } from '../orders/counts.ts'
import { stuckByState, type StuckThresholds } from '../orders/stuck.ts'

export interface MetricsRouteDeps {
  readonly metrics: Metrics
  /** Absent on a worker replica's health-only server: no database gauges there. */
  readonly db: Db | undefined
  readonly stuckThresholds: StuckThresholds
}

export const metricsRoute: FastifyPluginAsync<MetricsRouteDeps> = async (app, { metrics, db, stuckThresholds }) => {
  const registry = metrics.registry
  if (db && !registry.getSingleMetric('pod_bridge_orders')) {
    const errors = new Counter({ name: 'pod_bridge_metrics_scrape_errors_total', help: 'Scrapes whose database-derived gauges could not be read', labelNames: ['gauge'], registers: [registry] })
    const guarded = (gauge: Gauge, name: string, fill: () => Promise<void>) => async () => {
      gauge.reset()
      try {
        await fill()
      } catch (err) {
        gauge.reset()
        errors.inc({ gauge: name })
        app.log.warn({ err, gauge: name }, 'could not read a metric from the database')
      }
    }
    const orders: Gauge<'state'> = new Gauge({
      name: 'pod_bridge_orders',
      help: 'Orders by state',
      labelNames: ['state'],
      registers: [registry],
      collect: () => guarded(orders, 'orders', async () => {
        for (const [state, count] of Object.entries(await ordersByState(db))) orders.set({ state }, count)
      })()
    })
    const stuck: Gauge<'state'> = new Gauge({
      name: 'pod_bridge_orders_stuck',
      help: 'Orders with no progress for longer than STUCK_AFTER allows in their state',
      labelNames: ['state'],
      registers: [registry],
      collect: () => guarded(stuck, 'orders_stuck', async () => {
        for (const state of stuckThresholds.keys()) stuck.set({ state }, 0)
        for (const row of await stuckByState(db, stuckThresholds, new Date())) stuck.set({ state: row.state }, row.count)
      })()
    })
    const oldest: Gauge<'state'> = new Gauge({
      name: 'pod_bridge_oldest_stuck_age_seconds',
      help: 'Time in its state of the oldest stuck order, per state (0 when none is stuck)',
      labelNames: ['state'],
      registers: [registry],
      collect: () => guarded(oldest, 'oldest_stuck_age', async () => {
        for (const state of stuckThresholds.keys()) oldest.set({ state }, 0)
        for (const row of await stuckByState(db, stuckThresholds, new Date())) oldest.set({ state: row.state }, row.oldestAgeSeconds)
      })()
    })
    const jobs: Gauge<'queue' | 'state'> = new Gauge({
      name: 'pod_bridge_jobs',
      help: 'Jobs by queue and state (queued, deferred, retry, active, failed)',
      labelNames: ['queue', 'state'],
      registers: [registry],
      collect: () => guarded(jobs, 'jobs', async () => {
        for (const depth of await queueDepths(db)) {
          for (const state of ['queued', 'deferred', 'retry', 'active', 'failed'] as const) jobs.set({ queue: depth.name, state }, depth[state])
        }
      })()
    })
  }
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    return reply.type(registry.contentType).send(await registry.metrics())
  })
}
