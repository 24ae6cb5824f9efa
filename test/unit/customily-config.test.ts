// The Customily settings (DESIGN.md env table): defaults from Customily's help
// article 42965126428315, a bad value stopping startup with the variable named.
import t from 'tap'
import { ConfigError, configurationProblems, loadConfig } from '../../src/config.ts'
import { customilySettings } from '../../src/suppliers/customily/descriptor.ts'

const problemsOf = (env: Record<string, string>): readonly string[] => {
  try {
    loadConfig(env)
    return []
  } catch (err) {
    return err instanceof ConfigError ? err.problems : [String(err)]
  }
}

t.test('when only the key and the shop domain are set, then the token and item URLs are the article\'s, the item read with "?shop="', async (t) => {
  const config = loadConfig({ CUSTOMILY_API_KEY: 'k', CUSTOMILY_SHOP_DOMAIN: 'YourStore.com' })
  t.same(customilySettings(config.env), {
    apiKey: 'k',
    tokenUrl: 'https://app.customily.com/api/token',
    itemUrl: 'https://sh.customily.com/api/standalone/item/{id}?shop={shop}',
    shopDomain: 'yourstore.com'
  })
})

t.test('when the URLs are set, then they are used as given; CUSTOMILY_API_URL moves the default item URL only', async (t) => {
  t.equal(customilySettings(loadConfig({ CUSTOMILY_API_KEY: 'k', CUSTOMILY_SHOP_DOMAIN: 'a.test', CUSTOMILY_API_URL: 'http://127.0.0.1:9/' }).env)?.itemUrl, 'http://127.0.0.1:9/api/standalone/item/{id}?shop={shop}')
  const config = loadConfig({
    CUSTOMILY_API_KEY: 'k', CUSTOMILY_SHOP_DOMAIN: 'a.test', CUSTOMILY_API_URL: 'http://127.0.0.1:9',
    CUSTOMILY_TOKEN_URL: 'http://127.0.0.1:8/api/token', CUSTOMILY_ITEM_URL: 'https://sh.customily.com/api/standalone/item/{id}&shop={shop}'
  })
  t.match(customilySettings(config.env), { tokenUrl: 'http://127.0.0.1:8/api/token', itemUrl: 'https://sh.customily.com/api/standalone/item/{id}&shop={shop}' })
})

t.test('when a Customily setting is malformed, then startup stops naming the variable', async (t) => {
  t.match(problemsOf({ CUSTOMILY_ITEM_URL: 'https://sh.customily.com/api/standalone/item/{id}' }), [/^CUSTOMILY_ITEM_URL must be an http\(s\) URL template holding \{id\} and \{shop\} once each/])
  t.match(problemsOf({ CUSTOMILY_ITEM_URL: 'https://sh.customily.com/item/{personalizationId}?shop={shop}' }), [/^CUSTOMILY_ITEM_URL /], 'an unknown placeholder')
  t.match(problemsOf({ CUSTOMILY_ITEM_URL: 'sh.customily.com/item/{id}?shop={shop}' }), [/^CUSTOMILY_ITEM_URL /], 'not a URL')
  t.match(problemsOf({ CUSTOMILY_TOKEN_URL: 'app.customily.com/api/token' }), [/^CUSTOMILY_TOKEN_URL must be an http\(s\) URL/])
  t.match(problemsOf({ CUSTOMILY_SHOP_DOMAIN: 'https://yourstore.com/' }), [/^CUSTOMILY_SHOP_DOMAIN must be the storefront's domain, like yourstore.com/])
})

t.test('when the key is set without the shop domain, then no look-ups are made and the problems say what to set', async (t) => {
  const config = loadConfig({ CUSTOMILY_API_KEY: 'k', SHOPIFY_SHOP_DOMAIN: 'a.myshopify.com' })
  t.equal(customilySettings(config.env), undefined)
  t.ok(configurationProblems(config).some((p) => p.startsWith('CUSTOMILY_SHOP_DOMAIN is not set: personalized lines cannot be looked up')))
  t.notOk(configurationProblems(loadConfig({ CUSTOMILY_API_KEY: 'k', CUSTOMILY_SHOP_DOMAIN: 'a.test' })).some((p) => p.includes('CUSTOMILY')))
})
