import t from 'tap'
import { loadConfig } from '../../src/config.ts'
import { registerShopifyWebhooks, type WebhooksIo } from '../../src/cli/webhooks.ts'
import { startShopifySimulator } from '../../src/sim/shopify/index.ts'
import { createShopifyAdminClient, shopifyClientOptions } from '../../src/shopify/index.ts'
import { subscribedTopics, topicEnum } from '../../src/shopify/webhook-topics.ts'
import { runSubscriptionCheck } from '../../src/webhook-subscriptions.ts'
import { bearer, testApp } from '../helpers/app.ts'
import { eventually, SHOP, startBridge } from '../helpers/bridge.ts'
import { runCli } from '../helpers/process.ts'

const PUBLIC_URL = 'https://bridge.example'
const HOOK_URI = `${PUBLIC_URL}/webhooks/shopify`

function recorder (): WebhooksIo & { lines: string[] } {
  const lines: string[] = []
  return { lines, print: (line) => { lines.push(line) }, error: (line) => { lines.push(`error: ${line}`) }, confirm: undefined }
}

t.test('when a legacy app\'s store has no subscriptions, then the check reports them missing; register creates them once, leaves another address alone, and the check then reports nothing missing', async (t) => {
  const sim = await startShopifySimulator({ shopDomain: SHOP, webhookSecret: 'secret', accessToken: 'shpat_legacy' })
  t.teardown(() => sim.close())
  const env = { SHOPIFY_SHOP_DOMAIN: SHOP, SHOPIFY_API_URL: sim.url, SHOPIFY_ADMIN_ACCESS_TOKEN: 'shpat_legacy', SHOPIFY_WEBHOOK_SECRETS: 'secret' }
  const { app, database, config } = await testApp(t, { env })
  const client = createShopifyAdminClient(shopifyClientOptions(config.shopify)!)
  t.teardown(() => client.close())

  const before = await runSubscriptionCheck({ db: database.db, shopify: client, auth: 'static' })
  t.equal(before.status, 'missing')
  t.same(before.missing, subscribedTopics)
  const ready = await app.inject({ url: '/readyz' })
  t.equal(ready.statusCode, 200, 'missing subscriptions never fail readiness')
  t.match(ready.json().checks.webhookSubscriptions, new RegExp(`^${subscribedTopics.length} topic\\(s\\) missing`))
  t.match(ready.json().problems.join('\n'), /Shopify webhook subscriptions missing for orders\/create, .*pod-bridge webhooks register/)
  const stats = (await app.inject({ url: '/v1/stats', headers: bearer() })).json()
  t.match(stats.webhookSubscriptions, { status: 'missing', managedBy: 'admin_api', missing: subscribedTopics })

  // Another copy of the bridge (an old host) already takes orders/create.
  await client.createWebhookSubscription('ORDERS_CREATE', 'https://old-host.example/webhooks/shopify')

  const cliEnv = { ...env, DATABASE_URL: database.url, LOG_LEVEL: 'warn' }
  const first = runCli(['webhooks', 'register', '--url', PUBLIC_URL], cliEnv)
  t.equal((await first.exited).code, 0, first.output())
  t.match(first.output(), new RegExp(`${subscribedTopics.length} created, 0 kept`))
  t.match(first.output(), /ORDERS_CREATE → https:\/\/old-host\.example\/webhooks\/shopify/, 'the other address is reported')
  t.match(first.output(), /Subscriptions check: ok/)
  const subscriptions = await client.webhookSubscriptions()
  t.equal(subscriptions.length, subscribedTopics.length + 1, 'one per topic, and the old one left in place')
  t.same(subscriptions.filter((s) => s.uri === HOOK_URI).map((s) => s.topic).sort(), subscribedTopics.map(topicEnum).sort())

  const again = runCli(['webhooks', 'register', '--url', `${PUBLIC_URL}/`], cliEnv)
  t.equal((await again.exited).code, 0, again.output())
  t.match(again.output(), new RegExp(`0 created, ${subscribedTopics.length} kept`), 'a second run changes nothing')
  t.equal((await client.webhookSubscriptions()).length, subscribedTopics.length + 1)

  const after = await app.inject({ url: '/readyz' })
  t.match(after.json().checks.webhookSubscriptions, /^ok: every topic subscribed/)
  t.notMatch(after.json().problems.join('\n'), /webhook subscriptions/)
  t.match((await app.inject({ url: '/v1/stats', headers: bearer() })).json().webhookSubscriptions, { status: 'ok', missing: [] })
})

