// The store simulator's product controls over HTTP (/_control/products...), the products/delete
// webhook, and the productSet rules the client alone cannot show.
import { createHmac } from 'node:crypto'
import Fastify from 'fastify'
import t from 'tap'
import { isAppError } from '../../src/lib/errors.ts'
import { shopCurrencyReader } from '../../src/products/shop-currency.ts'
import { createGraphqlTransport, isShopifyUserErrors } from '../../src/shopify/index.ts'
import { createStoreProducts } from '../../src/shopify/products/client.ts'
import type { StoreProducts } from '../../src/shopify/products/port.ts'
import type { ShopifySimulator } from '../../src/sim/shopify/index.ts'
import { clientFor, clientId, clientSecret, startSim, webhookSecret } from '../fixtures/shopify/sim-setup.ts'

interface Teardown { teardown (fn: () => unknown): void }

async function startReceiver (t: Teardown): Promise<{ url: string, received: Array<{ topic: unknown, hmac: unknown, body: string }> }> {
  const app = Fastify()
  const received: Array<{ topic: unknown, hmac: unknown, body: string }> = []
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => { done(null, body) })
  app.post('/webhooks/shopify', async (request, reply) => {
    received.push({ topic: request.headers['x-shopify-topic'], hmac: request.headers['x-shopify-hmac-sha256'], body: String(request.body) })
    return reply.code(200).send()
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => app.close())
  const address = app.server.address()
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/webhooks/shopify`, received }
}

function productsFor (t: Teardown, sim: ShopifySimulator): StoreProducts {
  const transport = createGraphqlTransport({ apiUrl: sim.url, apiVersion: '2026-10', auth: { kind: 'client_credentials', clientId, clientSecret } })
  t.teardown(() => transport.close())
  return createStoreProducts(transport)
}

const tee = { customId: 'printify:tee', title: 'Tee', options: [{ name: 'Size', values: ['S', 'M'] }], variants: [{ optionValues: [{ optionName: 'Size', name: 'S' }], price: '20.00' }, { optionValues: [{ optionName: 'Size', name: 'M' }], price: '20.00' }] }

async function control (sim: ShopifySimulator, path: string, body?: unknown): Promise<{ status: number, json: unknown }> {
  const response = await fetch(`${sim.url}/_control/${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: response.status, json: await response.json() }
}

void t.test('when a test drives products over the control API, then it reads, edits and counts them, and a deletion sends products/delete with the id', async (t) => {
  const receiver = await startReceiver(t)
  const sim = await startSim(t, { webhookUrl: receiver.url })
  const store = productsFor(t, sim)
  await store.ensureIdentifier()
  const product = await store.set(tee)
  const id = encodeURIComponent(product.id)
  t.match(await control(sim, 'products'), { status: 200, json: [{ id: product.id, title: 'Tee', variants: [{ optionValues: [{ name: 'S' }] }, { optionValues: [{ name: 'M' }] }] }] })
  t.match(await control(sim, `products/${id}/edit`, { title: 'Merchant tee', addTags: ['sale'] }), { status: 200, json: { title: 'Merchant tee', tags: ['sale'] } })
  t.match(await control(sim, `products/${id}`), { status: 200, json: { title: 'Merchant tee' } })
  t.match(await control(sim, `products/${id}/edit`, { title: '' }), { status: 400, json: { error: { code: 'bad_request' } } })
  t.same(await control(sim, 'product-set-calls'), { status: 200, json: { count: 1 } })
  t.same(await control(sim, 'variant-count', { count: 50_000 }), { status: 200, json: { count: 50_000 } })

  t.same((await control(sim, `products/${id}/delete`, {})).status, 200)
  const numeric = product.id.split('/').at(-1) ?? ''
  const delivery = receiver.received.at(-1)
  t.equal(delivery?.topic, 'products/delete')
  t.equal(delivery?.body, `{"id":${numeric}}`, 'the id as an exact JSON number, nothing else')
  t.equal(delivery?.hmac, createHmac('sha256', webhookSecret).update(delivery?.body ?? '').digest('base64'))
  t.equal(await store.find('printify:tee'), undefined, 'gone from the API')
  t.match(await control(sim, `products/${id}`), { status: 404 })
  const again = await store.set(tee)
  t.not(again.id, product.id, 'a push after the deletion creates a new product')
})

