// Prometheus metrics (prom-client), one registry per service instance so
// tests stay independent. Served at GET /metrics.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

export interface Metrics {
  readonly registry: Registry
  readonly webhooks: Counter<'source' | 'topic' | 'outcome'>
  readonly ingestSeconds: Histogram<'source'>
  readonly intakeBatchSize: Histogram
}

export function createMetrics (options: { defaults?: boolean } = {}): Metrics {
  const registry = new Registry()
  if (options.defaults) collectDefaultMetrics({ register: registry, prefix: 'pod_bridge_' })
  return {
    registry,
    webhooks: new Counter({
      name: 'pod_bridge_webhooks_total',
      help: 'Webhook deliveries by source, topic and outcome (accepted, duplicate, ignored, or the refusal)',
      labelNames: ['source', 'topic', 'outcome'],
      registers: [registry]
    }),
    ingestSeconds: new Histogram({
      name: 'pod_bridge_webhook_ingest_seconds',
      help: 'Time from a webhook request to its answer',
      labelNames: ['source'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry]
    }),
    intakeBatchSize: new Histogram({
      name: 'pod_bridge_intake_batch_size',
      help: 'Shopify order deliveries stored per intake transaction (more than 1: group commit under load)',
      buckets: [1, 2, 5, 10, 25, 50, 100],
      registers: [registry]
    })
  }
}
