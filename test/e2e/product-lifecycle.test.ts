// The product push's other paths through every real part (issue 18): a push
// that fails tells Printify publishing_failed (the product unlocked), a
// re-publish writes only the fields it names, a product deleted at Printify is
// archived in the store, one deleted in the store is unpublished at Printify.
import t from 'tap'
import { sql } from 'kysely'
import { eventually } from '../helpers/bridge.ts'
import { startFullBridge, type FullBridge } from '../helpers/full-bridge.ts'

const tee = '5b05842f3921c9547531758d'
const mug = '5b05842f3921c9547531758e'

interface ProductItem { id: string, supplierProductId: string, shopifyProductId: string | null, lastPushAt: string | null, outcome: string | null, reason: string | null, acknowledgedAt: string | null }

async function nextOutcome (bridge: FullBridge, id: string, after: string | null, what: string): Promise<ProductItem> {
  return eventually(async () => {
    const res = await bridge.ops('GET', '/v1/products?supplier=printify')
    const row = (res.json as { products: ProductItem[] }).products.find((p) => p.supplierProductId === id)
    return row?.lastPushAt && row.lastPushAt !== after && row.acknowledgedAt ? row : undefined
  }, 20_000, what)
}

t.test('when a published product cannot be pushed (a price below cost), then Printify is told publishing_failed with the reason and the product is unlocked', async (t) => {
  const bridge = await startFullBridge(t)
  const printify = bridge.suppliers.printify.control
  printify.updateProduct(mug, { variants: [{ id: 33719, price: 400 }] })
  await printify.publishProduct(mug)
  const row = await nextOutcome(bridge, mug, null, 'the mug\'s push')
  t.equal(row.outcome, 'failed')
  t.match(row.reason, /below its cost of 4\.95/)
  t.equal(bridge.store.store.products().length, 0, 'nothing reached the store')
  const answered = await eventually(async () => printify.product(mug)?.is_locked === false ? printify.product(mug) : undefined, 20_000, 'the mug unlocked')
  t.notOk(answered.external, 'not published anywhere')
  const failed = printify.requests({ method: 'POST', path: `/v1/shops/5432/products/${mug}/publishing_failed.json` })
  t.match(failed, [{ body: { reason: /below its cost/ } }])
})

t.test('when a product is published again with only some fields, then the merchant\'s title survives; deleted at Printify, it is archived; deleted in the store, it is unpublished', async (t) => {
  const bridge = await startFullBridge(t)
  const printify = bridge.suppliers.printify.control
  await printify.publishProduct(tee)
  const first = await nextOutcome(bridge, tee, null, 'the tee created')
  t.equal(first.outcome, 'created')
  await eventually(async () => printify.product(tee)?.is_locked === false || undefined, 20_000, 'unlocked')
  const productId = first.shopifyProductId!
  await bridge.store.store.editProduct(productId, { title: 'The merchant\'s tee' })
  printify.updateProduct(tee, { variants: [{ id: 12100, price: 2600 }] })
  const sets = bridge.store.store.productSetCalls()
  await printify.publishProduct(tee, { title: false, description: false, images: false, tags: false })
  const second = await nextOutcome(bridge, tee, first.lastPushAt, 'the re-publish')
  t.equal(second.outcome, 'updated')
  t.equal(bridge.store.store.productSetCalls(), sets + 1)
  const after = bridge.store.store.product(productId)
  t.equal(after.title, 'The merchant\'s tee', 'the title was not asked for: the merchant\'s stays')
  t.equal(after.variants.find((v) => v.sku === 'PFY-TEE-WHT-S')?.price, '26.00')
  await eventually(async () => printify.product(tee)?.is_locked === false || undefined, 20_000, 'unlocked again')

  // The merchant deletes the tee in Shopify: Printify is told it left the store.
  await bridge.store.store.deleteProduct(productId)
  const withdrawn = await nextOutcome(bridge, tee, second.lastPushAt, 'the tee withdrawn')
  t.equal(withdrawn.outcome, 'withdrawn')
  t.equal(withdrawn.shopifyProductId, null)
  await eventually(async () => printify.product(tee)?.external ? undefined : true, 20_000, 'unpublished at Printify')
  const mappings = (await bridge.ops('GET', '/v1/mappings?supplier=printify')).json as { mappings: { source: string }[] }
  t.equal(mappings.mappings.filter((m) => m.source === 'push').length, 0, 'its pushed mappings are gone')

  // The mug, published then deleted at Printify: archived in the store, never deleted.
  await printify.publishProduct(mug)
  const mugRow = await nextOutcome(bridge, mug, null, 'the mug created')
  await eventually(async () => printify.product(mug)?.is_locked === false || undefined, 20_000, 'the mug unlocked')
  await printify.deleteProduct(mug)
  const archived = await nextOutcome(bridge, mug, mugRow.lastPushAt, 'the mug archived')
  t.equal(archived.outcome, 'archived')
  t.equal(bridge.store.store.product(mugRow.shopifyProductId!).status, 'ARCHIVED')
  const detail = await bridge.ops('GET', `/v1/products/${archived.id}`)
  t.same((detail.json as { timeline: { kind: string }[] }).timeline.map((e) => e.kind), ['product.push', 'mapping.removed', 'product.archive'], 'created, its mappings removed, archived')
})

