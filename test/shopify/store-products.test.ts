// The product push's store client (src/shopify/products/client.ts) against the simulated store over
// loopback: productSet by custom id, list replacement, merchant edits, publishing, archiving, and the
// refusals Shopify gives (no `id` definition, the daily variant creation limit).
import t from 'tap'
import { isAppError } from '../../src/lib/errors.ts'
import { createGraphqlTransport, isShopifyUserErrors } from '../../src/shopify/index.ts'
import { createStoreProducts } from '../../src/shopify/products/client.ts'
import type { StoreProductInput, StoreProducts } from '../../src/shopify/products/port.ts'
import type { ShopifySimulator } from '../../src/sim/shopify/index.ts'
import { clientId, clientSecret, shopDomain, startSim } from '../fixtures/shopify/sim-setup.ts'

interface Teardown { teardown (fn: () => unknown): void }

function productsFor (t: Teardown, sim: ShopifySimulator): StoreProducts {
  const transport = createGraphqlTransport({
    apiUrl: sim.url,
    apiVersion: '2026-10',
    auth: { kind: 'client_credentials', clientId, clientSecret },
    timeouts: { connectMs: 1_000, requestMs: 2_000 }
  })
  t.teardown(() => transport.close())
  return createStoreProducts(transport)
}

async function ready (t: Teardown): Promise<{ sim: ShopifySimulator, store: StoreProducts }> {
  const sim = await startSim(t)
  const store = productsFor(t, sim)
  await store.ensureIdentifier()
  return { sim, store }
}

const mockup = (n: number): string => `https://images.example/tee-${n}.png`

function tee (sizes: readonly string[] = ['S', 'M', 'L']): StoreProductInput {
  return {
    customId: 'printify:5d39b4-tee',
    title: 'Sunset tee',
    descriptionHtml: '<p>Soft cotton</p>',
    vendor: 'Printify',
    tags: ['pod'],
    status: 'DRAFT',
    options: [{ name: 'Size', values: [...sizes] }],
    images: [{ url: mockup(1), alt: 'front' }, { url: mockup(2) }],
    variants: sizes.map((size, i) => ({ optionValues: [{ optionName: 'Size', name: size }], price: `${20 + i}.00`, sku: `TEE-${size}`, weightGrams: 180, imageUrl: mockup(1) }))
  }
}

void t.test('when a product is set for the first time, then Shopify has it with its variants, images and the custom id, untracked, weighed in grams', async (t) => {
  const { sim, store } = await ready(t)
  const product = await store.set(tee())
  t.match(product, { id: /^gid:\/\/shopify\/Product\/\d+$/, handle: 'sunset-tee', status: 'DRAFT', title: 'Sunset tee', onlineStoreUrl: null })
  t.same(product.variants.map((v) => [v.sku, v.price, v.optionValues]), [
    ['TEE-S', '20.00', [{ optionName: 'Size', name: 'S' }]],
    ['TEE-M', '21.00', [{ optionName: 'Size', name: 'M' }]],
    ['TEE-L', '22.00', [{ optionName: 'Size', name: 'L' }]]
  ])
  t.equal(product.images.length, 2)
  const stored = sim.store.product(product.id)
  t.same(stored.customId, { namespace: 'pod_bridge', key: 'source_product', value: 'printify:5d39b4-tee' })
  t.same(stored.media.map((m) => [m.originalSource, m.alt]), [[mockup(1), 'front'], [mockup(2), null]])
  t.ok(stored.variants.every((v) => !v.tracked && v.weight?.unit === 'GRAMS' && v.weight.value === 180), 'print on demand: not tracked, weight in grams')
  t.ok(stored.variants.every((v) => v.mediaId === stored.media[0]?.id), 'each variant shows its image')
  t.equal(sim.store.productSetCalls(), 1)
  t.same(await store.find('printify:5d39b4-tee'), product, 'found again by its custom id')
  t.equal(await store.find('printify:nothing'), undefined)
})

void t.test('when the same product is set again with the ids Shopify gave, then product, variant and media ids stay', async (t) => {
  const { sim, store } = await ready(t)
  const first = await store.set(tee())
  const input = tee()
  const again = await store.set({
    ...input,
    images: first.images.map((image, i) => ({ id: image.id, url: input.images?.[i]?.url ?? '' })),
    variants: (input.variants ?? []).map((v, i) => ({ ...v, id: first.variants[i]?.id ?? '', price: '30.00' }))
  })
  t.equal(again.id, first.id)
  t.same(again.variants.map((v) => v.id), first.variants.map((v) => v.id))
  t.same(again.images.map((i) => i.id), first.images.map((i) => i.id))
  t.ok(again.variants.every((v) => v.price === '30.00'), 'updated in place')
  t.equal(sim.store.products().length, 1)
})

void t.test('when variants are sent without ids, then Shopify makes new ones and deletes the old (the stricter reading)', async (t) => {
  const { store } = await ready(t)
  const first = await store.set(tee())
  const again = await store.set(tee())
  t.equal(again.id, first.id, 'the custom id finds the same product')
  t.equal(again.variants.length, 3)
  t.notOk(again.variants.some((v) => first.variants.some((f) => f.id === v.id)), 'no variant id survives')
})

