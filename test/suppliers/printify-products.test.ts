// Printify's side of the product push (issue 18), against the simulator over
// loopback: the product read and mapped, the publishing handshake with a real
// webhook receiver, unpublish, the publish limit, and the product webhooks parsed.
import t, { type Test } from 'tap'
import { startPrintifySimulator, type PrintifySimOptions } from '../../src/sim/printify/index.ts'
import { parsePrintifyWebhook, verifyPrintifyWebhook } from '../../src/suppliers/printify/webhook.ts'
import { PrintifySupplier } from '../../src/suppliers/printify/supplier.ts'
import { webhookReceiver } from '../fixtures/suppliers/drafts.ts'

const tee = '5b05842f3921c9547531758d'
const mug = '5b05842f3921c9547531758e'

async function setup (t: Test, options: PrintifySimOptions = {}) {
  const receiver = await webhookReceiver()
  t.teardown(receiver.close)
  const sim = await startPrintifySimulator({ pendingForMs: 0, webhookUrl: receiver.url, ...options })
  t.teardown(() => sim.close())
  const supplier = new PrintifySupplier({ apiUrl: sim.url, token: 'py-sim-token', shopId: '5432', timeoutMs: 2_000 })
  return { sim, supplier, receiver }
}

void t.test('when a product is read, then options, variants, prices, costs and images come in our words', async (t) => {
  const { supplier } = await setup(t)
  t.equal(supplier.products.trigger, 'publish')
  const product = await supplier.products.get(tee)
  t.match(product, {
    supplier: 'printify', id: tee, title: 'Unisex Heavy Cotton Tee', descriptionHtml: '<p>Heavy cotton, classic fit.</p>', tags: ['T-shirts', "Men's Clothing"],
    options: [{ name: 'Colors', values: ['White', 'Black'] }, { name: 'Sizes', values: ['S', 'M', 'L'] }],
    images: [{ url: /tee-white-front/, variantIds: ['12100', '12101', '12102'], isDefault: true }, { url: /tee-black-front/, variantIds: ['12103'], isDefault: false }]
  })
  t.same(product?.variants.map((v) => [v.id, v.optionValues, v.enabled]), [
    ['12100', ['White', 'S'], true], ['12101', ['White', 'M'], true], ['12102', ['White', 'L'], false], ['12103', ['Black', 'S'], false]
  ])
  t.match(product?.variants[2], { sku: 'PFY-TEE-WHT-L', price: { amount: 2700, currency: 'USD' }, cost: { amount: 1150, currency: 'USD' }, weightGrams: 170, imageUrl: /tee-white-front/, ref: { productId: tee, variantId: '12102' } })
  t.equal(await supplier.products.get('000000000000000000000000'), undefined, 'a product the shop does not have')

  const all = []
  for await (const p of supplier.products.list()) all.push(p.id)
  t.same(all, [tee, mug])
})

