import t from 'tap'
import { builtInRegistry } from '../../src/suppliers/registry.ts'
import { createBudget } from '../../src/suppliers/budget.ts'
import { sql } from 'kysely'
import type { PgBoss } from 'pg-boss'
import { loadConfig } from '../../src/config.ts'
import { createBoss } from '../../src/queue/boss.ts'
import { handlers } from '../../src/jobs/handlers/index.ts'
import type { WorkerDeps } from '../../src/jobs/handlers/deps.ts'
import { startAlertScanner } from '../../src/jobs/alert-scanner.ts'
import { sendAlert } from '../../src/jobs/send-alert.ts'
import { createWaker, listenForWakes } from '../../src/queue/waker.ts'
import { startWorkers } from '../../src/jobs/workers.ts'
import { createLogger } from '../../src/lib/logger.ts'
import { alertText, raiseAlert, scanForAlerts } from '../../src/orders/read/alerts.ts'
import { stuckThresholds } from '../../src/orders/read/stuck.ts'
import { testDatabase, type TestDatabase } from '../helpers/database.ts'
import { ago, eventually, order } from '../helpers/factories.ts'
import { startReceiver, type Receiver } from '../helpers/receiver.ts'

const MIN = 60_000
const DAY = 86_400_000
const log = createLogger('silent')

interface TapLike { teardown (fn: () => unknown): void, passing (): boolean, comment (...m: unknown[]): void }

async function setup (t: TapLike, options: { workers?: boolean, receiver?: boolean } = {}): Promise<{ database: TestDatabase, boss: PgBoss, receiver: Receiver | undefined }> {
  const database = await testDatabase(t)
  const receiver = options.receiver === false ? undefined : await startReceiver(t)
  const config = loadConfig({ DATABASE_URL: database.url, ...(receiver ? { ALERT_WEBHOOK_URL: receiver.url } : {}) })
  const boss = createBoss({ url: database.url, jobs: config.jobs, maintenance: false })
  // Dropping the test database at teardown ends its connections: not an error worth failing on.
  boss.on('error', () => {})
  await boss.start()
  t.teardown(() => boss.stop({ graceful: false, close: true }))
  if (options.workers) {
    const waker = createWaker(database.pool, log)
    const workers = await startWorkers<WorkerDeps>(boss, { 'alerts.send': handlers['alerts.send']! }, { config, db: database.db, boss, logger: log, waker, shopify: undefined, suppliers: {}, files: {}, registry: builtInRegistry, budget: createBudget(database.db, {}) }, log, { waker, concurrency: 1 })
    const listener = await listenForWakes(database.url, boss, workers.ids, log)
    t.teardown(async () => { await listener.close(); await workers.stop({ timeoutMs: 2000 }); await waker.idle() })
  }
  return { database, boss, receiver }
}

const thresholds = stuckThresholds(loadConfig({}).env.STUCK_AFTER)

