// The log of a whole order flow at `debug` (intake, sync over the Admin API,
// routing, submission to both suppliers, their webhooks, fulfillment back in
// Shopify, the ops API) holds none of the customer's personal data and none of
// the tokens and secrets: the captured log is searched for the simulators' own
// values, the ones that really went over the wire.
import pino from 'pino'
import t from 'tap'
import { loadConfig } from '../../src/config.ts'
import { loggerOptions } from '../../src/lib/logger.ts'
import { startService } from '../../src/service.ts'
import { startShopifySimulator } from '../../src/sim/shopify/index.ts'
import { startSupplierSimulators } from '../../src/sim/suppliers.ts'
import { eventually } from '../helpers/bridge.ts'
import { testDatabase } from '../helpers/database.ts'

const SHOP = 'pod-bridge-log-probe.myshopify.com'
const secrets = {
  SHOPIFY_CLIENT_ID: 'log-probe-client-id-7Hq2',
  SHOPIFY_CLIENT_SECRET: 'log-probe-client-secret-9Kd3',
  SHOPIFY_WEBHOOK_SECRETS: 'log-probe-webhook-secret-2Vb8',
  PRINTFUL_WEBHOOK_SECRET: 'log-probe-printful-url-token-5Rt1',
  OPS_API_TOKEN: 'log-probe-ops-token-0123456789'
}
const customer = {
  email: 'philippa.fh@privacy-probe.example',
  shippingAddress: { firstName: 'Philippa', lastName: 'Featherstonehaugh', company: null, address1: '7 Quillfeather Lane', address2: 'Flat Zq-19', city: 'Springfield', province: 'Oregon', provinceCode: 'OR', country: 'United States', countryCode: 'US', zip: '97477', phone: '+1 415 555 0142' }
}

t.test('when an order goes through the whole bridge with LOG_LEVEL=debug, then the log holds no personal data, token or secret', async (t) => {
  const captured: string[] = []
  const logger = pino(loggerOptions('debug'), { write: (line: string) => { captured.push(line) } })
  const database = await testDatabase(t)
  const store = await startShopifySimulator({ shopDomain: SHOP, webhookSecret: secrets.SHOPIFY_WEBHOOK_SECRETS, clientId: secrets.SHOPIFY_CLIENT_ID, clientSecret: secrets.SHOPIFY_CLIENT_SECRET })
  t.teardown(() => store.close())
  const suppliers = await startSupplierSimulators({ shopDomain: SHOP })
  t.teardown(() => suppliers.close())
  const config = loadConfig({
    ...suppliers.env, ...secrets,
    DATABASE_URL: database.url, HOST: '127.0.0.1', LOG_LEVEL: 'debug',
    SHOPIFY_SHOP_DOMAIN: SHOP, SHOPIFY_API_URL: store.url, ROUTE_ORDERS_CREATED_AFTER: '2020-01-01T00:00:00Z'
  })
  const service = await startService({ config, role: 'all', migrate: false, logger, port: 0, shutdownTimeoutMs: 2000 })
  t.teardown(() => service.close())
  store.store.setWebhookUrl(`${service.url}/webhooks/shopify`)
  suppliers.printful.control.setWebhookUrl(`${service.url}/webhooks/printful?token=${secrets.PRINTFUL_WEBHOOK_SECRET}`)
  suppliers.printify.control.setWebhookUrl(`${service.url}/webhooks/printify`)
  const ops = async (method: string, path: string, body?: unknown): Promise<{ status: number, json: unknown }> => {
    const res = await fetch(`${service.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${secrets.OPS_API_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
    return { status: res.status, json: await res.json() }
  }

  t.equal((await ops('PUT', '/v1/mappings', { mappings: [
    { match: { sku: 'TEE-WHT-S' }, supplier: 'printful', printful: { syncVariantId: '4001' } },
    { match: { sku: 'PFY-MUG-11' }, supplier: 'printify', printify: { productId: '5b05842f3921c9547531758e', variantId: '33719' } }
  ] })).status, 200)
  const ref = await store.store.createOrder({ ...customer, lines: [{ sku: 'TEE-WHT-S' }, { sku: 'PFY-MUG-11' }] })
  await eventually(async () => suppliers.printful.control.orders().length === 1 && suppliers.printify.control.orders().length === 1 || undefined, 20_000, 'one order at each supplier')
  const pf = suppliers.printful.control.orders()[0]!
  const py = suppliers.printify.control.orders()[0]!
  t.equal(pf.recipient.name, 'Philippa Featherstonehaugh', 'the customer really went to Printful')
  const detail = async () => (await ops('GET', `/v1/orders/${encodeURIComponent(ref.name)}`)).json as { order: { state: string }, supplierOrders: { state: string }[], shipments: unknown[] }
  await eventually(async () => (await detail()).supplierOrders.every((s) => s.state === 'submitted') || undefined, 20_000, 'both supplier orders submitted')
  await suppliers.printful.control.advance(String(pf.id), { to: 'shipped' })
  await eventually(async () => (await detail()).shipments.length === 1 || undefined, 20_000, 'the Printful parcel recorded')
  await suppliers.printify.control.advance(py.id, { to: 'shipped' })
  const done = await eventually(async () => {
    const body = (await ops('GET', `/v1/orders/${encodeURIComponent(ref.name)}`)).json as { order: { state: string } }
    return body.order.state === 'fulfilled' ? body : undefined
  }, 30_000, 'the order fulfilled', async () => JSON.stringify((await ops('GET', `/v1/orders/${encodeURIComponent(ref.name)}`)).json))
  t.equal(done.order.state, 'fulfilled')
  t.equal((await ops('GET', `/v1/orders?q=${encodeURIComponent(customer.email)}`)).status, 200, 'a search by email')
  await service.close()

  const log = captured.join('')
  // The service writes nothing at debug today; the level is set so that whatever is added later is searched too.
  t.ok(captured.length > 10, `the flow's log was captured (${captured.length} lines)`)
  t.match(log, /"queue":"order\.sync"/, 'the jobs logged')
  t.match(log, /"url":"\/v1\/orders/, 'the ops requests logged')
  const a = customer.shippingAddress
  const forbidden: Record<string, string> = {
    'customer email': customer.email, 'first name': a.firstName, 'last name': a.lastName, address1: a.address1,
    address2: a.address2, phone: a.phone, 'phone digits': a.phone.replace(/\D/g, ''),
    ...Object.fromEntries(Object.entries(secrets)),
    ...Object.fromEntries(Object.entries(suppliers.env).filter(([name]) => /TOKEN|SECRET|KEY/.test(name))),
    'a Shopify access token issued by the store': 'shpat_'
  }
  for (const [what, value] of Object.entries(forbidden).flatMap(([what, value]): [string, string][] => [[what, value], [`${what} (URL-encoded)`, encodeURIComponent(value)]])) {
    const at = log.indexOf(value)
    t.equal(at, -1, `no ${what} in the log${at === -1 ? '' : `: …${log.slice(Math.max(0, at - 300), at + 100)}…`}`)
  }
})