void t.test('when productSet names variants without options, or a variant image outside the files, then it is refused and nothing changes', async (t) => {
  const sim = await startSim(t)
  const store = productsFor(t, sim)
  await store.ensureIdentifier()
  const noOptions = await store.set({ customId: 'printify:tee', title: 'Tee', variants: tee.variants }).catch((e: unknown) => e)
  t.ok(isShopifyUserErrors(noOptions))
  if (isShopifyUserErrors(noOptions)) t.match(noOptions.userErrors, [{ code: 'PRODUCT_OPTIONS_INPUT_MISSING' }])
  const unknownValue = await store.set({ ...tee, variants: [{ optionValues: [{ optionName: 'Size', name: 'XL' }], price: '20.00' }] }).catch((e: unknown) => e)
  t.ok(isShopifyUserErrors(unknownValue))
  if (isShopifyUserErrors(unknownValue)) t.match(unknownValue.userErrors, [{ code: 'OPTION_VALUE_DOES_NOT_EXIST' }])
  const stray = await store.set({ ...tee, variants: [{ optionValues: [{ optionName: 'Size', name: 'S' }], price: '20.00', imageUrl: 'https://images.example/x.png' }] }).catch((e: unknown) => e)
  t.ok(isAppError(stray) && stray.code === 'bad_request', 'the client refuses a variant image that is not among the images')
  t.same(sim.store.products(), [])
  t.equal(sim.store.productSetCalls(), 2, 'the refused calls were counted; the client\'s own refusal never reached the store')
})

void t.test('when products are pushed, then their variants are in the store\'s catalog (productVariants, the unmapped report\'s read) until deleted', async (t) => {
  const sim = await startSim(t)
  const store = productsFor(t, sim)
  await store.ensureIdentifier()
  const product = await store.set({ ...tee, variants: tee.variants.map((v, i) => ({ ...v, sku: `TEE-${i}` })) })
  const admin = clientFor(t, sim)
  t.match((await admin.productVariants()).items, [{ sku: 'TEE-0', title: 'S', product: { id: product.id, title: 'Tee' } }, { sku: 'TEE-1', title: 'M' }])
  await sim.store.deleteProduct(product.id)
  t.same((await admin.productVariants()).items, [])
})

void t.test('when the daily variant creation limit is reached, then productSet answers 200 with a VARIANT_THROTTLE_EXCEEDED error and a null productSet, as GraphQL callers report', async (t) => {
  const sim = await startSim(t, { accessToken: 'shpat_x' })
  sim.store.setVariantCount(50_000)
  const options = [{ name: 'Size', values: Array.from({ length: 1_001 }, (_, i) => ({ name: `s${i}` })) }]
  const variants = options[0]?.values.map((value) => ({ optionValues: [{ optionName: 'Size', name: value.name }], price: '20.00' }))
  const response = await fetch(`${sim.url}/admin/api/2026-10/graphql.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': 'shpat_x' },
    body: JSON.stringify({
      query: 'mutation Set($input: ProductSetInput!) { productSet(input: $input, synchronous: true) { product { id } userErrors { code } } }',
      variables: { input: { title: 'Many', productOptions: options, variants } }
    })
  })
  t.equal(response.status, 200)
  const body = await response.json() as { data?: unknown, errors?: unknown, extensions?: unknown }
  t.same(body.data, { productSet: null })
  t.match(body.errors, [{ message: /^Daily variant creation limit reached/, path: ['productSet'], extensions: { code: 'VARIANT_THROTTLE_EXCEEDED' } }])
  t.match(body.extensions, { cost: { throttleStatus: { maximumAvailable: Number } } })
  t.same(sim.store.products(), [], 'nothing was created')
})

void t.test('when the shop\'s currency is asked for, then the store answers Shop.currencyCode: USD for a new store, what its control sets after, and a code outside the schema\'s CurrencyCode is refused', async (t) => {
  const sim = await startSim(t)
  const transport = createGraphqlTransport({ apiUrl: sim.url, apiVersion: '2026-10', auth: { kind: 'client_credentials', clientId, clientSecret } })
  t.teardown(() => transport.close())
  t.equal(await shopCurrencyReader(transport)(), 'USD', 'a new store sells in USD')
  t.same(await control(sim, 'shop'), { status: 200, json: { currencyCode: 'USD' } })
  t.same(await control(sim, 'shop', { currencyCode: 'EUR' }), { status: 200, json: { currencyCode: 'EUR' } })
  t.equal(await shopCurrencyReader(transport)(), 'EUR', 'read through the service\'s own query')
  t.match(await control(sim, 'shop', { currencyCode: 'EURO' }), { status: 400, json: { error: { code: 'bad_request', message: /EURO is not a CurrencyCode/ } } })
  t.equal(sim.store.currency(), 'EUR', 'unchanged by the refusal')
})
