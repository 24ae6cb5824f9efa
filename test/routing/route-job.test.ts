import t from 'tap'
import { builtInRegistry } from '../../src/suppliers/registry.ts'
import { createBudget } from '../../src/suppliers/budget.ts'
import { sendJob } from '../../src/queue/boss.ts'
import { sql } from 'kysely'
import type { WorkerDeps } from '../../src/jobs/handlers/deps.ts'
import { routeOrderJob } from '../../src/jobs/handlers/order-route.ts'
import { createWaker } from '../../src/queue/waker.ts'
import { startWorkers } from '../../src/jobs/workers.ts'
import { createLogger } from '../../src/lib/logger.ts'
import { upsertMappings } from '../../src/orders/routing/mappings.ts'
import { testApp } from '../helpers/app.ts'
import { printfulTee, seedOrder } from '../helpers/routing-factories.ts'

t.test('when three order.route jobs for one order run through real workers at once, then one supplier order results', async (t) => {
  const { database, boss, config } = await testApp(t, { boss: true, env: { PRINTFUL_API_TOKEN: 'pf-token', APPROVAL_MODE: 'manual' } })
  const db = database.db
  await upsertMappings(db, [printfulTee])
  const seeded = await seedOrder(db, [{ sku: 'TEE-WHT-S' }])
  const logger = createLogger('silent')
  const deps: WorkerDeps = { config, db, boss: boss!, logger, waker: createWaker(database.pool, logger), suppliers: { printful: {} as never }, files: {}, registry: builtInRegistry, shopify: undefined, budget: createBudget(db, {}) }
  const workers = await startWorkers(boss!, { 'order.route': routeOrderJob }, deps, logger, { concurrency: 3 })
  t.teardown(() => workers.stop({ timeoutMs: 1000 }))
  // Three jobs under different singleton keys (the stately policy keeps one per key and state), so
  // they can overlap: the row lock serialises them.
  for (let i = 0; i < 3; i++) t.ok(await sendJob(boss!, 'order.route', { orderId: seeded.orderId }, { singletonKey: `${seeded.orderId}-${String(i)}` }))
  for (let i = 0; i < 100; i++) {
    const done = await sql<{ n: number }>`select count(*)::int as n from pgboss.job where name = 'order.route' and state = 'completed'`.execute(db)
    if (done.rows[0]?.n === 3) break
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  t.equal((await sql<{ n: number }>`select count(*)::int as n from pgboss.job where name = 'order.route' and state = 'completed'`.execute(db)).rows[0]?.n, 3)
  t.match(await db.selectFrom('supplier_orders').select(['supplier', 'state', 'reason']).execute(), [{ supplier: 'printful', state: 'held', reason: 'waiting for approval (APPROVAL_MODE=manual)' }])
  t.match(await db.selectFrom('orders').select('state').executeTakeFirst(), { state: 'held' })
  t.equal((await db.selectFrom('order_events').select('id').where('kind', '=', 'supplier_order.created').execute()).length, 1)
})
