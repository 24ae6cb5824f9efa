import t from 'tap'
import { sql } from 'kysely'
import { bearer, testApp } from '../helpers/app.ts'
import { ago, order } from '../helpers/factories.ts'
import { parseExposition } from '../helpers/prometheus.ts'
import { delivery, fixture, webhookEnv } from '../helpers/shopify-webhooks.ts'

const DAY = 86_400_000

t.test('when /metrics is scraped, then it parses as Prometheus text and carries orders by state, stuck ages, jobs and webhooks', async (t) => {
  const { app, database } = await testApp(t, { env: webhookEnv, boss: true })
  await app.inject(delivery({ body: fixture('shopify-orders-create.sample.json') }))
  await order(database.db, { state: 'submitted', state_changed_at: ago(4 * DAY) })
  await order(database.db, { state: 'submitted', state_changed_at: ago(DAY) })

  const res = await app.inject({ url: '/metrics' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/plain; version=0\.0\.4/)
  const { types, samples } = parseExposition(res.body)
  const value = (name: string, labels: Record<string, string>): number | undefined =>
    samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value

  t.equal(types.get('pod_bridge_orders'), 'gauge')
  t.equal(value('pod_bridge_orders', { state: 'received' }), 1, 'the webhook\'s order')
  t.equal(value('pod_bridge_orders', { state: 'submitted' }), 2)
  t.equal(value('pod_bridge_orders', { state: 'cancelled' }), 0, 'every state is present')
  t.equal(value('pod_bridge_orders_stuck', { state: 'submitted' }), 1)
  t.equal(value('pod_bridge_orders_stuck', { state: 'in_production' }), 0)
  const oldest = value('pod_bridge_oldest_stuck_age_seconds', { state: 'submitted' }) ?? 0
  t.ok(oldest >= 4 * 86400 && oldest < 4 * 86400 + 60, 'the oldest stuck submitted order: 4 days')
  t.equal(value('pod_bridge_jobs', { queue: 'order.sync', state: 'queued' }), 1, 'the webhook queued a sync')
  t.equal(value('pod_bridge_jobs', { queue: 'order.sync', state: 'failed' }), 0)
  t.equal(value('pod_bridge_webhooks_total', { source: 'shopify', topic: 'orders/create', outcome: 'accepted' }), 1)
  t.equal(types.get('pod_bridge_webhook_ingest_seconds'), 'histogram')
  t.ok(samples.some((s) => s.name === 'pod_bridge_webhook_ingest_seconds_bucket' && s.labels.le === '+Inf'))
  t.equal(value('pod_bridge_intake_batch_size_count', {}), 1, 'one intake transaction')
  t.equal(value('pod_bridge_intake_batch_size_bucket', { le: '1' }), 1, 'of one delivery')
})

t.test('when the database cannot be read during a scrape, then the process counters are still served and the failure is counted', async (t) => {
  const { app, database } = await testApp(t, { env: webhookEnv })
  await sql`alter table orders rename to orders_elsewhere`.execute(database.db)
  await sql`alter table order_state_counts rename to order_state_counts_elsewhere`.execute(database.db)
  const res = await app.inject({ url: '/metrics' })
  t.equal(res.statusCode, 200)
  const { samples } = parseExposition(res.body)
  t.notOk(samples.some((s) => s.name === 'pod_bridge_orders'), 'no stale or made-up order counts')
  t.equal(samples.find((s) => s.name === 'pod_bridge_metrics_scrape_errors_total' && s.labels.gauge === 'orders')?.value, 1)
  t.ok(samples.some((s) => s.name === 'pod_bridge_jobs'), 'gauges that could be read are served')
})

t.test('when the exposition reader is given broken text, then it refuses it', async (t) => {
  t.throws(() => parseExposition('pod_bridge_x 1\n'), /undeclared family/)
  t.throws(() => parseExposition('# TYPE a gauge\na{l="x} 1\n'), /not a sample line|bad labels/)
  t.throws(() => parseExposition('# TYPE a gauge\na one\n'), /not a sample value/)
  t.throws(() => parseExposition('# TYPE a gauge\na 1'), /end with a newline/)
  t.same(parseExposition('# HELP a x\n# TYPE a gauge\na{l="q\\"uote"} 1.5\n').samples, [{ name: 'a', labels: { l: 'q\\"uote' }, value: 1.5 }])
})

t.test('when /metrics is asked for, then it needs no token (it is for the scraper)', async (t) => {
  const { app } = await testApp(t)
  t.equal((await app.inject({ url: '/metrics', headers: bearer('wrong-token-0123456789') })).statusCode, 200)
})