void t.test('when a product is published, then it is locked, product:publish:started reaches the webhook, and publishing_succeeded unlocks it with external', async (t) => {
  const { sim, supplier, receiver } = await setup(t)
  await supplier.api.publish(tee, { title: true, description: false, images: true, variants: true, tags: false, keyFeatures: true, shipping_template: true })
  await sim.control.settleWebhooks()
  t.equal(sim.control.product(tee)?.is_locked, true)
  t.match((await supplier.api.getProduct(tee))?.is_locked, true, 'the product read shows the lock too')

  const delivery = receiver.received.find((r) => r.body.includes('product:publish:started'))
  t.ok(delivery && verifyPrintifyWebhook(delivery.body, String(delivery.headers['x-pfy-signature']), 'py-sim-webhook-secret'), 'signed like every Printify webhook')
  const event = parsePrintifyWebhook(delivery?.body ?? '')
  t.same(event.product, { kind: 'publish', request: { productId: tee, fields: ['title', 'images', 'variants'] } })
  t.match(JSON.parse(delivery?.body ?? '{}'), { type: 'product:publish:started', resource: { id: tee, type: 'product', data: { shop_id: 5432, action: 'create', publish_details: { description: false, key_features: true } } } })

  // While locked, the merchant's edits and the API's updates are refused.
  const update = await fetch(`${sim.url}/v1/shops/5432/products/${tee}.json`, { method: 'PUT', headers: { authorization: 'Bearer py-sim-token', 'user-agent': 'test', 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Changed' }) })
  t.equal(update.status, 400)
  t.throws(() => { sim.control.updateProduct(tee, { variants: [{ id: 12100, price: 2600 }] }) }, /locked/)

  const product = await supplier.products.get(tee)
  if (!product) throw new Error('no product')
  await supplier.products.acknowledge(product, { ok: true, productId: '8123456789012', handle: 'unisex-heavy-cotton-tee', url: 'https://shop.example/products/unisex-heavy-cotton-tee', variants: new Map([['12100', '45000000000001']]) })
  t.match(sim.control.product(tee), { is_locked: false, external: { id: '8123456789012', handle: 'https://shop.example/products/unisex-heavy-cotton-tee' } })
  t.match(sim.control.requests({ method: 'POST', path: `/v1/shops/5432/products/${tee}/publishing_succeeded.json` }), [{ body: { external: { id: '8123456789012', handle: 'https://shop.example/products/unisex-heavy-cotton-tee' } } }])

  sim.control.updateProduct(tee, { variants: [{ id: 12100, price: 2600 }] })
  t.match((await supplier.products.get(tee))?.variants[0], { price: { amount: 2600 } }, 'unlocked: the merchant edits again')
})

void t.test('when the push fails, then publishing_failed carries the reason and unlocks the product', async (t) => {
  const { sim, supplier } = await setup(t)
  await sim.control.publishProduct(mug)
  t.equal(sim.control.product(mug)?.is_locked, true)
  const product = await supplier.products.get(mug)
  if (!product) throw new Error('no product')
  await supplier.products.acknowledge(product, { ok: false, reason: 'No price for variant 33720' })
  t.equal(sim.control.product(mug)?.is_locked, false)
  t.notOk(sim.control.product(mug)?.external)
  t.match(sim.control.requests({ path: `/v1/shops/5432/products/${mug}/publishing_failed.json` }), [{ body: { reason: 'No price for variant 33720' } }])
})

void t.test('when an answer comes for a product never published, then Printify refuses it', async (t) => {
  const { supplier } = await setup(t)
  await t.rejects(supplier.api.publishingFailed(mug, 'why'), { code: 'upstream_rejected' })
})

void t.test('when the store product is deleted, then unpublish.json removes external', async (t) => {
  const { sim, supplier } = await setup(t)
  await sim.control.publishProduct(tee)
  await supplier.api.publishingSucceeded(tee, { id: '1', handle: 'https://shop.example/products/tee' })
  t.ok(sim.control.product(tee)?.external)
  await supplier.products.withdrawn(tee)
  t.notOk(sim.control.product(tee)?.external)
  t.equal(sim.control.product(tee)?.is_locked, false)
})

void t.test('when publish.json is called past 200 in 30 minutes, then Printify answers 429 until the window ends', async (t) => {
  let now = Date.parse('2026-12-04T10:00:00Z')
  const { sim, supplier } = await setup(t, { now: () => now, publishLimit: { limit: 2, windowMs: 30 * 60_000 } })
  const fields = { title: true, description: true, images: true, variants: true, tags: true, keyFeatures: true, shipping_template: true }
  await supplier.api.publish(tee, fields)
  await supplier.api.publish(mug, fields)
  await t.rejects(supplier.api.publish(tee, fields), { code: 'rate_limited' })
  t.equal(sim.control.requests({ path: `/v1/shops/5432/products/${tee}/publish.json` }).at(-1)?.status, 429)
  now += 30 * 60_000
  await supplier.api.publishingSucceeded(tee, { id: '1', handle: 'https://shop.example/products/tee' })
  await supplier.api.publish(tee, fields)
  t.equal(sim.control.product(tee)?.is_locked, true, 'a new window: published again')
})

void t.test('when a product is deleted at Printify, then product:deleted is parsed as a deleted product', async (t) => {
  const { sim, receiver } = await setup(t)
  await sim.control.deleteProduct(mug)
  t.equal(sim.control.product(mug), undefined)
  const delivery = receiver.received.find((r) => r.body.includes('product:deleted'))
  t.same(parsePrintifyWebhook(delivery?.body ?? '').product, { kind: 'deleted', productId: mug })
})

void t.test('when product webhooks are parsed, then the documented bodies give a publish request or a deletion', async (t) => {
  // The shapes of https://developers.printify.com/ "Product events", as public integrations type them.
  const started = {
    id: '653b6be8-2ff7-4ab5-a7a6-6889a8b3bbf5', type: 'product:publish:started', created_at: '2022-05-17 15:00:00+00:00',
    resource: { id: '5cb87a8cd490a2ccb256cec4', type: 'product', data: { shop_id: 815256, publish_details: { title: true, variants: false, description: true, tags: true, images: false, key_features: false, shipping_template: true }, action: 'create', out_of_stock_publishing: 0 } }
  }
  t.match(parsePrintifyWebhook(JSON.stringify(started)), { type: 'product:publish:started', occurredAt: '2022-05-17T15:00:00.000Z', product: { kind: 'publish', request: { productId: '5cb87a8cd490a2ccb256cec4', fields: ['title', 'description', 'tags'] } } })
  t.notOk(parsePrintifyWebhook(JSON.stringify(started)).supplierOrderId, 'not an order event')
  const bare = { ...started, resource: { ...started.resource, data: { shop_id: 815256 } } }
  t.same(parsePrintifyWebhook(JSON.stringify(bare)).product, { kind: 'publish', request: { productId: '5cb87a8cd490a2ccb256cec4', fields: ['title', 'description', 'images', 'variants', 'tags'] } }, 'without publish_details: every field, as publish.json defaults')
  const deleting = { ...started, resource: { ...started.resource, data: { shop_id: 815256, action: 'delete' } } }
  t.equal(parsePrintifyWebhook(JSON.stringify(deleting)).product, undefined)
  const deleted = { id: 'e7a1', type: 'product:deleted', created_at: '2022-05-17 15:00:00+00:00', resource: { id: '5cb87a8cd490a2ccb256cec4', type: 'product', data: { shop_id: 815256 } } }
  t.same(parsePrintifyWebhook(JSON.stringify(deleted)).product, { kind: 'deleted', productId: '5cb87a8cd490a2ccb256cec4' })
})

void t.test('when a product is added at Printify, then the list has it and a product without options maps to none', async (t) => {
  const { sim, supplier } = await setup(t)
  const poster = '5b05842f3921c9547531758f'
  sim.control.putProduct({ id: poster, title: 'Poster', blueprintId: 282, printProviderId: 2, variants: [{ id: 43135, sku: 'PFY-POSTER', cost: 700, price: 1900, title: 'Default' }] })
  const ids = []
  for await (const p of supplier.products.list()) ids.push(p.id)
  t.same(ids, [tee, mug, poster])
  t.match(await supplier.products.get(poster), { options: [], images: [], descriptionHtml: '', variants: [{ id: '43135', optionValues: [], enabled: true, price: { amount: 1900 } }] })
})
