import t from 'tap'
import { buildApp } from '../../src/app.ts'
import { createLogger } from '../../src/lib/logger.ts'
import { upsertMappings } from '../../src/orders/routing/mappings.ts'
import { createReadiness } from '../../src/readiness.ts'
import { clientFor, startSim } from '../fixtures/shopify/sim-setup.ts'
import { bearer, testApp } from '../helpers/app.ts'
import { seedOrder } from '../helpers/routing-factories.ts'

t.test('when store variants have no mapping, then the unmapped report lists them, page by page, with lines owned by a fulfillment service', async (t) => {
  const sim = await startSim(t)
  const { database, config } = await testApp(t)
  const db = database.db
  const tee = sim.store.addProductVariant({ sku: 'TEE-WHT-S', productTitle: 'Tee', vendor: 'Sim vendor' })
  sim.store.addProductVariant({ sku: 'MUG-11', productTitle: 'Mug' })
  const poster = sim.store.addProductVariant({ sku: 'POSTER-A3', productTitle: 'Poster', title: 'A3' })
  sim.store.addProductVariant({ sku: null, productTitle: 'Handmade', vendor: 'Our Workshop' })
  const loose = sim.store.addProductVariant({ sku: null, productTitle: 'Loose', vendor: 'Someone' })
  await upsertMappings(db, [
    { match: { variantId: tee.id }, supplier: 'printful', ref: { syncVariantId: '4001' } },
    { match: { sku: 'MUG-11' }, supplier: 'printify', ref: { sku: 'MUG-11' } },
    { match: { vendor: 'our workshop' }, supplier: 'none' }
  ])
  await seedOrder(db, [{ sku: 'PF-HOODIE', state: 'skipped', reason: 'owned by fulfillment service printful', routableQuantity: 0 }], { name: '#1007' })

  const shopify = clientFor(t, sim, { pageSize: 2 })
  const app = await buildApp({ config, db, boss: undefined, readiness: createReadiness({ db, workers: undefined, problems: () => [] }), logger: createLogger('silent'), shopify })
  t.teardown(() => app.close())
  const first = await app.inject({ method: 'GET', url: '/v1/mappings/unmapped?limit=1', headers: bearer() })
  t.equal(first.statusCode, 200, first.body)
  const page1 = first.json()
  t.match(page1, { variants: [{ variantId: poster.id, sku: 'POSTER-A3', product: { title: 'Poster' } }], nextCursor: String })
  t.match(page1.fulfillmentServiceLines, [{ fulfillmentService: 'printful', sku: 'PF-HOODIE', orders: 1, lastOrder: '#1007' }])
  const page2 = (await app.inject({ method: 'GET', url: `/v1/mappings/unmapped?cursor=${encodeURIComponent(String(page1.nextCursor))}`, headers: bearer() })).json()
  t.match(page2, { variants: [{ variantId: loose.id, sku: null }], nextCursor: null, fulfillmentServiceLines: [] })
  t.equal(page2.variants.length, 1)
})

t.test('when the store is not configured, then the unmapped report answers 503 saying so', async (t) => {
  const { app } = await testApp(t)
  const res = await app.inject({ method: 'GET', url: '/v1/mappings/unmapped', headers: bearer() })
  t.equal(res.statusCode, 503)
  t.match(res.json(), { error: { code: 'not_configured', message: /Shopify store is not configured/ } })
})
