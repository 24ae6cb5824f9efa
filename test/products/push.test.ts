// One product's push against a real database, with in-test fakes of the store
// and the supplier (the flow tests in test/e2e/ use the simulators): compare
// before writing, ids kept, the merchant's fields kept, mappings made by the
// push and the hand-made ones that win, removed variants, failures told.
import t from 'tap'
import { testDatabase } from '../helpers/database.ts'
import { line, order, supplierOrder } from '../helpers/factories.ts'
import { FakeSource, FakeStore } from '../helpers/product-fakes.ts'
import { supplierProduct, variant } from '../helpers/product-factories.ts'
import { upsertMappings } from '../../src/orders/routing/mappings.ts'
import { archiveProduct, withdrawProduct } from '../../src/products/lifecycle.ts'
import { pushProduct, type ProductDeps } from '../../src/products/push.ts'
import { builtInRegistry } from '../../src/suppliers/registry.ts'
import type { Supplier } from '../../src/suppliers/common/supplier.ts'
import type { Db } from '../../src/db/database.ts'
import { AppError } from '../../src/lib/errors.ts'

function setup (db: Db, options: { status?: 'draft' | 'active', currency?: string } = {}) {
  const store = new FakeStore()
  const source = new FakeSource('publish')
  source.products.set('p-1', supplierProduct())
  const deps: ProductDeps = {
    db,
    store: { products: store, currency: async () => options.currency ?? 'USD', ready: async () => {} },
    suppliers: { printify: { products: source } as unknown as Supplier },
    registry: builtInRegistry,
    settings: { status: options.status ?? 'draft', markup: undefined }
  }
  return { store, source, deps }
}

const publish = { supplier: 'printify', productId: 'p-1', trigger: 'publish' } as const

async function pushedMappings (db: Db) {
  return db.selectFrom('variant_mappings as m').innerJoin('mapping_targets as t', 't.mapping_id', 'm.id')
    .select(['m.match_value', 'm.source', 't.supplier', 't.ref']).orderBy('m.match_value').execute()
}

t.test('when a product is published, then it is created with its enabled variants, mapped, and the supplier told the store\'s ids', async (t) => {
  const db = (await testDatabase(t)).db
  const { store, source, deps } = setup(db)
  const result = await pushProduct(deps, publish)
  t.equal(result.outcome, 'created')
  t.equal(store.setCalls, 1)
  const kept = store.products.get('printify:p-1')!
  t.equal(kept.variants.length, 3, 'the disabled variant is not in the store')
  const told = source.told[0]!
  t.equal(told.outcome.ok, true)
  if (!told.outcome.ok) return
  t.equal(told.outcome.productId, kept.id.split('/').pop())
  t.equal(told.outcome.url, `https://fake-store.myshopify.com/products/${kept.handle}`, 'a draft has no storefront URL: the one its handle will have')
  t.same([...told.outcome.variants.keys()].sort(), ['101', '102', '103'])
  const mappings = await pushedMappings(db)
  t.equal(mappings.length, 3)
  t.ok(mappings.every((m) => m.source === 'push' && m.supplier === 'printify'))
  t.same(mappings.map((m) => (m.ref as { variantId: string }).variantId).sort(), ['101', '102', '103'])
  const row = await db.selectFrom('products').selectAll().executeTakeFirstOrThrow()
  t.equal(row.outcome, 'created')
  t.equal(row.shopify_product_id, kept.id)
  t.ok(row.acknowledged_at)
  const events = await db.selectFrom('product_events').select(['kind', 'outcome']).execute()
  t.same(events, [{ kind: 'product.push', outcome: 'created' }])
})

t.test('when PRODUCT_PUSH_STATUS=active, then a new product is published to the online store and its storefront URL told', async (t) => {
  const db = (await testDatabase(t)).db
  const { store, source, deps } = setup(db, { status: 'active' })
  await pushProduct(deps, publish)
  const kept = store.products.get('printify:p-1')!
  t.equal(kept.status, 'ACTIVE')
  t.equal(kept.published, true)
  t.match(source.told[0]?.outcome, { ok: true, url: `https://fake-store.myshopify.com/products/${kept.handle}` })
})

