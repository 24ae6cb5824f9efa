import t from 'tap'
import { AppError } from '../../src/lib/errors.ts'
import { clientFor, startSim } from '../fixtures/shopify/sim-setup.ts'

const tokenExchanges = (requests: Array<{ kind: string }>): number => requests.filter((r) => r.kind === 'token').length

void t.test('when the app has client credentials, then the client exchanges them once and sends the token it got', async (t) => {
  const sim = await startSim(t)
  const client = clientFor(t, sim)
  const ref = await sim.store.createOrder({ lines: [{ sku: 'A' }] })
  await Promise.all([client.order(ref.id), client.order(ref.id), client.fulfillmentOrders(ref.id)])
  const requests = sim.store.requests()
  t.equal(tokenExchanges(requests), 1, 'concurrent first calls share one exchange')
  const graphql = requests.filter((r) => r.kind === 'graphql')
  t.equal(graphql.length, 3)
  t.ok(graphql.every((r) => r.token?.startsWith('shpat_sim') && r.status === 200))
})

void t.test('when the token nears its 24-hour expiry, then the client exchanges again before using it', async (t) => {
  let now = Date.parse('2026-11-01T00:00:00Z')
  const sim = await startSim(t, { tokenTtlSeconds: 86_399 })
  const client = clientFor(t, sim, { now: () => now })
  const ref = await sim.store.createOrder({ lines: [{ sku: 'A' }] })
  await client.order(ref.id)
  now += 23 * 3_600_000
  await client.order(ref.id)
  t.equal(tokenExchanges(sim.store.requests()), 1, 'still fresh after 23 h')
  now += 55 * 60_000
  await client.order(ref.id)
  t.equal(tokenExchanges(sim.store.requests()), 2, 'refreshed within the margin before expiry')
  const tokens = sim.store.requests().filter((r) => r.kind === 'graphql').map((r) => r.token)
  t.not(tokens[2], tokens[0], 'the new token is used')
})

void t.test('when Shopify answers 401 to a token it issued, then the client exchanges again and retries once', async (t) => {
  const sim = await startSim(t)
  const client = clientFor(t, sim)
  const ref = await sim.store.createOrder({ lines: [{ sku: 'A' }] })
  await client.order(ref.id)
  sim.store.revokeTokens()
  const order = await client.order(ref.id)
  t.equal(order?.id, ref.id)
  const statuses = sim.store.requests().map((r) => `${r.kind}:${r.status}`)
  t.same(statuses, ['token:200', 'graphql:200', 'graphql:401', 'token:200', 'graphql:200'])
})

void t.test('when a fresh token is refused too, then the error is unauthorized and not retried again', async (t) => {
  const sim = await startSim(t)
  const client = clientFor(t, sim)
  sim.store.failNext(2, 'unauthorized')
  const err = await client.order('gid://shopify/Order/1').catch((e: unknown) => e)
  t.ok(err instanceof AppError && err.code === 'unauthorized' && !err.retryable)
  t.equal(sim.store.requests().filter((r) => r.kind === 'graphql').length, 2)
})

void t.test('when the client credentials are wrong, then the error is unauthorized and names the variables', async (t) => {
  const sim = await startSim(t)
  const client = clientFor(t, sim, { auth: { kind: 'client_credentials', clientId: 'test-client-id', clientSecret: 'wrong' } })
  const err = await client.order('1').catch((e: unknown) => e)
  t.ok(err instanceof AppError && err.code === 'unauthorized')
  t.match((err as Error).message, /SHOPIFY_CLIENT_SECRET/)
})

void t.test('when a legacy static token is configured, then it is sent as is and a 401 is not retried', async (t) => {
  const sim = await startSim(t, { accessToken: 'shpat_static_token' })
  const client = clientFor(t, sim, { auth: { kind: 'static', accessToken: 'shpat_static_token' } })
  const ref = await sim.store.createOrder({ lines: [{ sku: 'A' }] })
  t.equal((await client.order(ref.id))?.name, ref.name)
  sim.store.failNext(1, 'unauthorized')
  const err = await client.order(ref.id).catch((e: unknown) => e)
  t.ok(err instanceof AppError && err.code === 'unauthorized')
  t.match((err as Error).message, /SHOPIFY_ADMIN_ACCESS_TOKEN/)
  const requests = sim.store.requests()
  t.equal(tokenExchanges(requests), 0)
  t.ok(requests.every((r) => r.token === 'shpat_static_token'))
})
