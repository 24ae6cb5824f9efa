// The Customily client against its simulator: the token and the item on two
// origins (help.customily.com article 42965126428315), and every way a wrong
// setting shows, named as a configuration problem rather than "not ready".
import t, { type Test } from 'tap'
import { startCustomilySimulator, customilySimDefaults, type CustomilySimOptions } from '../../src/sim/customily/index.ts'
import { CustomilyClient, type CustomilyClientOptions } from '../../src/suppliers/customily/client.ts'

async function setup (t: Test, client: Partial<CustomilyClientOptions> = {}, sim: CustomilySimOptions = {}) {
  const started = await startCustomilySimulator(sim)
  t.teardown(() => started.close())
  const options: CustomilyClientOptions = {
    tokenUrl: started.tokenUrl,
    itemUrl: `${started.url}/api/standalone/item/{id}?shop={shop}`,
    apiKey: customilySimDefaults.apiKey,
    shopDomain: customilySimDefaults.shopDomain,
    timeoutMs: 2_000,
    ...client
  }
  return { sim: started, client: new CustomilyClient(options) }
}

void t.test('when a personalization is ready, then the token comes from one origin and the item, with its files, from another', async (t) => {
  const { sim, client } = await setup(t)
  t.not(new URL(sim.tokenUrl).origin, new URL(sim.url).origin, 'two origins, as app.customily.com and sh.customily.com')
  const id = sim.control.addItem('6f1c2e44-0000-4000-8000-000000000001', { productionUrl: 'https://cdn.customily.com/ExportFile/u/1.ai', exportedFiles: [{ url: 'https://cdn.customily.com/ExportFile/u/1.png', podPlaceholder: 'front' }] })
  t.match(await client.personalization(id), {
    state: 'ready', id, productionUrl: 'https://cdn.customily.com/ExportFile/u/1.ai', previewUrl: /^https:/,
    exportedFiles: [{ url: 'https://cdn.customily.com/ExportFile/u/1.png', epsId: '1', podPlaceholder: 'front', personalizationId: id }]
  })
  const [token, item] = sim.control.requests()
  t.match(token, { method: 'POST', path: '/api/token', body: { apiKey: customilySimDefaults.apiKey } })
  t.match(item, { method: 'GET', path: `/api/standalone/item/${id}`, query: { shop: customilySimDefaults.shopDomain }, headers: { authorization: /^Bearer [0-9a-f]+$/ } })
  t.same(client.problems(), [])
})

void t.test('when a personalization was just ordered, then it is not ready (no files yet) for a while, then ready', async (t) => {
  let clock = 1_800_000_000_000
  const { sim, client } = await setup(t, { now: () => clock }, { now: () => clock, tokenLifetimeSeconds: 600 })
  const id = sim.control.addItem(undefined, { readyAfterMs: 30 * 60_000 })
  t.same(await client.personalization(id), { state: 'not_ready' })
  clock += 30 * 60_000
  t.equal((await client.personalization(id)).state, 'ready')
  const counted = sim.control.addItem(undefined, { notReadyLookups: 2 })
  t.equal((await client.personalization(counted)).state, 'not_ready')
  t.equal((await client.personalization(counted)).state, 'not_ready')
  t.equal((await client.personalization(counted)).state, 'ready')
})

void t.test('when a look-up has found an item since start, then a 404 for another means not rendered yet', async (t) => {
  const { sim, client } = await setup(t)
  t.equal((await client.personalization(sim.control.addItem())).state, 'ready')
  const later = sim.control.addItem(undefined, { notReadyLookups: 1, notReadyStatus: 404 })
  t.same(await client.personalization(later), { state: 'not_ready' })
  t.equal((await client.personalization(later)).state, 'ready')
  t.same(client.problems(), [])
})

void t.test('when every look-up since start has been a 404, then it is a configuration problem naming CUSTOMILY_ITEM_URL and CUSTOMILY_SHOP_DOMAIN', async (t) => {
  const { sim, client } = await setup(t)
  const id = sim.control.addItem(undefined, { notReadyLookups: 1, notReadyStatus: 404 })
  await t.rejects(client.personalization(id), { code: 'config', message: /Customily knows no personalization .* every look-up since start has answered 404: check CUSTOMILY_ITEM_URL .* and CUSTOMILY_SHOP_DOMAIN/ })
  t.match(client.problems(), [/CUSTOMILY_ITEM_URL/])
  t.equal((await client.personalization(id)).state, 'ready', 'found once it is there')
  t.same(client.problems(), [], 'and the problem is cleared')
})

