import t from 'tap'
import { evaluateSubscriptions, planSubscriptions, publicBaseUrl, shopifyWebhookUri } from '../../src/shopify/subscriptions.ts'
import { subscribedTopics } from '../../src/shopify/webhook-topics.ts'
import { redactUrl } from '../../src/lib/redact-url.ts'
import { planPrintful, printfulWebhookTypes } from '../../src/suppliers/printful/webhook-setup.ts'

t.test('when --url is given with a trailing slash, a route or a path prefix, then the base URL keeps only the prefix', async (t) => {
  t.equal(shopifyWebhookUri('https://bridge.example/'), 'https://bridge.example/webhooks/shopify')
  t.equal(shopifyWebhookUri('https://bridge.example/webhooks/shopify'), 'https://bridge.example/webhooks/shopify')
  t.equal(publicBaseUrl('https://example.com/pod/'), 'https://example.com/pod')
  t.throws(() => publicBaseUrl('bridge.example'), /public URL/)
  t.throws(() => publicBaseUrl('https://bridge.example/?x=1'), /query/)
})

t.test('when a URL carries a token, then it is printed masked', async (t) => {
  t.equal(redactUrl('https://b.example/webhooks/printful?token=s3cret'), 'https://b.example/webhooks/printful?token=***')
  t.equal(redactUrl('not a url?token=s3cret'), 'not a url?***')
})

t.test('when Printful has our URL but not every type, then the configuration is set again (nothing else to replace)', async (t) => {
  const url = 'https://b.example/webhooks/printful?token=x'
  t.same(planPrintful({ url, types: [...printfulWebhookTypes] }, url), { action: 'keep' })
  t.match(planPrintful({ url, types: ['package_shipped'] }, url), { action: 'set', missingTypes: printfulWebhookTypes.filter((type) => type !== 'package_shipped') })
  t.match(planPrintful({ url: null, types: [] }, url), { action: 'set', current: null })
})

t.test('when the same topics exist at our URI and another, then ours are kept and the other is reported', async (t) => {
  const ours = { id: 'gid://shopify/WebhookSubscription/1', topic: 'ORDERS_CREATE', uri: 'https://b.example/webhooks/shopify' }
  const other = { id: 'gid://shopify/WebhookSubscription/2', topic: 'ORDERS_PAID', uri: 'https://old.example/hooks' }
  const plan = planSubscriptions([ours, other], ours.uri)
  t.same(plan.keep, [ours])
  t.same(plan.elsewhere, [other])
  t.equal(plan.create.length, subscribedTopics.length - 1)
  t.notOk(plan.create.includes('orders/create'))
})

t.test('when a topic has no API-visible subscription, then a legacy app misses it and a Dev Dashboard app cannot verify it', async (t) => {
  const one = [{ id: 'gid://shopify/WebhookSubscription/1', topic: 'ORDERS_CREATE', uri: 'https://any-host.example/webhooks/shopify' }]
  const legacy = evaluateSubscriptions(one, 'static')
  t.equal(legacy.status, 'missing')
  t.match(legacy.topics.find((x) => x.topic === 'orders/create'), { state: 'subscribed' })
  const dashboard = evaluateSubscriptions(one, 'client_credentials')
  t.equal(dashboard.status, 'unverifiable')
  t.notOk(dashboard.topics.some((x) => x.state === 'missing'))
  t.equal(evaluateSubscriptions([{ ...one[0]!, uri: 'https://x.example/other' }], 'static').topics.find((x) => x.topic === 'orders/create')?.state, 'missing', 'a subscription to another route does not count')
})
