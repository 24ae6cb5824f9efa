import t from 'tap'
import { createBoss, sendJob } from '../../src/queue/boss.ts'
import { createWaker, listenForWakes } from '../../src/queue/waker.ts'
import { startWorkers } from '../../src/jobs/workers.ts'
import { loadConfig } from '../../src/config.ts'
import { createLogger } from '../../src/lib/logger.ts'
import { testDatabase } from '../helpers/database.ts'

t.test('when a job is committed and the waker is poked, then an idle worker with a long poll picks it up at once', async (t) => {
  const database = await testDatabase(t)
  const config = loadConfig({ DATABASE_URL: database.url })
  const log = createLogger('silent')
  const boss = createBoss({ url: database.url, jobs: config.jobs, maintenance: false })
  // Dropping the test database at teardown ends its connections: not an error worth failing on.
  boss.on('error', () => {})
  await boss.start()
  t.teardown(() => boss.stop({ graceful: false, close: true }))
  const seen: string[] = []
  let done: () => void = () => {}
  const processed = new Promise<void>((resolve) => { done = resolve })
  const waker = createWaker(database.pool, log)
  // A 60 s poll: only the wake-up can bring the job in before the test's timeout.
  const workers = await startWorkers(boss, {
    'order.route': async ({ orderId }) => { seen.push(orderId); done() }
  }, {}, log, { waker, pollingIntervalSeconds: 60, concurrency: 1 })
  t.teardown(() => workers.stop({ timeoutMs: 1000 }))
  const listener = await listenForWakes(database.url, boss, workers.ids, log)
  t.teardown(() => listener.close())
  // Let the worker's first (empty) fetch happen, so it is asleep for its poll.
  await new Promise((resolve) => setTimeout(resolve, 500))

  const orderId = '2f0e3b1c-7a58-4a4e-9a51-0c3f4f0b7d11'
  await database.db.transaction().execute((trx) => sendJob(boss, 'order.route', { orderId }, { trx }))
  waker.wake('order.route')
  await Promise.race([processed, new Promise((_resolve, reject) => setTimeout(() => reject(new Error('the job was not picked up within 10 s: the wake-up did not arrive')), 10_000))])
  t.same(seen, [orderId])
  await waker.idle()
})

t.test('when the waker is poked many times at once, then it sends few notifications and always one after the last poke', async (t) => {
  let queries = 0
  const pool = { query: async () => { queries++; await new Promise((resolve) => setTimeout(resolve, 20)); return { rows: [] } } } as unknown as Parameters<typeof createWaker>[0]
  const waker = createWaker(pool, createLogger('silent'))
  for (let i = 0; i < 100; i++) waker.wake('order.sync')
  await waker.idle()
  t.equal(queries, 2, 'one in flight, one more for the pokes that came meanwhile')
  waker.wake('order.sync')
  await waker.idle()
  t.equal(queries, 3)
})