t.test('when nothing changed, then no productSet; a price change makes exactly one, with the same ids; a merchant\'s edit to a field not asked for survives', async (t) => {
  const db = (await testDatabase(t)).db
  const { store, source, deps } = setup(db)
  await pushProduct(deps, publish)
  const before = structuredClone(store.products.get('printify:p-1')!)
  t.equal((await pushProduct(deps, publish)).outcome, 'unchanged')
  t.equal(store.setCalls, 1, 'no second productSet')
  t.equal(source.told.length, 2, 'a publish request is always answered (it unlocks the product)')

  const p = supplierProduct()
  source.products.set('p-1', { ...p, variants: p.variants.map((v) => v.id === '102' ? { ...v, price: { amount: 2700, currency: 'USD' } } : v) })
  store.edit('printify:p-1', { title: 'Mountain tee (summer)' })
  const result = await pushProduct(deps, { ...publish, fields: ['variants'] })
  t.equal(result.outcome, 'updated')
  t.same(result.changed, ['variants'])
  t.equal(store.setCalls, 2, 'exactly one more productSet')
  const after = store.products.get('printify:p-1')!
  t.equal(after.id, before.id, 'the product id is kept')
  t.same(after.variants.map((v) => v.id), before.variants.map((v) => v.id), 'every variant id is kept')
  t.equal(after.variants.find((v) => v.sku === 'TEE-S-WHITE')?.price, '27.00')
  t.equal(after.title, 'Mountain tee (summer)', 'the merchant\'s title survives: the request did not ask for it')
})

t.test('when a variant has a hand-made mapping, then the push keeps it and says so', async (t) => {
  const db = (await testDatabase(t)).db
  const { store, deps } = setup(db)
  await pushProduct(deps, publish)
  const gid = store.products.get('printify:p-1')!.variants[0]!.id
  await upsertMappings(db, [{ match: { variantId: gid }, supplier: 'printify', ref: { productId: 'other', variantId: '9' } }])
  const p = supplierProduct()
  deps.suppliers.printify!.products!.get = async () => ({ ...p, title: 'Renamed' })
  await pushProduct(deps, publish)
  const mine = (await pushedMappings(db)).find((m) => m.match_value === gid)
  t.same(mine, { match_value: gid, source: 'ops', supplier: 'printify', ref: { productId: 'other', variantId: '9' } }, 'the hand-made mapping is untouched')
  const kept = await db.selectFrom('product_events').select('detail').where('kind', '=', 'mapping.kept').execute()
  t.equal(kept.length, 1)
  t.match(kept[0]?.detail, /keeps the mapping made by hand/)
})

t.test('when a variant is removed at the supplier, then its pushed mapping goes and an open order needing it is flagged', async (t) => {
  const db = (await testDatabase(t)).db
  const { store, source, deps } = setup(db)
  await pushProduct(deps, publish)
  const gone = store.products.get('printify:p-1')!.variants.find((v) => v.sku === 'TEE-M-BLACK')!.id
  const open = await order(db)
  await line(db, open.id, { variant_id: gone, title: 'Mountain tee M / Black', state: 'pending' })
  const shipped = await order(db)
  const sentLine = await line(db, shipped.id, { variant_id: gone, state: 'routed' })
  const sent = await supplierOrder(db, shipped.id, { supplier: 'printify', state: 'submitted', supplier_order_id: 'x1' })
  await db.insertInto('supplier_order_lines').values({ supplier_order_id: sent.id, order_line_id: sentLine.id, quantity: 1 }).execute()

  const p = supplierProduct()
  source.products.set('p-1', { ...p, variants: p.variants.filter((v) => v.id !== '103') })
  const result = await pushProduct(deps, publish)
  t.equal(result.outcome, 'updated')
  t.notOk((await pushedMappings(db)).some((m) => m.match_value === gone), 'the mapping is gone')
  const flagged = await db.selectFrom('order_events').select(['order_id', 'kind', 'detail']).where('kind', '=', 'product.variant_removed').execute()
  t.same(flagged.map((f) => f.order_id), [open.id], 'only the order that still needs it')
  t.match(flagged[0]?.detail, /map it by hand/)
})

