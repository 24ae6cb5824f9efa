// The store simulator's cost-based throttle (src/sim/shopify/graphql/cost-bucket.ts): off by default; on,
// each document's requested cost must be in the bucket, it is taken, and the bucket is refunded down to the
// actual cost after the call; the client (src/shopify/graphql-client.ts) waits for the bucket and succeeds.
import { setTimeout as sleepFor } from 'node:timers/promises'
import t from 'tap'
import { createGraphqlTransport } from '../../src/shopify/index.ts'
import { createStoreProducts } from '../../src/shopify/products/client.ts'
import { productSetMutation } from '../../src/shopify/products/documents.ts'
import type { ShopifySimulator } from '../../src/sim/shopify/index.ts'
import { estimateCost } from '../fixtures/shopify/query-cost.ts'
import { clientId, clientSecret, startSim } from '../fixtures/shopify/sim-setup.ts'

const token = 'shpat_cost_throttle_test'
// 2 for the connection + 100 × 1 per variant asked: 102 requested; the answer holds one object per variant.
const variantsPage = 'query VariantsPage { productVariants(first: 100) { nodes { id sku } pageInfo { hasNextPage } } }'

interface Cost { requestedQueryCost: number, actualQueryCost: number | null, throttleStatus: { maximumAvailable: number, currentlyAvailable: number, restoreRate: number } }
interface Answer { data?: unknown, errors?: Array<{ message: string, extensions?: { code?: string } }>, extensions: { cost: Cost } }

async function ask (sim: ShopifySimulator, query: string): Promise<Answer> {
  const response = await fetch(`${sim.url}/admin/api/2026-10/graphql.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': token },
    body: JSON.stringify({ query, variables: {} })
  })
  t.equal(response.status, 200)
  return await response.json() as Answer
}

void t.test('when the cost throttle is off (the default), then every document reports the nominal 10 points of a full bucket', async (t) => {
  const sim = await startSim(t, { accessToken: token })
  t.equal(sim.store.costThrottle(), null)
  for (let i = 0; i < 3; i++) {
    const answer = await ask(sim, variantsPage)
    t.same(answer.extensions.cost, { requestedQueryCost: 10, actualQueryCost: 10, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1990, restoreRate: 100 } })
  }
})

void t.test('when the throttle is on, then the requested cost is taken and the bucket refunded down to the actual cost', async (t) => {
  const sim = await startSim(t, { accessToken: token })
  for (const sku of ['A', 'B', 'C']) sim.store.addProductVariant({ sku })
  // A restore rate too slow to matter within the test: the bucket moves only by what the calls cost.
  sim.store.setCostThrottle({ restoreRate: 0.001, maximumAvailable: 250 })
  const first = await ask(sim, variantsPage)
  t.equal(first.extensions.cost.requestedQueryCost, 102, '2 + 100 variants asked × 1')
  t.equal(first.extensions.cost.actualQueryCost, 5, '2 + the 3 variants returned × 1')
  t.equal(first.extensions.cost.throttleStatus.currentlyAvailable, 245, 'only the actual cost is gone')
  t.same((first.data as { productVariants: { nodes: unknown[] } }).productVariants.nodes.length, 3)
  // 245, 240, … : each call leaves 5 points fewer; below 102 requested it is refused.
  sim.store.setCostThrottle({ restoreRate: 0.001, maximumAvailable: 110 })
  const answers = [await ask(sim, variantsPage), await ask(sim, variantsPage), await ask(sim, variantsPage)]
  t.same(answers.map((a) => a.extensions.cost.throttleStatus.currentlyAvailable), [105, 100, 100])
  const throttled = answers[2]!
  t.same(throttled.errors?.map((e) => e.extensions?.code), ['THROTTLED'])
  t.equal(throttled.data, undefined, 'a throttled answer has no data')
  t.same(throttled.extensions.cost, { requestedQueryCost: 102, actualQueryCost: null, throttleStatus: { maximumAvailable: 110, currentlyAvailable: 100, restoreRate: 0.001 } })
  t.match(sim.store.costThrottle(), { throttled: 1, charged: 102 * 2, refunded: 97 * 2 }, 'counted since the throttle was set')
})

void t.test('when the throttle runs faster by a clock factor, then it reports the restore rate multiplied, as the client computes its waits from it', async (t) => {
  const sim = await startSim(t, { accessToken: token, costThrottle: { restoreRate: 100, clockFactor: 10 } })
  const answer = await ask(sim, variantsPage)
  t.match(answer.extensions.cost.throttleStatus, { maximumAvailable: 2000, restoreRate: 1000 })
  t.ok(answer.extensions.cost.throttleStatus.currentlyAvailable >= 1998, 'the 2 points of the actual cost, refilling at 1000 a second')
  const off = await fetch(`${sim.url}/_control/cost-throttle`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'null' })
  t.same(await off.json(), { costThrottle: null }, 'the HTTP control turns it off')
  const on = await fetch(`${sim.url}/_control/cost-throttle`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ restoreRate: 200 }) })
  t.match(await on.json(), { costThrottle: { maximumAvailable: 4000, currentlyAvailable: 4000, restoreRate: 200, throttled: 0 } }, 'Advanced: 200 points/s, a 20 s bucket')
})

void t.test('when a burst of productSets exceeds the bucket at Standard\'s rate, then Shopify answers THROTTLED and the client waits and succeeds', async (t) => {
  const sim = await startSim(t)
  const waits: number[] = []
  const transport = createGraphqlTransport({
    apiUrl: sim.url,
    apiVersion: '2026-10',
    auth: { kind: 'client_credentials', clientId, clientSecret },
    sleep: async (ms) => { waits.push(ms); await sleepFor(ms) },
    // Five callers share one bucket and wake together after a wait: one gets through, the others may be refused
    // again, more than the default five times for the last of them on a slow machine.
    throttle: { maxRetries: 15 }
  })
  t.teardown(() => transport.close())
  const store = createStoreProducts(transport)
  await store.ensureIdentifier()
  const requested = estimateCost(productSetMutation, { variants: 100, media: 50 })
  // Standard's 100 points/s; a bucket barely above one productSet's requested cost, so the actual costs drain it.
  sim.store.setCostThrottle({ restoreRate: 100, maximumAvailable: requested + 20 })
  const sizes = ['S', 'M', 'L']
  const ids = await Promise.all(Array.from({ length: 5 }, async (_, i) => {
    const product = await store.set({
      customId: `printify:burst-${i}`,
      title: `Burst tee ${i}`,
      options: [{ name: 'Size', values: sizes }],
      images: [{ url: `https://images.example/burst-${i}.png` }],
      variants: sizes.map((name) => ({ optionValues: [{ optionName: 'Size', name }], price: '20.00' }))
    })
    return product.id
  }))
  t.equal(new Set(ids).size, 5, 'every product was created')
  t.equal(sim.store.productSetCalls(), 5, 'each productSet carried out once: a THROTTLED answer changes nothing')
  const bucket = sim.store.costThrottle()
  t.ok(bucket && bucket.throttled >= 1, `THROTTLED answers: ${bucket?.throttled}`)
  t.ok(waits.length >= 1 && waits.every((ms) => ms > 0 && ms <= Math.ceil(requested / 100 * 1000)), `the client waited what the bucket needed: ${waits.join(', ')} ms`)
})
