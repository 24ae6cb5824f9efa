// A worker process killed with SIGKILL in the middle of a submission (the
// supplier got the request and will store the order; the worker never hears
// back). After a new worker starts, pg-boss runs the job again, the order is
// looked up first, and the supplier has exactly one order.
import t from 'tap'
import { createBoss, migrateBoss, sendJob } from '../../src/queue/boss.ts'
import { startSupplierSimulators } from '../../src/sim/suppliers.ts'
import { printfulSimDefaults } from '../../src/sim/printful/index.ts'
import { testDatabase } from '../helpers/database.ts'
import { eventually } from '../helpers/bridge.ts'
import { runCli } from '../helpers/process.ts'
import { seedSupplierOrder } from '../helpers/submission.ts'

t.test('when the worker is SIGKILLed mid-submission, then after a restart there is exactly one order at the supplier', async (t) => {
  const database = await testDatabase(t)
  const sims = await startSupplierSimulators()
  t.teardown(() => sims.close())
  // A killed worker's job comes back after its heartbeat stops: keep that short here.
  const jobs = { heartbeatSeconds: 10, expireSeconds: 120 }
  await migrateBoss(database.url, jobs)
  const env = {
    DATABASE_URL: database.url, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn',
    PRINTFUL_API_URL: sims.printful.url, PRINTFUL_API_TOKEN: printfulSimDefaults.token, PRINTFUL_STORE_ID: String(printfulSimDefaults.storeId),
    JOB_HEARTBEAT_SECONDS: String(jobs.heartbeatSeconds), JOB_EXPIRE_SECONDS: String(jobs.expireSeconds)
  }
  const externalId = 'pb-8008-f1'
  const { supplierOrderId } = await seedSupplierOrder(database.db, {
    supplier: 'printful',
    externalId,
    draft: { externalId, label: '#8008', test: false, recipient: { name: 'Jane Doe', address1: '19749 Dearborn St', city: 'Chatsworth', stateCode: 'CA', countryCode: 'US', zip: '91311' }, items: [{ lineRef: 'line-1', quantity: 1, ref: { syncVariantId: '4001' } }] }
  })
  // The supplier takes its time: long enough to kill the worker while it waits.
  sims.printful.control.injectFault({ kind: 'slow', method: 'POST', path: '/orders', delayMs: 3000 })

  const first = runCli(['start', '--role', 'worker'], env)
  t.teardown(() => { first.child.kill('SIGKILL') })
  const boss = createBoss({ url: database.url, jobs, maintenance: false })
  // Dropping the test database at teardown ends its connections: not an error worth failing on.
  boss.on('error', () => {})
  await boss.start()
  t.teardown(() => boss.stop({ graceful: false, close: true }))
  await sendJob(boss, 'supplier.submit', { supplierOrderId })
  await eventually(async () => sims.printful.control.requests({ method: 'POST', path: '/orders' }).length > 0, 20_000, 'the create request to reach Printful')
  first.child.kill('SIGKILL')
  await first.exited
  const intent = await database.db.selectFrom('supplier_orders').select('state').where('id', '=', supplierOrderId).executeTakeFirstOrThrow()
  t.equal(intent.state, 'submitting', 'the intent was committed before the request')

  const second = runCli(['start', '--role', 'worker'], env)
  t.teardown(() => { second.child.kill('SIGTERM') })
  const done = await eventually(async () => {
    const row = await database.db.selectFrom('supplier_orders').select(['state', 'supplier_order_id', 'attempts']).where('id', '=', supplierOrderId).executeTakeFirstOrThrow()
    return row.state === 'submitted' ? row : undefined
  }, 60_000, 'the restarted worker to finish the submission')
  t.equal(done.attempts, 2)
  const orders = sims.printful.control.orders().filter((o) => o.external_id === externalId)
  t.equal(orders.length, 1, 'exactly one order at Printful')
  t.equal(done.supplier_order_id, String(orders[0]?.id))
  second.child.kill('SIGTERM')
  t.equal((await second.exited).code, 0)
})