t.test('when the push cannot price a variant, then it fails with the reason and the supplier is told publishing_failed', async (t) => {
  const db = (await testDatabase(t)).db
  const { store, source, deps } = setup(db)
  source.products.set('p-1', supplierProduct({ variants: [variant('101', 'S', 'Black', { price: { amount: 900, currency: 'USD' } })] }))
  const result = await pushProduct(deps, publish)
  t.equal(result.outcome, 'failed')
  t.match(result.reason, /below its cost of 11\.50/)
  t.equal(store.setCalls, 0)
  t.match(source.told[0]?.outcome, { ok: false, reason: /below its cost/ })
  const row = await db.selectFrom('products').select(['outcome', 'reason']).executeTakeFirstOrThrow()
  t.equal(row.outcome, 'failed')
})

t.test('when the supplier prices in another currency than the store, then the push refuses: no conversion', async (t) => {
  const db = (await testDatabase(t)).db
  const { store, source, deps } = setup(db, { currency: 'EUR' })
  const result = await pushProduct(deps, publish)
  t.equal(result.outcome, 'failed')
  t.match(result.reason, /USD and the store sells in EUR/)
  t.equal(store.setCalls, 0)
  t.equal(source.told[0]?.outcome.ok, false)
})

t.test('when the supplier deletes the product, then it is archived and its pushed mappings go; when the merchant deletes it, then the supplier is told', async (t) => {
  const db = (await testDatabase(t)).db
  const { store, source, deps } = setup(db)
  await pushProduct(deps, publish)
  const archived = await archiveProduct(deps, 'printify', 'p-1')
  t.equal(archived.done, true)
  t.equal(store.products.get('printify:p-1')!.status, 'ARCHIVED')
  t.equal((await pushedMappings(db)).length, 0)

  source.products.set('p-2', supplierProduct({ id: 'p-2' }))
  await pushProduct(deps, { ...publish, productId: 'p-2' })
  const id = store.products.get('printify:p-2')!.id
  const withdrawn = await withdrawProduct(deps, id)
  t.equal(withdrawn.done, true)
  t.same(source.withdrawnIds, ['p-2'])
  const row = await db.selectFrom('products').select(['shopify_product_id', 'outcome']).where('supplier_product_id', '=', 'p-2').executeTakeFirstOrThrow()
  t.same(row, { shopify_product_id: null, outcome: 'withdrawn' })
  t.equal((await withdrawProduct(deps, 'gid://shopify/Product/1')).done, false, 'a product the push never made is not ours')
})

t.test('when the store product exists but our record of it was lost, then the push adopts it by customId instead of creating a second', async (t) => {
  const db = (await testDatabase(t)).db
  const { store, deps } = setup(db)
  await pushProduct(deps, publish)
  const id = store.products.get('printify:p-1')!.id
  await db.deleteFrom('products').execute()
  await pushProduct(deps, publish)
  t.equal(store.products.size, 1)
  t.equal(store.products.get('printify:p-1')!.id, id)
  const row = await db.selectFrom('products').select(['outcome', 'shopify_product_id']).executeTakeFirstOrThrow()
  t.same(row, { outcome: 'updated', shopify_product_id: id })
})

t.test('when the supplier cannot be told (a 429), then the retry tells it without writing the store again, and the outcome stays created', async (t) => {
  const db = (await testDatabase(t)).db
  const { store, source, deps } = setup(db)
  source.failNextAcknowledge = new AppError('upstream_rate_limited', 'Printify answered 429', { retryAfterMs: 1000 })
  await t.rejects(pushProduct(deps, publish), /429/)
  t.equal(store.setCalls, 1)
  t.equal(source.told.length, 0)
  const retried = await pushProduct(deps, publish)
  t.equal(retried.outcome, 'created')
  t.equal(store.setCalls, 1, 'no second productSet')
  t.match(source.told, [{ outcome: { ok: true } }])
  const row = await db.selectFrom('products').select(['outcome', 'acknowledged_at']).executeTakeFirstOrThrow()
  t.equal(row.outcome, 'created')
  t.ok(row.acknowledged_at)
})