t.test('when a variant is switched off at Printify and the product published again, then its pushed mapping goes and an order holding it is flagged', async (t) => {
  const bridge = await startFullBridge(t, { APPROVAL_MODE: 'manual' })
  const printify = bridge.suppliers.printify.control
  await printify.publishProduct(tee)
  const first = await nextOutcome(bridge, tee, null, 'the tee created')
  await eventually(async () => printify.product(tee)?.is_locked === false || undefined, 20_000, 'unlocked')
  const product = bridge.store.store.product(first.shopifyProductId!)
  const medium = product.variants.find((v) => v.sku === 'PFY-TEE-WHT-M')!
  const placed = await bridge.store.store.createOrder({ lines: [{ variantId: medium.id, sku: medium.sku, title: product.title, productId: product.id }] })
  await eventually(async () => {
    const body = (await bridge.ops('GET', `/v1/orders/${encodeURIComponent(placed.name)}`)).json as { supplierOrders?: { state: string }[] }
    return body.supplierOrders?.[0]?.state === 'held' || undefined
  }, 20_000, 'the order held for approval, not sent')

  printify.updateProduct(tee, { variants: [{ id: 12101, is_enabled: false }] })
  await printify.publishProduct(tee, { title: false, description: false, images: false, tags: false })
  const second = await nextOutcome(bridge, tee, first.lastPushAt, 'the re-publish')
  t.equal(second.outcome, 'updated')
  t.notOk(bridge.store.store.product(product.id).variants.some((v) => v.sku === 'PFY-TEE-WHT-M'), 'the variant left the store')
  const mappings = (await bridge.ops('GET', '/v1/mappings?supplier=printify')).json as { mappings: { match: { variantId?: string }, source: string }[] }
  t.notOk(mappings.mappings.some((m) => m.match.variantId === medium.id), 'its pushed mapping is gone')
  t.equal(mappings.mappings.filter((m) => m.source === 'push').length, 1, 'the small one keeps its mapping')
  const detail = (await bridge.ops('GET', `/v1/orders/${encodeURIComponent(placed.name)}`)).json as { order: { state: string }, supplierOrders: { state: string, reason: string | null }[], timeline: { kind: string, detail: string }[] }
  t.match(detail.timeline.find((e) => e.kind === 'product.variant_removed')?.detail, /not sent: SKU PFY-TEE-WHT-M needs store variant \d+, which lost its printify mapping/, 'the held order is flagged on its timeline')
  t.equal(detail.supplierOrders[0]?.state, 'needs_attention', 'its supplier order will not be sent with the variant Printify no longer sells')
  t.match(detail.supplierOrders[0]?.reason, new RegExp(`store variant ${medium.id.split('/').pop()!}.*variant removed at printify.*PUT /v1/mappings`), 'the reason names the variant and what to do')
  t.equal(detail.order.state, 'needs_attention', 'the order shows in ops\' needs_attention list')
  const listed = (await bridge.ops('GET', '/v1/orders?state=needs_attention')).json as { orders: { name: string }[] }
  t.ok(listed.orders.some((o) => o.name === placed.name), 'listed with the orders that need attention')
  // Approving it cannot send it: it is not held any more, it waits for the mapping to be fixed.
  const approve = await bridge.ops('POST', `/v1/orders/${encodeURIComponent(placed.name)}/approve`)
  t.equal(approve.status, 409, JSON.stringify(approve.json))
  const jobs = await sql<{ id: string }>`select id from pgboss.job where name = 'supplier.submit'`.execute(bridge.database.db)
  t.equal(jobs.rows.length, 0, 'no submission queued')
  t.equal(printify.orders().length, 0, 'nothing was submitted to Printify')
})