t.test('when the app is a Dev Dashboard app, then the start-up check says its topics cannot be verified (not missing), and register prints the shopify.app.toml block instead of subscribing', async (t) => {
  const bridge = await startBridge(t)
  const stats = async () => (await fetch(`${bridge.service.url}/v1/stats`, { headers: bearer() })).json() as Promise<{ webhookSubscriptions: { status: string, managedBy: string, topics: Array<{ state: string, lastDeliveryAt: string | null }> } | null }>
  const check = await eventually(async () => (await stats()).webhookSubscriptions ?? undefined, 15_000, 'the start-up subscriptions check')
  t.match(check, { status: 'unverifiable', managedBy: 'app_configuration' })
  t.ok(check.topics.every((topic) => topic.state === 'unverifiable'))
  const ready = await (await fetch(`${bridge.service.url}/readyz`)).json() as { checks: { webhookSubscriptions: string }, problems: string[] }
  t.match(ready.checks.webhookSubscriptions, /declared in the app configuration; cannot be verified via the API/)
  t.notMatch(ready.problems.join('\n'), /webhook subscriptions/, 'no false alarm')

  const config = loadConfig({ DATABASE_URL: bridge.database.url, SHOPIFY_SHOP_DOMAIN: SHOP, SHOPIFY_API_URL: bridge.store.url, SHOPIFY_CLIENT_ID: 'bridge-client', SHOPIFY_CLIENT_SECRET: 'bridge-secret' })
  const io = recorder()
  t.equal(await registerShopifyWebhooks(config, { url: PUBLIC_URL, shopLevel: false }, io), 0)
  const text = io.lines.join('\n')
  t.match(text, /\[webhooks\]\napi_version = "2026-10"/)
  t.match(text, new RegExp(`topics = \\[ "orders/create", [^\\]]*"app/uninstalled" \\]\\n  uri = "${HOOK_URI}"`))
  t.match(text, new RegExp(`compliance_topics = \\[ "customers/data_request", "customers/redact", "shop/redact" \\]\\n  uri = "${HOOK_URI}"`))
  t.match(text, /shopify app deploy/)
  const client = createShopifyAdminClient(shopifyClientOptions(config.shopify)!)
  t.teardown(() => client.close())
  t.same(await client.webhookSubscriptions(), [], 'nothing is subscribed over the API')

  const shopLevel = recorder()
  t.equal(await registerShopifyWebhooks(config, { url: PUBLIC_URL, shopLevel: true }, shopLevel), 0)
  t.match(shopLevel.lines.join('\n'), new RegExp(`${subscribedTopics.length} created, 0 kept[\\s\\S]*Subscriptions check: ok`))
  t.match((await stats()).webhookSubscriptions, { status: 'ok' })
})

t.test('when the bridge moved host, then register --replace subscribes the new address first and then deletes the old one, leaving other tools\' subscriptions alone', async (t) => {
  const sim = await startShopifySimulator({ shopDomain: SHOP, webhookSecret: 'secret', accessToken: 'shpat_legacy' })
  t.teardown(() => sim.close())
  const env = { SHOPIFY_SHOP_DOMAIN: SHOP, SHOPIFY_API_URL: sim.url, SHOPIFY_ADMIN_ACCESS_TOKEN: 'shpat_legacy', SHOPIFY_WEBHOOK_SECRETS: 'secret', LOG_LEVEL: 'warn' }
  const { config } = await testApp(t, { env })
  const client = createShopifyAdminClient(shopifyClientOptions(config.shopify)!)
  t.teardown(() => client.close())
  const OLD = 'https://old-host.example/webhooks/shopify'
  await client.createWebhookSubscription('ORDERS_CREATE', OLD)
  await client.createWebhookSubscription('ORDERS_PAID', OLD)
  await client.createWebhookSubscription('ORDERS_CREATE', 'https://another-tool.example/hooks/orders')

  const run = runCli(['webhooks', 'register', '--url', PUBLIC_URL, '--replace'], env)
  t.equal((await run.exited).code, 0, run.output())
  t.match(run.output(), /deleted {2}ORDERS_CREATE → https:\/\/old-host\.example\/webhooks\/shopify/)
  t.match(run.output(), /deleted {2}ORDERS_PAID → https:\/\/old-host\.example\/webhooks\/shopify/)
  t.match(run.output(), /ORDERS_CREATE → https:\/\/another-tool\.example\/hooks\/orders/, 'another tool\'s subscription is reported')
  t.match(run.output(), new RegExp(`${subscribedTopics.length} created, 0 kept, 2 deleted`))
  const after = await client.webhookSubscriptions()
  t.same(after.filter((s) => s.uri === HOOK_URI).map((s) => s.topic).sort(), subscribedTopics.map(topicEnum).sort(), 'every topic at the new address')
  t.same(after.filter((s) => s.uri !== HOOK_URI).map((s) => s.uri), ['https://another-tool.example/hooks/orders'], 'the old host is gone, the other tool kept')

  const again = runCli(['webhooks', 'register', '--url', PUBLIC_URL, '--replace'], env)
  t.equal((await again.exited).code, 0, again.output())
  t.match(again.output(), new RegExp(`0 created, ${subscribedTopics.length} kept, 0 deleted`), 'a second run changes nothing')
  const misplaced = runCli(['webhooks', 'register-suppliers', '--url', PUBLIC_URL, '--replace'], env)
  t.equal((await misplaced.exited).code, 2)
  t.match(misplaced.output(), /--replace is for register/)
})

t.test('when register gets no URL or a bad one, then it stops with a usage error', async (t) => {
  const missing = runCli(['webhooks', 'register'], {})
  t.equal((await missing.exited).code, 2)
  t.match(missing.output(), /needs --url/)
  const bad = runCli(['webhooks', 'register', '--url', 'ftp://bridge.example'], {})
  t.equal((await bad.exited).code, 2)
  t.match(bad.output(), /must be an http\(s\) URL/)
})