void t.test('when a list is left out, then it is untouched; when a shorter one is sent, then what it leaves out is deleted', async (t) => {
  const { sim, store } = await ready(t)
  const first = await store.set(tee())
  const titleOnly = await store.set({ customId: 'printify:5d39b4-tee', title: 'Sunset tee II' })
  t.equal(titleOnly.title, 'Sunset tee II')
  t.same(titleOnly.variants, first.variants, 'variants not sent: all there')
  t.same(titleOnly.images, first.images, 'images not sent: all there')
  t.same(sim.store.product(first.id).tags, ['pod'])

  const input = tee(['S', 'M'])
  const shorter = await store.set({
    ...input,
    images: [{ id: first.images[0]?.id ?? '', url: mockup(1) }],
    variants: (input.variants ?? []).map((v, i) => ({ ...v, id: first.variants[i]?.id ?? '' }))
  })
  t.same(shorter.variants.map((v) => v.id), first.variants.slice(0, 2).map((v) => v.id), 'L is gone, S and M kept their ids')
  t.same(shorter.images.map((i) => i.id), [first.images[0]?.id], 'the second image is gone')
  t.same(sim.store.product(first.id).options, [{ name: 'Size', values: ['S', 'M'] }])
  const catalog = sim.store.products()[0]?.variants.map((v) => v.sku)
  t.same(catalog, ['TEE-S', 'TEE-M'])
})

void t.test('when the merchant edits fields the push does not send, then a re-push keeps them', async (t) => {
  const { sim, store } = await ready(t)
  const first = await store.set(tee())
  const edited = await sim.store.editProduct(first.id, { vendor: 'My brand', seoTitle: 'Best sunset tee', addTags: ['summer'] })
  t.same(edited.tags, ['pod', 'summer'])
  await store.set({ customId: 'printify:5d39b4-tee', title: 'Sunset tee', descriptionHtml: '<p>Softer cotton</p>' })
  t.match(sim.store.product(first.id), { vendor: 'My brand', seoTitle: 'Best sunset tee', tags: ['pod', 'summer'], descriptionHtml: '<p>Softer cotton</p>' })
  await store.set({ customId: 'printify:5d39b4-tee', tags: ['pod'] })
  t.same(sim.store.product(first.id).tags, ['pod'], 'tags the push sends replace the merchant\'s: the push must merge them itself')
})

void t.test('when a product is published, then it has a storefront URL only while active; archiving takes it off', async (t) => {
  const { sim, store } = await ready(t)
  const draft = await store.set(tee())
  t.equal(await store.storefrontOrigin(), `https://${shopDomain}`)
  await store.publishToOnlineStore(draft.id)
  t.same(sim.store.product(draft.id).publications, ['Online Store'])
  t.equal((await store.find('printify:5d39b4-tee'))?.onlineStoreUrl, null, 'a published draft has no storefront URL yet')
  const active = await store.set({ customId: 'printify:5d39b4-tee', status: 'ACTIVE' })
  t.equal(active.onlineStoreUrl, `https://${shopDomain}/products/sunset-tee`)
  await store.archive(active.id)
  const archived = await store.find('printify:5d39b4-tee')
  t.match(archived, { status: 'ARCHIVED', onlineStoreUrl: null })
  t.equal(archived?.variants.length, 3, 'archiving keeps the variants')
})

void t.test('when an active product is not published, then it has no storefront URL', async (t) => {
  const { store } = await ready(t)
  const active = await store.set({ ...tee(), status: 'ACTIVE' })
  t.equal(active.onlineStoreUrl, null)
  const err = await store.publishToOnlineStore('gid://shopify/Product/1').catch((e: unknown) => e)
  t.ok(isShopifyUserErrors(err), 'an unknown product is refused with userErrors')
})

void t.test('when the custom id definition is missing, then productSet is refused and ensureIdentifier keeps the one it made', async (t) => {
  const sim = await startSim(t)
  const store = productsFor(t, sim)
  const err = await store.set(tee()).catch((e: unknown) => e)
  t.ok(isShopifyUserErrors(err))
  if (isShopifyUserErrors(err)) {
    t.equal(err.code, 'upstream_rejected')
    t.match(err.userErrors, [{ field: ['identifier', 'customId'], message: /type 'id'/ }])
  }
  t.same(sim.store.products(), [], 'nothing was created')
  await store.ensureIdentifier()
  await store.ensureIdentifier()
  await productsFor(t, sim).ensureIdentifier()
  const definitions = sim.store.requests().filter((r) => r.operationName === 'PodBridgeCustomIdDefinitionCreate')
  t.equal(definitions.length, 1, 'created once, found afterwards')
  t.ok(await store.set(tee()))
})

void t.test('when the store has 50,000 variants, then it may create 1,000 new ones a day and is refused with a 429 past that', async (t) => {
  let now = Date.parse('2026-12-01T00:00:00Z')
  const sim = await startSim(t, { now: () => now })
  const store = productsFor(t, sim)
  await store.ensureIdentifier()
  sim.store.setVariantCount(50_000)
  const many = (prefix: string, count: number): StoreProductInput => {
    const sizes = Array.from({ length: count }, (_, i) => `${prefix}${i}`)
    return { ...tee(sizes), customId: `printify:${prefix}`, title: `Tee ${prefix}`, images: [], variants: sizes.map((name) => ({ optionValues: [{ optionName: 'Size', name }], price: '20.00' })) }
  }
  await store.set(many('a', 600))
  await store.set(many('b', 400))
  t.equal(sim.store.variantCount(), 51_000)
  const err = await store.set(many('c', 1)).catch((e: unknown) => e)
  t.ok(isAppError(err))
  if (isAppError(err)) t.match(err, { code: 'upstream_rate_limited', retryable: true, detail: { limit: 'daily_variant_creation' } })
  t.equal(sim.store.products().length, 2, 'the refused product was not created')
  const existing = sim.store.products()[0]
  await store.set({ customId: 'printify:a', title: 'Tee a, renamed' })
  t.equal(sim.store.product(existing?.id ?? '').title, 'Tee a, renamed', 'updates that create no variant still go through')
  now += 24 * 60 * 60 * 1000 + 1000
  t.ok(await store.set(many('c', 1)), 'a day later it may create again')
})
