import t from 'tap'
import { loadConfig } from '../../src/config.ts'
import { shopifyClientOptions } from '../../src/shopify/index.ts'

void t.test('when the config has a shop and client credentials, then the client options carry them and the pinned version', (t) => {
  const config = loadConfig({ SHOPIFY_SHOP_DOMAIN: 'my-store.myshopify.com', SHOPIFY_CLIENT_ID: 'id', SHOPIFY_CLIENT_SECRET: 'secret' })
  t.same(shopifyClientOptions(config.shopify, { pageSize: 10 }), {
    pageSize: 10,
    apiUrl: 'https://my-store.myshopify.com',
    apiVersion: '2026-10',
    auth: { kind: 'client_credentials', clientId: 'id', clientSecret: 'secret' }
  })
  t.end()
})

void t.test('when the config has a static token and an API URL, then those are used', (t) => {
  const config = loadConfig({ SHOPIFY_API_URL: 'http://127.0.0.1:9999/', SHOPIFY_ADMIN_ACCESS_TOKEN: 'shpat_x', SHOPIFY_API_VERSION: '2026-07' })
  t.match(shopifyClientOptions(config.shopify), { apiUrl: 'http://127.0.0.1:9999', apiVersion: '2026-07', auth: { kind: 'static', accessToken: 'shpat_x' } })
  t.end()
})

void t.test('when credentials are missing, then there are no client options', (t) => {
  t.equal(shopifyClientOptions(loadConfig({ SHOPIFY_SHOP_DOMAIN: 'my-store.myshopify.com' }).shopify), undefined)
  t.end()
})
