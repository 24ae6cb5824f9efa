import t, { type Test } from 'tap'
import { startCustomilySimulator } from '../../src/sim/customily/index.ts'
import { CustomilyClient, type CustomilyClientOptions } from '../../src/suppliers/customily/client.ts'

async function setup (t: Test, client: Partial<CustomilyClientOptions> = {}, now?: () => number) {
  const sim = await startCustomilySimulator(now ? { now, tokenLifetimeSeconds: 600 } : {})
  t.teardown(() => sim.close())
  return { sim, client: new CustomilyClient({ apiUrl: sim.url, apiKey: 'cu-sim-key', shopDomain: 'pod-bridge-demo.myshopify.com', timeoutMs: 2_000, ...client }) }
}

void t.test('when a personalization is ready, then the client returns its production, preview and exported files', async (t) => {
  const { sim, client } = await setup(t)
  const id = sim.control.addItem('6f1c2e44-0000-4000-8000-000000000001', { productionUrl: 'https://cdn.customily.com/p/1.png', podPlaceholder: 'front' })
  t.match(await client.personalization(id), {
    state: 'ready', id, productionUrl: 'https://cdn.customily.com/p/1.png', previewUrl: /^https:/,
    exportedFiles: [{ url: 'https://cdn.customily.com/p/1.png', podPlaceholder: 'front', personalizationId: id }]
  })
  const [token, item] = sim.control.requests()
  t.match(token, { method: 'POST', path: '/api/token', body: { apiKey: 'cu-sim-key' } })
  t.match(item?.path, `/api/standalone/item/${id}&shop=pod-bridge-demo.myshopify.com`, 'the path as the docs write it')
})

void t.test('when a personalization was just ordered, then it is not ready for a while, then ready', async (t) => {
  let clock = 1_800_000_000_000
  const { sim, client } = await setup(t, {}, () => clock)
  const id = sim.control.addItem(undefined, { readyAfterMs: 30 * 60_000 })
  t.same(await client.personalization(id), { state: 'not_ready' })
  clock += 30 * 60_000
  t.equal((await client.personalization(id)).state, 'ready')
  const counted = sim.control.addItem(undefined, { notReadyLookups: 2 })
  t.equal((await client.personalization(counted)).state, 'not_ready')
  t.equal((await client.personalization(counted)).state, 'not_ready')
  t.equal((await client.personalization(counted)).state, 'ready')
})

void t.test('when the token is reused, then it is fetched once and renewed after it expires or is refused', async (t) => {
  let clock = 1_800_000_000_000
  const { sim, client } = await setup(t, {}, () => clock)
  const id = sim.control.addItem()
  await client.personalization(id)
  await client.personalization(id)
  t.equal(sim.control.requests({ path: '/api/token' }).length, 1)
  clock += 600_000
  await client.personalization(id)
  t.equal(sim.control.requests({ path: '/api/token' }).length, 2, 'renewed before expiry')
  sim.control.expireTokens()
  t.equal((await client.personalization(id)).state, 'ready')
  t.equal(sim.control.requests({ path: '/api/token' }).length, 3, 'renewed after a 401')
})

void t.test('when the client is configured for the "?shop=" form and a header key, then the simulator answers that too', async (t) => {
  const { sim, client } = await setup(t, { itemPath: '/api/standalone/item/{id}?shop={shop}', tokenRequest: { kind: 'header', name: 'x-api-key' } })
  const id = sim.control.addItem()
  t.equal((await client.personalization(id)).state, 'ready')
  t.equal(sim.control.requests({ path: '/api/token' })[0]?.headers['x-api-key'], 'cu-sim-key')
})

void t.test('when the API key is wrong, then the error is unauthorized', async (t) => {
  const { sim, client } = await setup(t, { apiKey: 'nope' })
  await t.rejects(client.personalization(sim.control.addItem()), { code: 'unauthorized' })
})

void t.test('when Customily fails in transit, then the errors are classified like the suppliers\'', async (t) => {
  const { sim, client } = await setup(t, { timeoutMs: 150 })
  const id = sim.control.addItem()
  sim.control.injectFault({ kind: 'error_500', path: '/api/standalone' })
  await t.rejects(client.personalization(id), { code: 'upstream_transient' })
  sim.control.injectFault({ kind: 'malformed_json', path: '/api/standalone' })
  await t.rejects(client.personalization(id), { code: 'upstream_invalid_response' })
  sim.control.injectFault({ kind: 'timeout', path: '/api/standalone' })
  await t.rejects(client.personalization(id), { code: 'upstream_transient', detail: { timedOut: true } })
  sim.control.injectFault({ kind: 'rate_limited', retryAfterSeconds: 2 })
  await t.rejects(client.personalization(id), { code: 'upstream_rate_limited', retryAfterMs: 2_000 })
})
