// The first lifeline, product push (issue 18), through every real part: the
// supplier simulators, the service (webhooks, product.push jobs, Postgres) and
// the store simulator. A product published at Printify appears in the store,
// Printify is answered and unlocks it, its variants are mapped, and an order
// for one of them routes with no hand work; the same for a Printful sync
// product, pushed on demand, with external_id written back.
import t from 'tap'
import { eventually } from '../helpers/bridge.ts'
import { startFullBridge, type FullBridge } from '../helpers/full-bridge.ts'

const tee = '5b05842f3921c9547531758d'

interface ProductItem { id: string, supplier: string, supplierProductId: string, shopifyProductId: string | null, lastPushAt: string | null, outcome: string | null, reason: string | null, acknowledgedAt: string | null }

async function productRow (bridge: FullBridge, supplier: string, id: string): Promise<ProductItem | undefined> {
  const res = await bridge.ops('GET', `/v1/products?supplier=${supplier}`)
  return (res.json as { products: ProductItem[] }).products.find((p) => p.supplierProductId === id)
}

/** The product's next push, once its last push time moves past `after` and the supplier has been told. */
async function nextPush (bridge: FullBridge, supplier: string, id: string, after: string | null, what: string): Promise<ProductItem> {
  return eventually(async () => {
    const row = await productRow(bridge, supplier, id)
    return row?.lastPushAt && row.lastPushAt !== after && row.acknowledgedAt ? row : undefined
  }, 20_000, what)
}

async function pushedMappings (bridge: FullBridge): Promise<{ match: { variantId?: string }, supplier: string, source: string, [ref: string]: unknown }[]> {
  const res = await bridge.ops('GET', '/v1/mappings?limit=500')
  return (res.json as { mappings: { match: { variantId?: string }, supplier: string, source: string }[] }).mappings.filter((m) => m.source === 'push')
}

t.test('when a product is published at Printify, then it appears in the store, Printify is told its ids and unlocks it, and an order for it routes with no hand work', async (t) => {
  const bridge = await startFullBridge(t)
  const printify = bridge.suppliers.printify.control
  await printify.publishProduct(tee)
  t.equal(printify.product(tee)?.is_locked, true, 'locked while the channel works')
  const row = await nextPush(bridge, 'printify', tee, null, 'the tee pushed')
  t.equal(row.outcome, 'created', row.reason ?? '')

  const [product, ...others] = bridge.store.store.products()
  t.equal(others.length, 0)
  if (!product) return
  t.equal(product.title, 'Unisex Heavy Cotton Tee')
  t.equal(product.status, 'DRAFT', 'PRODUCT_PUSH_STATUS defaults to draft')
  t.same(product.variants.map((v) => v.sku).sort(), ['PFY-TEE-WHT-M', 'PFY-TEE-WHT-S'], 'only the enabled variants are for sale')
  t.ok(product.media.length > 0, 'images from the mockups')
  t.ok(product.variants.every((v) => v.mediaId !== null), 'each variant shows its image')

  const answered = await eventually(async () => printify.product(tee)?.is_locked === false ? printify.product(tee) : undefined, 20_000, 'Printify answered and the tee unlocked')
  // Printify's external.handle is the product's URL; a draft has none yet, so it is the URL its handle will have.
  t.same(answered.external, { id: product.id.split('/').pop(), handle: `https://pod-bridge-e2e.myshopify.com/products/${product.handle}` }, 'publishing_succeeded with the store\'s ids')

  const mappings = await pushedMappings(bridge)
  t.same(mappings.map((m) => m.match.variantId).sort(), product.variants.map((v) => v.id).sort(), 'every pushed variant is mapped, by the push')

  const variant = product.variants.find((v) => v.sku === 'PFY-TEE-WHT-M')!
  await bridge.store.store.createOrder({ lines: [{ variantId: variant.id, sku: variant.sku, title: product.title, productId: product.id }] })
  const sent = await eventually(async () => printify.orders()[0], 20_000, 'the order at Printify')
  t.match(sent.line_items, [{ product_id: tee, variant_id: 12101 }], 'routed by the pushed mapping to the published product\'s variant')
})

