import t from 'tap'
import { migrateAll } from '../../src/service.ts'
import { createLogger } from '../../src/lib/logger.ts'
import { testApp } from '../helpers/app.ts'

t.test('when the database is empty, then /readyz answers 503 saying to migrate, and 200 once migrated', async (t) => {
  const { app, database, config } = await testApp(t, { empty: true })
  const before = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(before.statusCode, 503)
  t.match(before.json(), { ready: false, reason: /database not migrated .*run pod-bridge migrate/, checks: { database: 'ok' } })

  await migrateAll(database.url, config, createLogger('silent'))
  const after = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(after.statusCode, 200)
  t.match(after.json(), { ready: true, checks: { database: 'ok', migrations: 'ok' } })
})

t.test('when the database cannot be reached, then /readyz answers 503 and /healthz still 200', async (t) => {
  const { app, database } = await testApp(t)
  t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200)
  await database.close()
  const res = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(res.statusCode, 503)
  t.match(res.json(), { ready: false, reason: 'database unreachable', checks: { database: /^unreachable/ } })
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200)
})

t.test('when parts are not configured, then /readyz lists them as detail without failing', async (t) => {
  const { app } = await testApp(t)
  const res = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(res.statusCode, 200)
  t.match(res.json().problems, [/SHOPIFY_SHOP_DOMAIN/])
})
