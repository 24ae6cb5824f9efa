import t from 'tap'
import { ConfigError, configVariables, configurationProblems, loadConfig } from '../../src/config.ts'

function problems (env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env)
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
  return []
}

t.test('when nothing is set, then the defaults of DESIGN.md apply and the database is embedded', async (t) => {
  const config = loadConfig({})
  t.same(config.database, { embedded: { dataDir: './.data', movable: true } })
  t.equal(config.http.port, 8080)
  t.equal(config.http.host, '0.0.0.0')
  t.equal(config.shopify.apiVersion, '2026-10')
  t.same(config.env.APPROVAL_MODE, { kind: 'auto' })
  t.equal(config.env.ROUTE_WHEN, 'paid')
  t.equal(config.env.SUPPLIER_POLL_INTERVAL, 300)
  const env: Record<string, unknown> = config.env
  t.equal(env.PRINTFUL_RATE_PER_MINUTE, 120)
  t.equal(env.PRINTIFY_RATE_PER_MINUTE, 600)
  t.equal(env.PRINTFUL_API_URL, 'https://api.printful.com')
  t.equal(config.env.NOTIFY_CUSTOMER, true)
  t.ok(Object.isFrozen(config) && Object.isFrozen(config.shopify))
})

t.test('when PORT is not a number, then the one problem names PORT', async (t) => {
  t.same(problems({ PORT: 'abc' }), ['PORT must be a port number (0-65535; 0 picks a free one)'])
  t.same(problems({ PORT: '70000' }), ['PORT must be a port number (0-65535; 0 picks a free one)'])
})

t.test('when values are malformed, then each problem names its variable and what it expected', async (t) => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL must be a postgres:\/\/ URL$/],
    [{ EMBEDDED_POSTGRES: 'maybe' }, /^EMBEDDED_POSTGRES must be auto or off$/],
    [{ EMBEDDED_POSTGRES: 'off' }, /^DATABASE_URL is required when EMBEDDED_POSTGRES=off/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL must be one of/],
    [{ SHOPIFY_SHOP_DOMAIN: 'example.com' }, /^SHOPIFY_SHOP_DOMAIN must be the store's my-store\.myshopify\.com domain$/],
    [{ SHOPIFY_CLIENT_ID: 'abc' }, /^SHOPIFY_CLIENT_SECRET must be set together/],
    [{ SHOPIFY_API_VERSION: '2026-11' }, /^SHOPIFY_API_VERSION must be a Shopify API version/],
    [{ SHOPIFY_API_URL: 'ftp://x' }, /^SHOPIFY_API_URL must be an http\(s\) URL$/],
    [{ APPROVAL_MODE: 'later' }, /^APPROVAL_MODE must be auto, manual or delay:<minutes>$/],
    [{ ROUTE_WHEN: 'shipped' }, /^ROUTE_WHEN must be paid or authorized$/],
    [{ SUPPLIER_POLL_INTERVAL: '1' }, /^SUPPLIER_POLL_INTERVAL must be a number of seconds/],
    [{ ROUTE_ORDERS_CREATED_AFTER: 'yesterday' }, /^ROUTE_ORDERS_CREATED_AFTER must be an ISO time/],
    [{ SHIPPING_METHODS: '{nope' }, /^SHIPPING_METHODS must be JSON/],
    [{ SHIPPING_METHODS: '{"*":{"printify":"fast"}}' }, /^SHIPPING_METHODS must map shipping line titles/],
    [{ SHIPPING_METHODS: '{"*":{"printify":5}}' }, /^SHIPPING_METHODS must map .*"printify": <1-4>/],
    [{ NOTIFY_CUSTOMER: 'yes' }, /^NOTIFY_CUSTOMER must be true or false$/],
    [{ STUCK_AFTER: 'submitted=forever' }, /^STUCK_AFTER must be a list like/],
    [{ OPS_API_TOKEN: 'short' }, /^OPS_API_TOKEN must be at least 16 characters$/],
    [{ JOB_HEARTBEAT_SECONDS: '5' }, /^JOB_HEARTBEAT_SECONDS must be a number of seconds \(10-3600\)$/],
    [{ JOB_HEARTBEAT_SECONDS: '30', JOB_EXPIRE_SECONDS: '20' }, /^JOB_EXPIRE_SECONDS must be longer than JOB_HEARTBEAT_SECONDS$/],
    [{ PRINTFUL_RATE_PER_MINUTE: '0' }, /^PRINTFUL_RATE_PER_MINUTE must be a number of requests per minute/]
  ]
  for (const [env, expected] of cases) {
    const found = problems(env)
    t.equal(found.length, 1, `${JSON.stringify(env)} gives one problem`)
    t.match(found[0], expected)
  }
})

t.test('when a secret is malformed, then its value is never part of the message', async (t) => {
  const secret = 'super-secret-value-that-must-not-leak'
  const found = problems({ DATABASE_URL: `mysql://user:${secret}@host/db`, OPS_API_TOKEN: 'tiny', PRINTFUL_WEBHOOK_SECRET: 'short' })
  t.equal(found.length, 3)
  t.notMatch(found.join('\n'), secret)
  t.notMatch(found.join('\n'), 'tiny')
})