t.test('when Printify\'s tags change after the merchant added one of their own, then the re-publish adds and removes only the push\'s tags, with no productSet', async (t) => {
  const bridge = await startFullBridge(t)
  const printify = bridge.suppliers.printify.control
  printify.updateProduct(tee, { tags: ['T-shirts', 'Cotton'] })
  await printify.publishProduct(tee)
  const first = await nextPush(bridge, 'printify', tee, null, 'the tee pushed')
  t.equal(first.outcome, 'created', first.reason ?? '')
  const [product] = bridge.store.store.products()
  if (!product) return
  t.same(product.tags, ['T-shirts', 'Cotton'])

  await bridge.store.store.editProduct(product.id, { addTags: ['Summer sale'] })
  printify.updateProduct(tee, { tags: ['T-shirts', 'Organic'] })
  const sets = bridge.store.store.productSetCalls()
  await printify.publishProduct(tee, { title: false, description: false, images: false, variants: false, tags: true })
  const second = await nextPush(bridge, 'printify', tee, first.lastPushAt, 'the tags re-published')
  t.equal(second.outcome, 'updated', second.reason ?? '')
  t.equal(bridge.store.store.productSetCalls(), sets, 'tags alone make no productSet (its tags would replace the merchant\'s)')
  t.same([...bridge.store.store.product(product.id).tags].sort(), ['Organic', 'Summer sale', 'T-shirts'], 'Cotton removed, Organic added, the merchant\'s Summer sale kept')
})

t.test('when a Printful sync product is pushed on demand, then it is in the store and each sync variant carries the store variant id as external_id; re-pushes compare first', async (t) => {
  const bridge = await startFullBridge(t)
  const printful = bridge.suppliers.printful.control
  const queued = await bridge.ops('POST', '/v1/products/push', { supplier: 'printful', productId: '301' })
  t.equal(queued.status, 202, JSON.stringify(queued.json))
  const first = await nextPush(bridge, 'printful', '301', null, 'the tee pushed')
  t.equal(first.outcome, 'created', first.reason ?? '')
  const product = bridge.store.store.products().find((p) => p.customId?.value === 'printful:301')!
  t.ok(product, 'keyed by its custom id')
  const byId = Object.fromEntries(product.variants.map((v) => [v.sku, v.id.split('/').pop()]))
  t.equal(printful.syncVariant(4001)?.external_id, byId['TEE-WHT-S'])
  t.equal(printful.syncVariant(4002)?.external_id, byId['TEE-WHT-M'])

  // The merchant edits what the push does not own; the push then runs again with nothing changed.
  await bridge.store.store.editProduct(product.id, { vendor: 'Our own label', seoTitle: 'Best tee' })
  const sets = bridge.store.store.productSetCalls()
  t.equal((await bridge.ops('POST', '/v1/products/push', { supplier: 'printful', productId: '301' })).status, 202)
  const second = await nextPush(bridge, 'printful', '301', first.lastPushAt, 'the unchanged push')
  t.equal(second.outcome, 'unchanged')
  t.equal(bridge.store.store.productSetCalls(), sets, 'no productSet for an unchanged product')

  // A price change at Printful: exactly one productSet, the same ids.
  printful.setRetailPrice(4001, '29.99')
  t.equal((await bridge.ops('POST', '/v1/products/push', { supplier: 'printful', productId: '301' })).status, 202)
  const third = await nextPush(bridge, 'printful', '301', second.lastPushAt, 'the repriced push')
  t.equal(third.outcome, 'updated')
  t.equal(bridge.store.store.productSetCalls(), sets + 1, 'exactly one productSet')
  const after = bridge.store.store.product(product.id)
  t.equal(after.id, product.id)
  t.same(after.variants.map((v) => v.id), product.variants.map((v) => v.id), 'the variants keep their ids')
  t.equal(after.variants.find((v) => v.sku === 'TEE-WHT-S')?.price, '29.99')
  t.equal(after.vendor, 'Our own label', 'the merchant\'s vendor survives the re-push')
  t.equal(after.seoTitle, 'Best tee', 'and the SEO title')

  const variant = after.variants.find((v) => v.sku === 'TEE-WHT-M')!
  await bridge.store.store.createOrder({ lines: [{ variantId: variant.id, sku: variant.sku, title: after.title, productId: after.id }] })
  const sent = await eventually(async () => printful.orders()[0], 20_000, 'the order at Printful')
  t.match(sent.items, [{ sync_variant_id: 4002 }], 'routed by the pushed mapping')
})

t.test('when the store sells in EUR and the supplier prices in USD, then the push reads the store\'s currency and refuses, converting nothing', async (t) => {
  // The simulated store's Shop.currencyCode; the service asks the store for it before its first push.
  const bridge = await startFullBridge(t, {}, { storeCurrency: 'EUR' })
  t.equal((await bridge.ops('POST', '/v1/products/push', { supplier: 'printful', productId: '301' })).status, 202)
  const row = await eventually(async () => {
    const found = await productRow(bridge, 'printful', '301')
    return found?.outcome ? found : undefined
  }, 20_000, 'the push\'s outcome')
  t.equal(row.outcome, 'failed')
  t.match(row.reason, /is priced in USD and the store sells in EUR: pod-bridge does not convert currencies .*set the supplier's currency to EUR/)
  t.equal(bridge.store.store.productSetCalls(), 0, 'nothing sent to the store')
  t.same(bridge.store.store.products(), [])
  t.ok(bridge.store.store.requests().some((r) => r.operationName === 'ShopCurrency'), 'the currency came from the store')
})