t.test('when an order needs attention and another is stuck, then each is POSTed once to the receiver and the timeline shows it', async (t) => {
  const { database, boss, receiver } = await setup(t, { workers: true })
  const db = database.db
  const attention = await order(db, { name: '#1001', state: 'needs_attention', state_reason: 'Printful refused the address: ZIP code is invalid', email: 'jane@example.com' })
  const stuck = await order(db, { name: '#1002', state: 'submitted', state_changed_at: ago(3 * DAY + 5 * MIN) })
  await order(db, { name: '#1003', state: 'submitted', state_changed_at: ago(3 * DAY - 5 * MIN) })

  t.equal((await scanForAlerts(db, boss, thresholds, new Date())).length, 2)
  t.equal((await scanForAlerts(db, boss, thresholds, new Date())).length, 0, 'a second scan raises nothing for the same episodes')
  await eventually(async () => receiver!.requests.length >= 2 ? true : undefined, 15_000, 'two alerts delivered')
  await eventually(async () => {
    const sent = await db.selectFrom('alerts').select('id').where('status', '=', 'sent').execute()
    return sent.length === 2 ? true : undefined
  }, 5000, 'both alerts marked sent')
  t.equal(receiver!.requests.length, 2, 'exactly one POST per alert')

  const texts = receiver!.requests.map((r) => (r.body as { text: string }).text).sort()
  t.match(texts[0], /^:hourglass: Order #1002 is stuck in submitted: no progress in submitted for 3d/)
  t.equal(texts[1], ':rotating_light: Order #1001 needs attention: Printful refused the address: ZIP code is invalid')
  t.match(receiver!.requests[0], { method: 'POST', headers: { 'content-type': 'application/json' } })
  t.notOk(JSON.stringify(receiver!.requests).includes('jane@example.com'), 'no email in the alert')

  const timeline = await db.selectFrom('order_events').select(['order_id', 'kind']).where('kind', 'like', 'alert.%').orderBy('id').execute()
  t.same(timeline.filter((e) => e.order_id === attention.id).map((e) => e.kind), ['alert.raised', 'alert.sent'])
  t.same(timeline.filter((e) => e.order_id === stuck.id).map((e) => e.kind), ['alert.raised', 'alert.sent'])
})

t.test('when an order leaves a state and comes back to it, then that is a new episode with a new alert; staying put is not', async (t) => {
  const { database, boss } = await setup(t)
  const db = database.db
  const o = await order(db, { state: 'needs_attention', state_reason: 'unknown variant', state_changed_at: ago(MIN) })
  t.equal((await scanForAlerts(db, boss, thresholds, new Date())).length, 1)
  await db.updateTable('orders').set({ state_reason: 'still unknown variant' }).where('id', '=', o.id).execute()
  t.equal((await scanForAlerts(db, boss, thresholds, new Date())).length, 0, 'same episode')
  await db.updateTable('orders').set({ state: 'submitted', state_changed_at: ago(30_000) }).where('id', '=', o.id).execute()
  t.equal((await scanForAlerts(db, boss, thresholds, new Date())).length, 0, 'submitted and not yet stuck')
  await db.updateTable('orders').set({ state: 'needs_attention', state_changed_at: new Date() }).where('id', '=', o.id).execute()
  t.equal((await scanForAlerts(db, boss, thresholds, new Date())).length, 1, 'a second stay in needs_attention alerts again')

  const later = new Date(Date.now() + 3 * DAY)
  await db.updateTable('orders').set({ state: 'submitted', state_changed_at: new Date() }).where('id', '=', o.id).execute()
  t.equal((await scanForAlerts(db, boss, thresholds, new Date(later.getTime() - 1000))).length, 0, 'just under 3 days in submitted: not stuck')
  t.equal((await scanForAlerts(db, boss, thresholds, new Date(later.getTime() + 1000))).length, 1, 'just over: stuck, alerted')
  const kinds = await db.selectFrom('alerts').select(['kind', 'state']).orderBy('created_at').execute()
  t.same(kinds.map((k) => [k.kind, k.state]), [['needs_attention', 'needs_attention'], ['needs_attention', 'needs_attention'], ['stuck', 'submitted']])
})

t.test('when code raises the alert itself in its transaction, then the scan does not raise it again', async (t) => {
  const { database, boss } = await setup(t)
  const db = database.db
  const o = await order(db, { state: 'needs_attention', state_reason: 'address rejected' })
  const id = await db.transaction().execute((trx) => raiseAlert(trx, boss, { orderId: o.id, kind: 'needs_attention', state: 'needs_attention', episodeAt: o.state_changed_at, reason: 'address rejected' }))
  t.ok(id)
  t.equal(await db.transaction().execute((trx) => raiseAlert(trx, boss, { orderId: o.id, kind: 'needs_attention', state: 'needs_attention', episodeAt: o.state_changed_at, reason: 'address rejected' })), undefined, 'raising twice is a no-op')
  t.same(await scanForAlerts(db, boss, thresholds, new Date()), [])
  const jobs = await sql<{ count: string }>`select count(*) from pgboss.job where name = 'alerts.send'`.execute(db)
  t.equal(Number(jobs.rows[0]?.count), 1, 'one delivery job')
})

t.test('when the receiver fails, then the send is retried, the first failure shows in the timeline, and the alert is delivered once', async (t) => {
  const { database, boss, receiver } = await setup(t)
  const db = database.db
  await order(db, { name: '#2001', state: 'needs_attention', state_reason: 'out of stock' })
  const [alertId] = await scanForAlerts(db, boss, thresholds, new Date())
  receiver!.answers = [500, 503]
  const deps = { db, alertWebhookUrl: receiver!.url }
  await t.rejects(sendAlert(deps, alertId!), /HTTP 500/)
  await t.rejects(sendAlert(deps, alertId!), /HTTP 503/)
  t.equal(await sendAlert(deps, alertId!), 'sent')
  t.equal(await sendAlert(deps, alertId!), 'nothing_to_do', 'a late duplicate job posts nothing')
  t.equal(receiver!.requests.length, 3)
  const alert = await db.selectFrom('alerts').selectAll().executeTakeFirstOrThrow()
  t.match(alert, { status: 'sent', attempts: 3, last_error: null })
  const timeline = await db.selectFrom('order_events').select(['kind', 'error']).where('kind', 'like', 'alert.%').orderBy('id').execute()
  t.same(timeline.map((e) => e.kind), ['alert.raised', 'alert.failed', 'alert.sent'])
  t.match(timeline[1]?.error, /HTTP 500/)
})

t.test('when the receiver is unreachable, then the claim is released so a retry can send', async (t) => {
  const { database, boss } = await setup(t, { receiver: false })
  const db = database.db
  await order(db, { state: 'needs_attention', state_reason: 'x' })
  const [alertId] = await scanForAlerts(db, boss, thresholds, new Date())
  await t.rejects(sendAlert({ db, alertWebhookUrl: 'http://127.0.0.1:1/nothing-listens' }, alertId!))
  t.match(await db.selectFrom('alerts').selectAll().executeTakeFirstOrThrow(), { status: 'pending', claimed_until: null, last_error: String })
})

t.test('when several workers send one alert at once, then it is posted once', async (t) => {
  const { database, boss, receiver } = await setup(t)
  const db = database.db
  await order(db, { state: 'needs_attention', state_reason: 'x' })
  const [alertId] = await scanForAlerts(db, boss, thresholds, new Date())
  const results = await Promise.all(Array.from({ length: 5 }, () => sendAlert({ db, alertWebhookUrl: receiver!.url }, alertId!)))
  t.same(results.filter((r) => r === 'sent').length, 1)
  t.equal(receiver!.requests.length, 1)
})

t.test('when no ALERT_WEBHOOK_URL is set, then the alert is recorded as skipped and the timeline says why', async (t) => {
  const { database, boss } = await setup(t, { receiver: false })
  const db = database.db
  await order(db, { state: 'needs_attention', state_reason: 'x' })
  const [alertId] = await scanForAlerts(db, boss, thresholds, new Date())
  t.equal(await sendAlert({ db, alertWebhookUrl: undefined }, alertId!), 'skipped')
  const events = await db.selectFrom('order_events').select(['kind', 'detail']).where('kind', '=', 'alert.skipped').execute()
  t.same(events, [{ kind: 'alert.skipped', detail: 'alert not sent: ALERT_WEBHOOK_URL is not set' }])
})

t.test('when the scanner ticks, then due alerts are raised without anyone calling the API, and it stops cleanly', async (t) => {
  const { database, boss } = await setup(t, { receiver: false })
  const db = database.db
  const o = await order(db, { state: 'received', state_changed_at: ago(11 * MIN) })
  const scanner = startAlertScanner({ db, boss, thresholds, logger: log, intervalMs: 50 })
  const alert = await eventually(() => db.selectFrom('alerts').selectAll().where('order_id', '=', o.id).executeTakeFirst(), 5000, 'the stuck alert')
  await scanner.stop()
  t.match(alert, { kind: 'stuck', state: 'received', reason: /no progress in received for 11m/ })
})

t.test('when alert text is built, then it names the order, the state and the reason', async (t) => {
  t.equal(alertText({ kind: 'stuck', state: 'in_production', reason: 'no progress in in_production for 8d (expected within 7d)' }, { name: '#1', shopifyOrderId: 'gid://shopify/Order/1' }),
    ':hourglass: Order #1 is stuck in in_production: no progress in in_production for 8d (expected within 7d)')
  t.equal(alertText({ kind: 'needs_attention', state: 'needs_attention', reason: null }, { name: null, shopifyOrderId: 'gid://shopify/Order/1' }),
    ':rotating_light: Order gid://shopify/Order/1 needs attention: no reason recorded')
})
