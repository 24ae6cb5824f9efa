// The polling sweeper and the shared request budget: a token the sweeper
// takes pays for a read that will happen. Found by bench/replicas.ts at 30
// requests a minute: supplier webhooks had queued a supplier.sync for each
// order (waiting for its budget turn), the sweeper took a token for each of
// those orders as they fell due, and its own supplier.sync was dropped by the
// stately queue, so the token paid for nothing; the supplier got a few
// requests a minute out of a budget of 30.
import t from 'tap'
import { sql } from 'kysely'
import { loadConfig } from '../../src/config.ts'
import { createLogger } from '../../src/lib/logger.ts'
import { createBoss, sendJob } from '../../src/queue/boss.ts'
import { sweepOnce, type SweeperDeps } from '../../src/orders/status/sweeper.ts'
import { createBudget, type Budget } from '../../src/suppliers/budget.ts'
import { PrintifySupplier } from '../../src/suppliers/printify/supplier.ts'
import { builtInRegistry } from '../../src/suppliers/registry.ts'
import { printifySimDefaults } from '../../src/sim/printify/index.ts'
import { startSupplierSimulators } from '../../src/sim/suppliers.ts'
import { testDatabase } from '../helpers/database.ts'
import { seedPolledOrders } from '../helpers/polled-orders.ts'

t.test('when due orders already have a supplier.sync queued, then the sweeper takes no budget token for them, and one for the order that has none', async (t) => {
  const database = await testDatabase(t)
  const db = database.db
  const sims = await startSupplierSimulators()
  t.teardown(() => sims.close())
  const config = loadConfig({ DATABASE_URL: database.url })
  const boss = createBoss({ url: database.url, jobs: config.jobs, maintenance: false })
  boss.on('error', () => {})
  await boss.start()
  t.teardown(() => boss.stop({ graceful: false, close: true }))

  // The real budget, counting the tokens the sweeper keeps (taken and not given back).
  const real = createBudget(db, { printify: { perMinute: 600 } })
  let kept = 0
  const budget: Budget = {
    ...real,
    async take (supplier, use, options) {
      const taken = await real.take(supplier, use, options)
      if (taken.ok) kept++
      return taken
    },
    async giveBack (supplier) {
      kept--
      await real.giveBack(supplier)
    }
  }
  const printify = new PrintifySupplier({ apiUrl: sims.printify.url, token: printifySimDefaults.token, shopId: String(printifySimDefaults.shopId), userAgent: 'pod-bridge-test', timeoutMs: 1000 })
  const deps: SweeperDeps = { db, boss, config, log: createLogger('silent'), budget, suppliers: { printify }, files: {}, registry: builtInRegistry, waker: undefined, listReads: false }

  const orders = await seedPolledOrders(db, sims, printify, 3)
  await db.updateTable('supplier_orders').set({ next_poll_at: sql`now() - interval '1 minute'` }).where('id', 'in', orders.map((o) => o.supplierOrderId)).execute()
  // Two of them have a webhook's read queued, waiting for its budget turn.
  const waiting = orders.slice(0, 2)
  for (const order of waiting) await sendJob(boss, 'supplier.sync', { supplierOrderId: order.supplierOrderId }, { startAfter: new Date(Date.now() + 60_000) })

  const result = await sweepOnce(deps)

  const jobs = await sql<{ key: string, token_taken: boolean }>`
    select singleton_key as key, coalesce((data->>'tokenTaken')::boolean, false) as token_taken
    from pgboss.job where name = 'supplier.sync' and state = 'created'`.execute(db)
  const paid = jobs.rows.filter((j) => j.token_taken).map((j) => j.key)
  t.same(paid, [orders[2]!.supplierOrderId], 'the order without a queued read got one, paid for')
  t.equal(kept, paid.length, 'every token the sweeper kept pays for a queued read')
  t.equal(result.queued, 1)
  t.same(jobs.rows.filter((j) => !j.token_taken).map((j) => j.key).sort(), waiting.map((o) => o.supplierOrderId).sort(), 'the webhooks\' reads are still queued')
})
