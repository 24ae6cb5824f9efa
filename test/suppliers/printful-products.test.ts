// Printful's side of the product push (issue 18), against the simulator over
// loopback: sync products read and mapped, the store's variant ids written
// back as external_id and read back, and what Printful refuses.
import t, { type Test } from 'tap'
import { startPrintfulSimulator, type PrintfulSimOptions } from '../../src/sim/printful/index.ts'
import type { PushOutcome, SupplierProduct } from '../../src/suppliers/common/product.ts'
import { toMoney } from '../../src/suppliers/printful/products.ts'
import { PrintfulSupplier } from '../../src/suppliers/printful/supplier.ts'

async function setup (t: Test, options: PrintfulSimOptions = {}) {
  const sim = await startPrintfulSimulator(options)
  t.teardown(() => sim.close())
  const supplier = new PrintfulSupplier({ apiUrl: sim.url, token: 'pf-sim-token', timeoutMs: 2_000 })
  return { sim, supplier }
}

function pushed (product: SupplierProduct, storeVariantIds: Record<string, string>): PushOutcome {
  return { ok: true, productId: '8123456789012', handle: 'tee', url: 'https://shop.example/products/tee', variants: new Map(product.variants.flatMap((v) => storeVariantIds[v.id] ? [[v.id, storeVariantIds[v.id] ?? '']] : [])) }
}

void t.test('when a sync product is read, then Color and Size come from the catalog variant, prices from retail_price, images from the previews', async (t) => {
  const { supplier } = await setup(t)
  t.equal(supplier.products.trigger, 'on_demand')
  const product = await supplier.products.get('301')
  t.match(product, {
    supplier: 'printful', id: '301', title: 'Unisex Staple T-Shirt', descriptionHtml: '', tags: [],
    options: [{ name: 'Color', values: ['White'] }, { name: 'Size', values: ['S', 'M'] }],
    images: [{ url: /tee-white_preview/, variantIds: [], isDefault: true }, { url: /tee-white_preview/, variantIds: ['4001', '4002'], isDefault: false }]
  })
  t.match(product?.variants, [
    { id: '4001', title: 'White / S', optionValues: ['White', 'S'], sku: 'TEE-WHT-S', price: { amount: 2500, currency: 'USD' }, enabled: true, ref: { syncVariantId: '4001' } },
    { id: '4002', title: 'White / M', optionValues: ['White', 'M'], price: { amount: 2750, currency: 'USD' }, imageUrl: /tee-white_preview/ }
  ])
  t.equal(product?.variants[0]?.cost, undefined, 'the cost is the catalog variant\'s: not read')
  t.equal(await supplier.products.get('999'), undefined)

  const all = []
  for await (const p of supplier.products.list()) all.push(`${p.id}:${String(p.variants.length)}`)
  t.same(all, ['301:2', '302:1'])
})

void t.test('when the merchant changes a retail price in Printful, then the next read has it', async (t) => {
  const { sim, supplier } = await setup(t)
  sim.control.setRetailPrice(4003, '16.5')
  t.match((await supplier.products.get('302'))?.variants[0], { price: { amount: 1650, currency: 'USD' }, optionValues: ['White', '11 oz'] })
})

void t.test('when a push succeeds, then each sync variant gets the store variant id as external_id, read back from Printful', async (t) => {
  const { sim, supplier } = await setup(t)
  const product = await supplier.products.get('301')
  if (!product) throw new Error('no product')
  await supplier.products.acknowledge(product, pushed(product, { 4001: '45000000000001', 4002: '45000000000002' }))
  t.match(sim.control.requests({ method: 'PUT', path: '/store/variants/4001' }), [{ body: { external_id: '45000000000001' } }])
  t.equal(sim.control.syncVariant(4002)?.external_id, '45000000000002')
  const again = await supplier.products.get('301')
  t.same(again?.variants.map((v) => v.id), ['4001', '4002'])
  const catalog = []
  for await (const variant of supplier.catalog()) catalog.push(variant.externalId)
  t.same(catalog.slice(0, 2), ['45000000000001', '45000000000002'], 'the catalog import now matches them by the store variant id')
})

void t.test('when Printful refuses an external_id, then the others are still written and the error names the refused variant', async (t) => {
  const { sim, supplier } = await setup(t)
  const product = await supplier.products.get('301')
  if (!product) throw new Error('no product')
  await t.rejects(supplier.products.acknowledge(product, pushed(product, { 4001: 'x'.repeat(33), 4002: '45000000000002' })), { code: 'upstream_rejected', message: /4001/ })
  t.equal(sim.control.syncVariant(4001)?.external_id, 'sv-tee-white-s', 'unchanged')
  t.equal(sim.control.syncVariant(4002)?.external_id, '45000000000002')
  // Orders find a sync variant by its external_id: two cannot share one.
  await t.rejects(supplier.api.updateSyncVariant('4003', { external_id: '45000000000002' }), { code: 'upstream_rejected' })
})

void t.test('when a push fails or the store product is deleted, then Printful is not called', async (t) => {
  const { sim, supplier } = await setup(t)
  const product = await supplier.products.get('302')
  if (!product) throw new Error('no product')
  sim.control.clearRequests()
  await supplier.products.acknowledge(product, { ok: false, reason: 'no' })
  await supplier.products.withdrawn('302')
  t.same(sim.control.requests(), [])
})

void t.test('when retail prices are converted, then decimal strings become minor units and anything else none', async (t) => {
  t.same(toMoney('29.99', 'EUR'), { amount: 2999, currency: 'EUR' })
  t.same(toMoney('7', 'USD'), { amount: 700, currency: 'USD' })
  t.same(toMoney('0.5', 'USD'), { amount: 50, currency: 'USD' })
  t.equal(toMoney('1,99', 'USD'), undefined)
  t.equal(toMoney(null, 'USD'), undefined)
  t.equal(toMoney('10.00', null), undefined)
})