t.test('when values are given, then they are parsed into typed config', async (t) => {
  const config = loadConfig({
    DATABASE_URL: 'postgres://u:p@db:5432/pb',
    PORT: '9000',
    SHOPIFY_SHOP_DOMAIN: 'My-Store.myshopify.com',
    SHOPIFY_CLIENT_ID: 'id',
    SHOPIFY_CLIENT_SECRET: 'secret',
    APPROVAL_MODE: 'delay:30',
    STUCK_AFTER: 'submitting=5m,in_production=10d',
    SHIPPING_METHODS: '{"*":{"printful":"STANDARD","printify":1},"Express":{"printful":"EXPRESS","printify":2}}',
    CUSTOMILY_PROPERTIES: ' _cid , customily ',
    NOTIFY_CUSTOMER: 'false',
    PRINTIFY_API_URL: 'http://127.0.0.1:4000/',
    EMPTY_IS_IGNORED: ''
  })
  t.same(config.database, { url: 'postgres://u:p@db:5432/pb' })
  t.equal(config.http.port, 9000)
  t.equal(config.shopify.shopDomain, 'my-store.myshopify.com')
  t.equal(config.shopify.apiUrl, 'https://my-store.myshopify.com')
  t.same(config.shopify.auth, { kind: 'client_credentials', clientId: 'id', clientSecret: 'secret' })
  t.same(config.shopify.webhookSecrets, ['secret'], 'the client secret verifies webhooks by default')
  t.same(config.env.APPROVAL_MODE, { kind: 'delay', minutes: 30 })
  t.equal(config.env.STUCK_AFTER.submitting, 5 * 60_000)
  t.equal(config.env.STUCK_AFTER.in_production, 10 * 86_400_000)
  t.equal(config.env.STUCK_AFTER.submitted, 3 * 86_400_000, 'states not named keep their default')
  t.same(config.env.SHIPPING_METHODS.Express, { printful: 'EXPRESS', printify: 2 })
  const env: Record<string, unknown> = config.env
  t.same(env.CUSTOMILY_PROPERTIES, ['_cid', 'customily'])
  t.equal(config.env.NOTIFY_CUSTOMER, false)
  t.equal(env.PRINTIFY_API_URL, 'http://127.0.0.1:4000', 'trailing slash removed')
})

t.test('when webhook secrets are listed, then all of them verify (rotation) and a static token is accepted', async (t) => {
  const config = loadConfig({ SHOPIFY_WEBHOOK_SECRETS: 'new, old', SHOPIFY_ADMIN_ACCESS_TOKEN: 'shpat_x' })
  t.same(config.shopify.webhookSecrets, ['new', 'old'])
  t.same(config.shopify.auth, { kind: 'static', accessToken: 'shpat_x' })
})

t.test('when parts are not configured, then the problems say what to set', async (t) => {
  const found = configurationProblems(loadConfig({}))
  t.ok(found.some((p) => p.includes('OPS_API_TOKEN')))
  t.ok(found.some((p) => p.includes('PRINTFUL_API_TOKEN')))
  t.same(configurationProblems(loadConfig({ SHOPIFY_SHOP_DOMAIN: 'a.myshopify.com', SHOPIFY_CLIENT_ID: 'i', SHOPIFY_CLIENT_SECRET: 's', PRINTFUL_API_TOKEN: 't', OPS_API_TOKEN: 'x'.repeat(16) })), [])
})

t.test('when listing the variables, then every name of DESIGN.md is there', async (t) => {
  for (const name of ['DATABASE_URL', 'EMBEDDED_POSTGRES', 'PORT', 'HOST', 'LOG_LEVEL', 'SHOPIFY_SHOP_DOMAIN', 'SHOPIFY_CLIENT_ID', 'SHOPIFY_CLIENT_SECRET', 'SHOPIFY_ADMIN_ACCESS_TOKEN', 'SHOPIFY_WEBHOOK_SECRETS', 'SHOPIFY_API_VERSION', 'SHOPIFY_API_URL', 'PRINTFUL_API_TOKEN', 'PRINTFUL_STORE_ID', 'PRINTFUL_API_URL', 'PRINTIFY_API_TOKEN', 'PRINTIFY_SHOP_ID', 'PRINTIFY_API_URL', 'PRINTIFY_WEBHOOK_SECRET', 'PRINTFUL_WEBHOOK_SECRET', 'CUSTOMILY_API_URL', 'CUSTOMILY_API_KEY', 'OPS_API_TOKEN', 'APPROVAL_MODE', 'ROUTE_WHEN', 'SUPPLIER_POLL_INTERVAL', 'ROUTE_ORDERS_CREATED_AFTER', 'SHIPPING_METHODS', 'PRINTFUL_RATE_PER_MINUTE', 'PRINTIFY_RATE_PER_MINUTE', 'CUSTOMILY_PROPERTIES', 'NOTIFY_CUSTOMER', 'STUCK_AFTER', 'ALERT_WEBHOOK_URL', 'JOB_HEARTBEAT_SECONDS', 'JOB_EXPIRE_SECONDS', 'DATA_DIR']) {
    t.ok(configVariables.includes(name), name)
  }
})
