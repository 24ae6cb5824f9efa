// Each fault kind and the rate limit, as the Printful client sees them.
import Fastify from 'fastify'
import t, { type Test } from 'tap'
import { startPrintfulSimulator } from '../../src/sim/printful/index.ts'
import { PrintfulSupplier } from '../../src/suppliers/printful/supplier.ts'
import { draft } from '../fixtures/suppliers/drafts.ts'

async function setup (t: Test, timeoutMs = 2_000, now?: () => number) {
  const sim = await startPrintfulSimulator(now ? { now } : {})
  t.teardown(() => sim.close())
  return { sim, supplier: new PrintfulSupplier({ apiUrl: sim.url, token: 'pf-sim-token', timeoutMs }) }
}

void t.test('when Printful answers 500, then the error is upstream_transient and retryable', async (t) => {
  const { sim, supplier } = await setup(t)
  sim.control.injectFault({ kind: 'error_500', method: 'GET' })
  await t.rejects(supplier.find('x'), { code: 'upstream_transient', retryable: true, detail: { status: 500 } })
  t.equal(await supplier.find('x'), undefined, 'the fault hit one request only')
})

void t.test('when Printful answers 429 with Retry-After, then the error is upstream_rate_limited with that wait', async (t) => {
  const { sim, supplier } = await setup(t)
  sim.control.injectFault({ kind: 'rate_limited', retryAfterSeconds: 7 })
  await t.rejects(supplier.find('x'), { code: 'upstream_rate_limited', retryable: true, retryAfterMs: 7_000 })
})

void t.test('when Printful says nothing, then the client gives up at its timeout with an unknown outcome', async (t) => {
  const { sim, supplier } = await setup(t, 150)
  sim.control.injectFault({ kind: 'timeout', path: '/orders' })
  const started = Date.now()
  await t.rejects(supplier.submit(draft(), { confirm: true }), { code: 'upstream_transient', detail: { timedOut: true, outcome: 'unknown' } })
  t.ok(Date.now() - started < 1_500, 'within the timeout, not the simulator\'s')
})

void t.test('when Printful is slow, then the answer still arrives within the timeout, and not beyond it', async (t) => {
  const { sim, supplier } = await setup(t, 300)
  sim.control.injectFault({ kind: 'slow', delayMs: 50 })
  t.equal(await supplier.find('x'), undefined)
  sim.control.injectFault({ kind: 'slow', delayMs: 1_000 })
  await t.rejects(supplier.find('x'), { code: 'upstream_transient', detail: { timedOut: true } })
})

void t.test('when the answer is malformed JSON, then the error is upstream_invalid_response, and the order was stored', async (t) => {
  const { sim, supplier } = await setup(t)
  sim.control.injectFault({ kind: 'malformed_json', method: 'POST' })
  await t.rejects(supplier.submit(draft(), { confirm: true }), { code: 'upstream_invalid_response', retryable: true })
  t.ok(await supplier.find('pb-1001-f1'))
})

void t.test('when the connection is reset, then the error is upstream_transient and nothing was stored', async (t) => {
  const { sim, supplier } = await setup(t)
  sim.control.injectFault({ kind: 'connection_reset', method: 'POST' })
  await t.rejects(supplier.submit(draft(), { confirm: true }), { code: 'upstream_transient', detail: { outcome: 'unknown' } })
  t.equal(sim.control.orders().length, 0)
})

void t.test('when the order is stored but the answer is lost, then a look-up finds it and a resubmission adopts it', async (t) => {
  const { sim, supplier } = await setup(t)
  sim.control.injectFault({ kind: 'answer_lost', method: 'POST', path: '/orders' })
  await t.rejects(supplier.submit(draft(), { confirm: true }), { code: 'upstream_transient' })
  const found = await supplier.find('pb-1001-f1')
  t.equal(found?.status, 'pending')
  t.same(await supplier.submit(draft(), { confirm: true }), found)
  t.equal(sim.control.orders().length, 1)
})

void t.test('when the rate limit is spent, then X-Ratelimit-* count down, 429 carries Retry-After, and the next window serves again', async (t) => {
  let clock = 1_800_000_000_000
  const { sim, supplier } = await setup(t, 2_000, () => clock)
  sim.control.setRateLimit({ limit: 3, windowMs: 60_000 })
  await supplier.find('a')
  t.match(supplier.api.rateLimit, { limit: 3, remaining: 2, resetMs: 60_000 })
  await supplier.find('b')
  clock += 20_000
  await supplier.find('c')
  t.match(supplier.api.rateLimit, { limit: 3, remaining: 0, resetMs: 40_000 })
  await t.rejects(supplier.find('d'), { code: 'upstream_rate_limited', retryAfterMs: 40_000 })
  clock += 40_000
  t.equal(await supplier.find('e'), undefined)
  t.equal(supplier.api.rateLimit?.remaining, 2)
})

void t.test('when faults are set over the control routes, then they apply as over the typed control', async (t) => {
  const { sim, supplier } = await setup(t)
  const response = await fetch(`${sim.url}/_control/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'error_500', count: 2 }) })
  t.equal(response.status, 204)
  await t.rejects(supplier.find('x'), { code: 'upstream_transient' })
  await t.rejects(supplier.find('x'), { code: 'upstream_transient' })
  t.equal(await supplier.find('x'), undefined)
  const log = await (await fetch(`${sim.url}/_control/requests?path=/orders`)).json() as { fault?: string, status?: number }[]
  t.same(log.map((entry) => [entry.fault, entry.status]), [['error_500', 500], ['error_500', 500], [undefined, 404]])
})

void t.test('when an answer is JSON but not the documented shape, then the error is upstream_invalid_response', async (t) => {
  const impostor = Fastify()
  impostor.get('/orders/@x', (_request, reply) => reply.send({ code: 200, result: { id: 'not-a-number' } }))
  impostor.get('/stores', (_request, reply) => reply.send({ data: [] }))
  await impostor.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => impostor.close())
  const address = impostor.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  const supplier = new PrintfulSupplier({ apiUrl: `http://127.0.0.1:${String(port)}`, token: 't' })
  await t.rejects(supplier.find('x'), { code: 'upstream_invalid_response', message: /unexpected order: id/ })
  await t.rejects(supplier.storeInfo(), { code: 'upstream_invalid_response' })
})
