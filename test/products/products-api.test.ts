// /v1/products and `pod-bridge products [push]` against the running service and
// the simulators: a dry run says what would change and writes nothing, a push of
// the whole Printful catalogue is one job per product, the list shows the outcome.
import t from 'tap'
import { OPS_TOKEN } from '../helpers/app.ts'
import { eventually } from '../helpers/bridge.ts'
import { startFullBridge } from '../helpers/full-bridge.ts'
import { runCli } from '../helpers/process.ts'

async function cli (args: string[]): Promise<{ code: number | null, output: string }> {
  const run = runCli(args, { OPS_API_TOKEN: OPS_TOKEN })
  const { code } = await run.exited
  return { code, output: run.output() }
}

t.test('when ops push the Printful catalogue, then a dry run writes nothing, the push creates each product, and the list and the CLI show it', async (t) => {
  const bridge = await startFullBridge(t)
  const url = bridge.service.url

  const empty = await cli(['products', '--url', url])
  t.equal(empty.code, 0, empty.output)
  t.match(empty.output, /no products pushed yet/)

  const dry = await bridge.ops('POST', '/v1/products/push', { supplier: 'printful', dryRun: true })
  t.equal(dry.status, 200, JSON.stringify(dry.json))
  t.same((dry.json as { plans: { productId: string, plan: string }[] }).plans.map((p) => [p.productId, p.plan]), [['301', 'create'], ['302', 'create']])
  t.equal(bridge.store.store.productSetCalls(), 0, 'a dry run writes nothing')

  const refused = await bridge.ops('POST', '/v1/products/push', { supplier: 'printify' })
  t.equal(refused.status, 400)
  t.match(refused.json, { error: { message: /publish the product at printify/ } })
  t.equal((await bridge.ops('POST', '/v1/products/push', { supplier: 'acme' })).status, 400, 'a supplier the registry does not know')

  const pushed = await cli(['products', 'push', '--url', url])
  t.equal(pushed.code, 0, pushed.output)
  t.match(pushed.output, /queued: printful every product/)
  await eventually(async () => bridge.store.store.products().length === 2 || undefined, 20_000, 'both sync products in the store')
  const list = await eventually(async () => {
    const res = await bridge.ops('GET', '/v1/products?supplier=printful')
    const products = (res.json as { products: { id: string, supplierProductId: string, outcome: string, shopifyProductId: string }[] }).products
    return products.length === 2 && products.every((p) => p.outcome === 'created') ? products : undefined
  }, 20_000, 'both recorded as created')
  t.ok(list.every((p) => p.shopifyProductId.startsWith('gid://shopify/Product/')))

  const table = await cli(['products', '--url', url, '--supplier', 'printful'])
  t.match(table.output, /SUPPLIER\s+PRODUCT\s+TITLE\s+SHOPIFY\s+VARIANTS\s+LAST PUSH\s+OUTCOME/)
  t.match(table.output, /printful\s+301\s+Unisex Staple T-Shirt\s+\d+\s+2\s+.*created/)

  const again = await cli(['products', 'push', '--dry-run', '--supplier', 'printful', '--product', '302', '--url', url])
  t.equal(again.code, 0, again.output)
  t.match(again.output, /printful\s+302\s+unchanged/)

  const mappings = (await bridge.ops('GET', '/v1/mappings?supplier=printful')).json as { mappings: { source: string, printful: unknown }[] }
  t.equal(mappings.mappings.length, 3, 'the three sync variants, mapped')
  t.ok(mappings.mappings.every((m) => m.source === 'push'), 'marked as made by the push')

  // Ops map one pushed variant by hand; the next push that writes keeps it and says so.
  const tee = bridge.store.store.products().find((p) => p.customId?.value === 'printful:301')!
  const small = tee.variants.find((v) => v.sku === 'TEE-WHT-S')!
  t.equal((await bridge.ops('PUT', '/v1/mappings', { mappings: [{ match: { variantId: small.id }, supplier: 'printful', printful: { externalVariantId: 'hand-made-1' } }] })).status, 200)
  const before = list.find((p) => p.supplierProductId === '301')!
  bridge.suppliers.printful.control.setRetailPrice(4001, '31.00')
  t.equal((await bridge.ops('POST', '/v1/products/push', { supplier: 'printful', productId: '301' })).status, 202)
  const updated = await eventually(async () => {
    const res = await bridge.ops('GET', '/v1/products?supplier=printful&outcome=updated')
    return (res.json as { products: { id: string, supplierProductId: string }[] }).products.find((p) => p.supplierProductId === '301')
  }, 20_000, 'the repriced tee pushed')
  t.equal(updated.id, before.id, 'the same product record')
  const after = (await bridge.ops('GET', '/v1/mappings?supplier=printful')).json as { mappings: { match: { variantId?: string }, source: string, printful: unknown }[] }
  t.match(after.mappings.find((m) => m.match.variantId === small.id), { source: 'ops', printful: { externalVariantId: 'hand-made-1' } }, 'the hand-made mapping wins')
  const detail = (await bridge.ops('GET', `/v1/products/${updated.id}`)).json as { timeline: { kind: string, detail: string }[] }
  t.match(detail.timeline.find((e) => e.kind === 'mapping.kept')?.detail, /keeps the mapping made by hand/, 'and the push says so')
})
