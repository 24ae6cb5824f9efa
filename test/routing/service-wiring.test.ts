import t from 'tap'
import { sql } from 'kysely'
import { loadConfig } from '../../src/config.ts'
import { sendJob } from '../../src/queue/boss.ts'
import { createLogger } from '../../src/lib/logger.ts'
import { upsertMappings } from '../../src/orders/routing/mappings.ts'
import { startService } from '../../src/service.ts'
import { startSupplierSimulators } from '../../src/sim/suppliers.ts'
import { testDatabase } from '../helpers/database.ts'
import { printfulTee, seedOrder } from '../helpers/routing-factories.ts'

async function until<T> (what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

t.test('when the service starts against a Printful store linked to Shopify, then /readyz reports the double import, and its workers route and schedule the release sweep', async (t) => {
  const sims = await startSupplierSimulators({ printfulStoreType: 'shopify' })
  t.teardown(() => sims.close())
  const database = await testDatabase(t)
  const config = loadConfig({ ...sims.env, DATABASE_URL: database.url, HOST: '127.0.0.1', LOG_LEVEL: 'silent', APPROVAL_MODE: 'delay:5' })
  const service = await startService({ config, role: 'all', migrate: false, logger: createLogger('silent'), port: 0, shutdownTimeoutMs: 2000 })
  t.teardown(() => service.close())

  const problems = await until('the double-import problem', async () => {
    const body = await (await fetch(`${service.url}/readyz`)).json() as { ready: boolean, problems: string[] }
    return body.problems.some((p) => p.includes('every order would be made twice')) ? body : undefined
  })
  t.equal(problems.ready, true, 'reported as detail, not as unreadiness')
  t.match(problems.problems.find((p) => p.startsWith('Printful store')), /is of type "shopify"/)
  t.notOk(problems.problems.some((p) => p.startsWith('Printify')), 'the Printify shop is an API shop')

  await upsertMappings(database.db, [printfulTee])
  const seeded = await seedOrder(database.db, [{ sku: 'TEE-WHT-S' }])
  await sendJob(service.boss, 'order.route', { orderId: seeded.orderId })
  const held = await until('the supplier order', () => database.db.selectFrom('supplier_orders').select(['state', 'hold_until']).executeTakeFirst())
  t.equal(held.state, 'held')
  t.ok(held.hold_until)
  const schedules = await sql<{ name: string, cron: string }>`select name, cron from pgboss.schedule`.execute(database.db)
  t.match(schedules.rows, [{ name: 'orders.release', cron: '* * * * *' }])
})