void t.test('when the item URL is the article\'s example form ("<id>&shop=") or the shop is the myshopify domain, then nothing is found and the setting is named', async (t) => {
  const literal = await setup(t, { itemUrl: 'http://placeholder.invalid' })
  const client = new CustomilyClient({ tokenUrl: literal.sim.tokenUrl, itemUrl: `${literal.sim.url}/api/standalone/item/{id}&shop={shop}`, apiKey: customilySimDefaults.apiKey, shopDomain: customilySimDefaults.shopDomain })
  const id = literal.sim.control.addItem()
  await t.rejects(client.personalization(id), { code: 'config', message: /CUSTOMILY_ITEM_URL \(http:\/\/127\.0\.0\.1:\d+\/api\/standalone\/item\/\{id\}&shop=\{shop\}\)/ })
  t.match(literal.sim.control.requests({ method: 'GET' })[0], { path: `/api/standalone/item/${id}&shop=${customilySimDefaults.shopDomain}`, status: 404 })

  const myshopify = await setup(t, { shopDomain: 'pod-bridge-demo.myshopify.com' })
  await t.rejects(myshopify.client.personalization(myshopify.sim.control.addItem()), { code: 'config', message: /for shop "pod-bridge-demo\.myshopify\.com".*CUSTOMILY_SHOP_DOMAIN \(the storefront domain\)/ })
})

void t.test('when the token is reused, then it is fetched once and renewed after it expires or is refused', async (t) => {
  let clock = 1_800_000_000_000
  const { sim, client } = await setup(t, { now: () => clock }, { now: () => clock, tokenLifetimeSeconds: 600 })
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

void t.test('when the key goes in a header, then the simulator takes it there too', async (t) => {
  const { sim, client } = await setup(t, { tokenRequest: { kind: 'header', name: 'x-api-key' } })
  t.equal((await client.personalization(sim.control.addItem())).state, 'ready')
  t.equal(sim.control.requests({ path: '/api/token' })[0]?.headers['x-api-key'], customilySimDefaults.apiKey)
})

void t.test('when the API key is wrong, then the start-up check and every look-up name CUSTOMILY_API_KEY', async (t) => {
  const { sim, client } = await setup(t, { apiKey: 'nope' })
  t.match(await client.checkAccess(), /Customily refused CUSTOMILY_API_KEY at CUSTOMILY_TOKEN_URL \(http:\/\/127\.0\.0\.1:\d+\/api\/token\) with 401/)
  t.match(client.problems(), [/CUSTOMILY_API_KEY/])
  await t.rejects(client.personalization(sim.control.addItem()), { code: 'config', retryable: false, message: /refused CUSTOMILY_API_KEY/ })
  t.equal(sim.control.requests({ method: 'GET' }).length, 0, 'no item look-up without a token')
})

void t.test('when the token URL points at the item host, then the problem names CUSTOMILY_TOKEN_URL', async (t) => {
  const { sim, client } = await setup(t, { tokenUrl: 'http://placeholder.invalid/api/token' })
  const wrong = new CustomilyClient({ tokenUrl: `${sim.url}/api/token`, itemUrl: `${sim.url}/api/standalone/item/{id}?shop={shop}`, apiKey: customilySimDefaults.apiKey, shopDomain: customilySimDefaults.shopDomain })
  t.match(await wrong.checkAccess(), /CUSTOMILY_TOKEN_URL \(http:\/\/127\.0\.0\.1:\d+\/api\/token\) answered 404: it is not Customily's token endpoint/)
  t.match(await client.checkAccess(), /could not check CUSTOMILY_API_KEY at CUSTOMILY_TOKEN_URL \(http:\/\/placeholder\.invalid\/api\/token\)/, 'an unreachable host is reported too')
})

void t.test('when Customily fails in transit, then the errors are classified like the suppliers\'', async (t) => {
  const { sim, client } = await setup(t, { timeoutMs: 150 })
  const id = sim.control.addItem()
  sim.control.injectFault({ kind: 'error_500', path: '/api/token' })
  await t.rejects(client.personalization(id), { code: 'upstream_transient' })
  t.same(client.problems(), [], 'a token endpoint that is down is no configuration problem')
  sim.control.injectFault({ kind: 'error_500', path: '/api/standalone' })
  await t.rejects(client.personalization(id), { code: 'upstream_transient' })
  sim.control.injectFault({ kind: 'malformed_json', path: '/api/standalone' })
  await t.rejects(client.personalization(id), { code: 'upstream_invalid_response' })
  sim.control.injectFault({ kind: 'timeout', path: '/api/standalone' })
  await t.rejects(client.personalization(id), { code: 'upstream_transient', detail: { timedOut: true } })
  sim.control.injectFault({ kind: 'rate_limited', retryAfterSeconds: 2 })
  await t.rejects(client.personalization(id), { code: 'upstream_rate_limited', retryAfterMs: 2_000 })
})
