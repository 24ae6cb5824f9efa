// `pod-bridge sim` as a user runs it: the printed lines point a service at the
// simulators, and an order placed through the store's HTTP control API comes
// into the service through a signed webhook and an Admin API read.
import t from 'tap'
import { loadConfig } from '../../src/config.ts'
import { createLogger } from '../../src/lib/logger.ts'
import { startService } from '../../src/service.ts'
import { testDatabase } from '../helpers/database.ts'
import { eventually } from '../helpers/bridge.ts'
import { runCli } from '../helpers/process.ts'

t.test('when pod-bridge sim runs, then its lines configure a service that takes orders from the simulated store', async (t) => {
  const database = await testDatabase(t)
  // The service first, on a free port, so the simulators can be told where to send webhooks.
  const probe = await startService({ config: loadConfig({ DATABASE_URL: database.url, HOST: '127.0.0.1', LOG_LEVEL: 'silent' }), role: 'api', migrate: false, logger: createLogger('silent'), port: 0 })
  const serviceUrl = probe.url
  const port = new URL(serviceUrl).port
  await probe.close()

  const sim = runCli(['sim', '--service-url', serviceUrl], {})
  t.teardown(() => { sim.child.kill('SIGINT') })
  const env = await eventually(async () => {
    const lines = sim.output().split('\n').filter((line) => /^[A-Z_]+=/.test(line))
    return lines.length >= 14 ? Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])) : undefined
  }, 20_000, 'the environment lines')
  for (const name of ['SHOPIFY_SHOP_DOMAIN', 'SHOPIFY_API_URL', 'SHOPIFY_CLIENT_ID', 'SHOPIFY_CLIENT_SECRET', 'PRINTFUL_API_URL', 'PRINTFUL_API_TOKEN', 'PRINTIFY_API_URL', 'PRINTIFY_API_TOKEN', 'PRINTIFY_SHOP_ID', 'CUSTOMILY_API_KEY', 'CUSTOMILY_TOKEN_URL', 'CUSTOMILY_ITEM_URL', 'CUSTOMILY_SHOP_DOMAIN']) t.ok(env[name], name)
  const config = loadConfig({ ...env, DATABASE_URL: database.url, HOST: '127.0.0.1', PORT: port, LOG_LEVEL: 'silent', ROUTE_ORDERS_CREATED_AFTER: '2020-01-01T00:00:00Z' })
  const service = await startService({ config, role: 'all', migrate: false, logger: createLogger('silent') })
  t.teardown(() => service.close())

  const created = await fetch(`${env.SHOPIFY_API_URL!}/_control/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lines: [{ sku: 'SIM-TEE' }] }) })
  t.equal(created.status, 200)
  const ref = await created.json() as { id: string }
  // The settled outcome, not a passing state ("ready for routing" lasts only
  // until the router runs): read over the Admin API, then routed, and no
  // mapping exists for the simulator's SKU.
  const order = await eventually(async () => {
    const row = await database.db.selectFrom('orders').select(['state', 'state_reason', 'synced_at']).where('shopify_order_id', '=', ref.id).executeTakeFirst()
    return row?.state === 'needs_attention' ? row : undefined
  }, 15_000, 'the simulated order to be synced and routed')
  t.equal(order.state_reason, 'no mapping for SKU SIM-TEE')
  t.ok(order.synced_at, 'read over the Admin API')

  const printful = await fetch(`${env.PRINTFUL_API_URL!}/stores`, { headers: { authorization: `Bearer ${env.PRINTFUL_API_TOKEN!}` } })
  t.equal(printful.status, 200, 'the Printful simulator answers with the printed token')
  sim.child.kill('SIGINT')
  t.equal((await sim.exited).code, 0)
})
