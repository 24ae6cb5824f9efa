import t from 'tap'
import { AppError } from '../../src/lib/errors.ts'
import { clientFor, startSim } from '../fixtures/shopify/sim-setup.ts'

function recordingSleep (): { waits: number[], sleep: (ms: number) => Promise<void> } {
  const waits: number[] = []
  return { waits, sleep: (ms) => { waits.push(ms); return Promise.resolve() } }
}

void t.test('when Shopify answers THROTTLED, then the client waits what the bucket needs and then succeeds', async (t) => {
  const sim = await startSim(t)
  let now = 1_000_000
  const waits: number[] = []
  // The clock moves while the client sleeps, as it does for real.
  const client = clientFor(t, sim, { now: () => now, sleep: (ms) => { waits.push(ms); now += ms; return Promise.resolve() } })
  const ref = await sim.store.createOrder({ lines: [{ sku: 'A' }] })
  // 50 points asked, 20 available, 100 restored per second: 300 ms.
  sim.store.throttleNext(2, { requestedQueryCost: 50, currentlyAvailable: 20, restoreRate: 100 })
  const order = await client.order(ref.id)
  t.equal(order?.id, ref.id)
  t.same(waits, [300, 300])
  t.same(sim.store.requests().filter((r) => r.kind === 'graphql').map((r) => r.status), [200, 200, 200])
})

void t.test('when the throttle outlasts the retries, then the error is upstream_rate_limited with the bucket\'s wait', async (t) => {
  const sim = await startSim(t)
  const { sleep } = recordingSleep()
  const client = clientFor(t, sim, { sleep, throttle: { maxRetries: 2 } })
  sim.store.throttleNext(3, { requestedQueryCost: 10, currentlyAvailable: 0, restoreRate: 50 })
  const err = await client.order('1').catch((e: unknown) => e)
  t.ok(err instanceof AppError)
  t.equal((err as AppError).code, 'upstream_rate_limited')
  t.equal((err as AppError).retryAfterMs, 200)
  t.ok((err as AppError).retryable)
})

void t.test('when the bucket needs longer than the client may wait, then it hands the wait back instead of sleeping', async (t) => {
  const sim = await startSim(t)
  const { waits, sleep } = recordingSleep()
  const client = clientFor(t, sim, { sleep, throttle: { maxWaitMs: 1_000 } })
  sim.store.throttleNext(1, { requestedQueryCost: 1000, currentlyAvailable: 0, restoreRate: 100 })
  const err = await client.order('1').catch((e: unknown) => e)
  t.equal((err as AppError).code, 'upstream_rate_limited')
  t.equal((err as AppError).retryAfterMs, 10_000)
  t.same(waits, [])
})

void t.test('when the client has waited for the bucket, then it does not wait again for the same refill', async (t) => {
  const sim = await startSim(t)
  let now = 1_000_000
  const waits: number[] = []
  // The clock moves while the client sleeps, as it does for real.
  const client = clientFor(t, sim, { now: () => now, sleep: (ms) => { waits.push(ms); now += ms; return Promise.resolve() } })
  const ref = await sim.store.createOrder({ lines: [{ sku: 'A' }] })
  await client.order(ref.id)
  t.same(waits, [], 'the simulator\'s answers cost 10 of a 2000-point bucket: nothing to wait for')
  sim.store.throttleNext(1, { requestedQueryCost: 10, currentlyAvailable: 0, restoreRate: 100 })
  await client.order(ref.id)
  t.same(waits, [100])
})

for (const [kind, code] of [['http_500', 'upstream_transient'], ['http_503', 'upstream_transient'], ['internal_error', 'upstream_transient'], ['reset', 'upstream_transient']] as const) {
  void t.test(`when Shopify fails with ${kind}, then the error is ${code} and retryable`, async (t) => {
    const sim = await startSim(t)
    const client = clientFor(t, sim)
    sim.store.failNext(1, kind)
    const err = await client.order('1').catch((e: unknown) => e)
    t.ok(err instanceof AppError)
    t.equal((err as AppError).code, code)
    t.ok((err as AppError).retryable)
  })
}

void t.test('when Shopify does not answer in time, then the request is abandoned as upstream_transient', async (t) => {
  const sim = await startSim(t)
  const client = clientFor(t, sim, { timeouts: { requestMs: 300 } })
  await client.productVariants()
  sim.store.failNext(1, 'timeout')
  const started = Date.now()
  const err = await client.order('1').catch((e: unknown) => e)
  t.equal((err as AppError).code, 'upstream_transient')
  t.ok(Date.now() - started < 2_000)
})

void t.test('when a document is refused by the schema, then the error is upstream_rejected and not retryable', async (t) => {
  const sim = await startSim(t)
  const { createGraphqlTransport } = await import('../../src/shopify/graphql-client.ts')
  const { z } = await import('zod')
  const transport = createGraphqlTransport({ apiUrl: sim.url, apiVersion: '2026-10', auth: { kind: 'client_credentials', clientId: 'test-client-id', clientSecret: 'test-client-secret' } })
  t.teardown(() => transport.close())
  const err = await transport.execute('query { shop { nmae } }', {}, z.unknown()).catch((e: unknown) => e)
  t.equal((err as AppError).code, 'upstream_rejected')
  t.notOk((err as AppError).retryable)
  t.match((err as AppError).message, /nmae/)
})
