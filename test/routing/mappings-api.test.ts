import t from 'tap'
import { bearer, testApp } from '../helpers/app.ts'
import { jobs, route, routeDepsFor, seedOrder } from '../helpers/routing-factories.ts'

t.test('when mappings are PUT, then they are listed by match, upserted by match, and deleted by id', async (t) => {
  const { app, database: { db } } = await testApp(t, { boss: true })
  const put = (mappings: unknown[]) => app.inject({ method: 'PUT', url: '/v1/mappings', headers: bearer(), payload: { mappings } })
  const res = await put([
    { match: { variantId: '44800000000001' }, supplier: 'printful', printful: { syncVariantId: 4001 } },
    { match: { sku: 'MUG-11' }, supplier: 'printify', printify: { productId: '5b05842f3921c9547531758e', variantId: '33719' } },
    { match: { skuPrefix: 'HAND-' }, supplier: 'none' },
    { match: { vendor: 'Poster Co' }, supplier: 'printful', printful: { variantId: '1', files: [{ type: 'default', url: 'https://files.example/a.png' }] } },
    { match: { sku: 'CUSTOM-MUG' }, supplier: 'printify', printify: { blueprintId: 68, printProviderId: 1, variantId: 33719 }, personalization: 'customily', placement: 'front' }
  ])
  t.equal(res.statusCode, 200)
  t.same(res.json(), { upserted: 5, rerouted: 0 })
  const list = await app.inject({ method: 'GET', url: '/v1/mappings?limit=2', headers: bearer() })
  t.equal(list.statusCode, 200)
  const page1 = list.json()
  t.match(page1.mappings, [{ match: { sku: 'CUSTOM-MUG' }, personalization: 'customily', placement: 'front', printify: { printAreas: {} } }, { match: { sku: 'MUG-11' }, source: 'ops' }])
  const page2 = (await app.inject({ method: 'GET', url: `/v1/mappings?limit=2&cursor=${String(page1.nextCursor)}`, headers: bearer() })).json()
  t.match(page2.mappings, [{ match: { skuPrefix: 'HAND-' }, supplier: 'none' }, { match: { variantId: 'gid://shopify/ProductVariant/44800000000001' }, printful: { syncVariantId: '4001' } }])
  const page3 = (await app.inject({ method: 'GET', url: `/v1/mappings?limit=2&cursor=${String(page2.nextCursor)}`, headers: bearer() })).json()
  t.match(page3, { mappings: [{ match: { vendor: 'Poster Co' } }], nextCursor: null })

  t.same((await put([{ match: { sku: 'MUG-11' }, supplier: 'none' }])).json(), { upserted: 1, rerouted: 0 })
  t.match((await app.inject({ method: 'GET', url: '/v1/mappings?supplier=none', headers: bearer() })).json().mappings, [{ match: { sku: 'MUG-11' } }, { match: { skuPrefix: 'HAND-' } }])
  const id = (await db.selectFrom('variant_mappings').select('id').where('match_value', '=', 'MUG-11').executeTakeFirstOrThrow()).id
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/mappings/${id}`, headers: bearer() })).statusCode, 204)
  const again = await app.inject({ method: 'DELETE', url: `/v1/mappings/${id}`, headers: bearer() })
  t.equal(again.statusCode, 404)
  t.equal((await app.inject({ method: 'DELETE', url: '/v1/mappings/nope', headers: bearer() })).statusCode, 400)
  t.equal((await app.inject({ method: 'GET', url: '/v1/mappings' })).statusCode, 401, 'behind OPS_API_TOKEN')
  const badCursor = await app.inject({ method: 'GET', url: '/v1/mappings?cursor=nope', headers: bearer() })
  t.equal(badCursor.statusCode, 400)
  t.match(badCursor.json().error.message, /^querystring\.cursor: /)
})

t.test('when a mapping is malformed, then 400 names the field', async (t) => {
  const { app } = await testApp(t, { boss: true })
  const put = async (mapping: unknown) => {
    const res = await app.inject({ method: 'PUT', url: '/v1/mappings', headers: bearer(), payload: { mappings: [mapping] } })
    t.equal(res.statusCode, 400)
    return res.json().error.message as string
  }
  t.match(await put({ match: { sku: 'A', vendor: 'B' }, supplier: 'none' }), /^body\.mappings\.0\.match: must have exactly one of variantId, sku, skuPrefix, vendor/)
  t.match(await put({ match: { sku: 'A' }, supplier: 'printful' }), /^body\.mappings\.0\.printful: is required when supplier is printful/)
  t.match(await put({ match: { sku: 'A' }, supplier: 'acme' }), /^body\.mappings\.0\.supplier: must be printful, printify, gelato or none/)
  t.match(await put({ match: { sku: 'A' }, supplier: 'gelato', gelato: { productUid: '' } }), /^body\.mappings\.0\.gelato/)
  t.match(await put({ match: { sku: 'A' }, supplier: 'none', printify: { sku: 'A' } }), /^body\.mappings\.0\.printify: is only for supplier printify/)
  t.match(await put({ match: { variantId: 'abc' }, supplier: 'none' }), /^body\.mappings\.0\.match\.variantId: must be a Shopify variant id/)
  t.match(await put({ match: { sku: 'A' }, supplier: 'printful', printful: { variantId: '1' } }), /^body\.mappings\.0\.printful\.files: a catalog variant needs print files/)
  t.match(await put({ match: { sku: 'A' }, supplier: 'printful', printful: { nope: 1 } }), /^body\.mappings\.0\.printful: must be \{ syncVariantId \}/)
  t.match(await put({ match: { sku: 'A' }, supplier: 'printify', printify: { sku: 'A' }, personalization: 'customily' }), /^body\.mappings\.0\.placement: is required with personalization/)
  const empty = await app.inject({ method: 'PUT', url: '/v1/mappings', headers: bearer(), payload: { mappings: [] } })
  t.match(empty.json().error.message, /^body\.mappings: /)
})

t.test('when a mapping is added for an order waiting on it, then that order is routed again', async (t) => {
  const { app, database: { db }, boss } = await testApp(t, { boss: true })
  const seeded = await seedOrder(db, [{ sku: 'POSTER-A3' }])
  await route(db, routeDepsFor(boss!), seeded.orderId)
  const held = await seedOrder(db, [{ sku: 'POSTER-A4' }], { name: '#1002' })
  await db.updateTable('orders').set({ state: 'held', state_reason: 'created before the cut-over' }).where('id', '=', held.orderId).execute()
  const res = await app.inject({ method: 'PUT', url: '/v1/mappings', headers: bearer(), payload: { mappings: [{ match: { skuPrefix: 'POSTER-' }, supplier: 'none' }] } })
  t.same(res.json(), { upserted: 1, rerouted: 1 }, 'an order held before the cut-over is not routed by a mapping change')
  t.match(await jobs(db, 'order.route'), [{ data: { orderId: seeded.orderId } }])
})
