// The product push's documents (src/shopify/products/documents.ts) against the real 2026-10 Admin
// schema, priced under Shopify's 1000-point limit, and each one sent by the client.
import { parse, validate } from 'graphql'
import t from 'tap'
import { createGraphqlTransport } from '../../src/shopify/index.ts'
import { createStoreProducts } from '../../src/shopify/products/client.ts'
import { productDocuments, productSetMutation } from '../../src/shopify/products/documents.ts'
import { adminSchema } from '../../src/sim/shopify/index.ts'
import { estimateCost } from '../fixtures/shopify/query-cost.ts'
import { clientId, clientSecret, startSim } from '../fixtures/shopify/sim-setup.ts'

const problems = (document: string): string[] => validate(adminSchema(), parse(document)).map((e) => e.message)

void t.test('when each product document is checked against the real 2026-10 schema, then none has a problem', (t) => {
  for (const [name, document] of Object.entries(productDocuments)) t.same(problems(document), [], name)
  const misspelled = productSetMutation.replace('onlineStoreUrl', 'onlineStoreURL')
  t.match(problems(misspelled).join('\n'), /onlineStoreURL/, 'a misspelled field fails naming it')
  t.end()
})

void t.test('when each product document is priced at the page sizes the client uses, then none exceeds 1000 points', (t) => {
  // createStoreProducts' defaults: 100 variants and 50 media per product read, 50 publications per page.
  const variables = { variants: 100, media: 50, first: 100 }
  for (const [name, document] of Object.entries(productDocuments)) {
    const cost = estimateCost(document, name === 'publicationsQuery' ? { first: 50 } : variables)
    t.ok(cost <= 1000, `${name} costs about ${cost}`)
  }
  t.end()
})

void t.test('when the client runs every operation, then each request is valid against the schema and every document was sent', async (t) => {
  const sim = await startSim(t)
  const transport = createGraphqlTransport({ apiUrl: sim.url, apiVersion: '2026-10', auth: { kind: 'client_credentials', clientId, clientSecret } })
  t.teardown(() => transport.close())
  const store = createStoreProducts(transport, { variantPageSize: 2 })
  await store.ensureIdentifier()
  const sizes = ['S', 'M', 'L', 'XL', '2XL']
  const product = await store.set({
    customId: 'printful:71-shirt',
    title: 'Shirt',
    options: [{ name: 'Size', values: sizes }],
    images: [{ url: 'https://images.example/shirt.png' }],
    variants: sizes.map((name) => ({ optionValues: [{ optionName: 'Size', name }], price: '25.00', imageUrl: 'https://images.example/shirt.png' }))
  })
  t.equal(product.variants.length, 5, 'variants past the first page are read too')
  t.same(await store.find('printful:71-shirt'), product)
  await store.publishToOnlineStore(product.id)
  await store.retag(product.id, { add: ['summer'], remove: ['shirt'] })
  await store.archive(product.id)
  await store.storefrontOrigin()
  const sent = sim.store.requests().filter((r) => r.kind === 'graphql')
  t.ok(sent.every((r) => r.status === 200))
  for (const request of sent) t.same(problems(request.query ?? ''), [], request.operationName ?? '')
  const used = new Set(sent.map((r) => r.query))
  for (const [name, document] of Object.entries(productDocuments)) {
    // The definition is created only when the query found none: both were sent here, on a new store.
    t.ok(used.has(document), `${name} was sent`)
  }
})
