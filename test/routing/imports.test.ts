import t from 'tap'
import { builtInRegistry } from '../../src/suppliers/registry.ts'
import { loadConfig } from '../../src/config.ts'
import { sql } from 'kysely'
import { runImport, startImport } from '../../src/orders/routing/mapping-import.ts'
import { pickUpJobs } from '../helpers/jobs.ts'
import { upsertMappings } from '../../src/orders/routing/mappings.ts'
import { startPrintfulSimulator } from '../../src/sim/printful/index.ts'
import { startSupplierSimulators } from '../../src/sim/suppliers.ts'
import { createSuppliers } from '../../src/suppliers/index.ts'
import { PrintfulSupplier } from '../../src/suppliers/printful/supplier.ts'
import { clientFor, startSim } from '../fixtures/shopify/sim-setup.ts'
import { bearer, testApp } from '../helpers/app.ts'
import { jobs } from '../helpers/routing-factories.ts'

t.test('when a Printful Manual/API store is imported, then sync variants map to store variants by the external id the merchant set, else by SKU, with progress', async (t) => {
  const shopifySim = await startSim(t)
  const shopify = clientFor(t, shopifySim)
  const byId = shopifySim.store.addProductVariant({ sku: 'OLD-SKU', title: 'White / S', productTitle: 'Tee' })
  shopifySim.store.addProductVariant({ sku: 'TEE-WHT-M', title: 'White / M', productTitle: 'Tee' })
  const legacyId = byId.id.split('/').at(-1) ?? ''
  const variant = (id: number, externalId: string, sku: string | null) => ({ id, externalId, variantId: 4011, productId: 71, name: `Tee ${String(id)}`, sku, retailPrice: '25.00', price: '12.95' })
  const products = Array.from({ length: 3 }, (_, i) => ({
    id: 301 + i,
    externalId: `sp-${String(i)}`,
    name: `Product ${String(i)}`,
    variants: i === 0 ? [variant(4001, legacyId, 'TEE-WHT-S'), variant(4002, 'sv-m', 'TEE-WHT-M')] : [variant(4100 + i, `sv-${String(i)}`, `NOT-IN-STORE-${String(i)}`)]
  }))
  const printfulSim = await startPrintfulSimulator({ syncProducts: products })
  t.teardown(() => printfulSim.close())
  const printful = new PrintfulSupplier({ apiUrl: printfulSim.url, token: 'pf-sim-token' })

  const { app, database: { db }, boss } = await testApp(t, { boss: true })
  const started = await app.inject({ method: 'POST', url: '/v1/mappings/import/printful', headers: bearer() })
  t.equal(started.statusCode, 202)
  const importId = started.json().import.id as string
  t.equal(started.headers.location, `/v1/mappings/imports/${importId}`)
  t.match(started.json(), { import: { state: 'running', processed: 0 }, alreadyRunning: false })
  t.match((await app.inject({ method: 'POST', url: '/v1/mappings/import/printful', headers: bearer() })).json(), { import: { id: importId }, alreadyRunning: true }, 'one import per supplier at a time')
  t.match(await jobs(db, 'mappings.import'), [{ data: { importId } }])

  await runImport(db, { suppliers: { printful }, registry: builtInRegistry, shopify, boss: boss!, flushEvery: 1 }, importId, { finalAttempt: false })
  const progress = (await app.inject({ method: 'GET', url: `/v1/mappings/imports/${importId}`, headers: bearer() })).json()
  t.match(progress, { state: 'done', storeVariants: 2, processed: 4, created: 2, updated: 0, kept: 0, unmatched: 2, error: null, finishedAt: String })
  t.match(progress.unmatchedSample, [{ product: 'Product 1', sku: 'NOT-IN-STORE-1', externalId: 'sv-1' }, { sku: 'NOT-IN-STORE-2' }])
  const mappings = await db.selectFrom('variant_mappings as m').innerJoin('mapping_targets as t', 't.mapping_id', 'm.id').select(['m.match_kind', 'm.match_value', 't.supplier', 't.ref', 'm.source']).orderBy('m.match_kind').execute()
  t.same(mappings, [
    { match_kind: 'sku', match_value: 'TEE-WHT-M', supplier: 'printful', ref: { syncVariantId: '4002' }, source: 'import:printful' },
    { match_kind: 'variant_id', match_value: byId.id, supplier: 'printful', ref: { syncVariantId: '4001' }, source: 'import:printful' }
  ])
  t.equal((await app.inject({ method: 'GET', url: '/v1/mappings/imports/00000000-0000-4000-8000-000000000000', headers: bearer() })).statusCode, 404)
})

t.test('when a Printify shop is imported, then products map by SKU, an ops mapping is kept, and a re-import updates', async (t) => {
  const shopifySim = await startSim(t)
  const shopify = clientFor(t, shopifySim)
  shopifySim.store.addProductVariant({ sku: 'PFY-MUG-11' })
  shopifySim.store.addProductVariant({ sku: 'PFY-TEE-WHT-S' })
  const sims = await startSupplierSimulators()
  t.teardown(() => sims.close())
  const suppliers = createSuppliers(loadConfig(sims.env))
  const { app, database: { db }, boss } = await testApp(t, { boss: true })
  await upsertMappings(db, [{ match: { sku: 'PFY-TEE-WHT-S' }, supplier: 'none' }])

  const importId = (await app.inject({ method: 'POST', url: '/v1/mappings/import/printify', headers: bearer() })).json().import.id as string
  await runImport(db, { suppliers, registry: builtInRegistry, shopify, boss: boss! }, importId, { finalAttempt: false })
  t.match((await app.inject({ method: 'GET', url: `/v1/mappings/imports/${importId}`, headers: bearer() })).json(), { supplier: 'printify', state: 'done', processed: 3, created: 1, kept: 1, unmatched: 1 })
  t.match(await db.selectFrom('variant_mappings as m').leftJoin('mapping_targets as t', 't.mapping_id', 'm.id').select(['m.match_value', 't.supplier', 't.ref']).orderBy('m.match_value').execute(), [
    { match_value: 'PFY-MUG-11', supplier: 'printify', ref: { productId: '5b05842f3921c9547531758e', variantId: '33719' } },
    { match_value: 'PFY-TEE-WHT-S', supplier: null, ref: null }
  ])

  const second = (await app.inject({ method: 'POST', url: '/v1/mappings/import/printify', headers: bearer() })).json()
  t.equal(second.alreadyRunning, false)
  await runImport(db, { suppliers, registry: builtInRegistry, shopify, boss: boss! }, second.import.id as string, { finalAttempt: false })
  t.match((await app.inject({ method: 'GET', url: `/v1/mappings/imports/${String(second.import.id)}`, headers: bearer() })).json(), { created: 0, updated: 1, kept: 1 })
})

t.test('when the supplier or the store is not configured, then the import fails saying which', async (t) => {
  const { app, database: { db }, boss } = await testApp(t, { boss: true })
  const importId = (await app.inject({ method: 'POST', url: '/v1/mappings/import/printful', headers: bearer() })).json().import.id as string
  await runImport(db, { suppliers: {}, registry: builtInRegistry, shopify: undefined, boss: boss! }, importId, { finalAttempt: false })
  t.match((await app.inject({ method: 'GET', url: `/v1/mappings/imports/${importId}`, headers: bearer() })).json(), { state: 'failed', error: 'printful is not configured (set PRINTFUL_API_TOKEN)' })
  t.equal((await app.inject({ method: 'POST', url: '/v1/mappings/import/acme', headers: bearer() })).statusCode, 400)
})

t.test('when Printful\'s rate limit stops a large import, then it resumes after Retry-After where it stopped, without fetching the done products again', async (t) => {
  const shopifySim = await startSim(t)
  const shopify = clientFor(t, shopifySim)
  const products = Array.from({ length: 5 }, (_, i) => ({
    id: 401 + i, externalId: `sp-${String(i)}`, name: `Product ${String(i)}`,
    variants: [{ id: 4200 + i, externalId: `sv-${String(i)}`, variantId: 4011, productId: 71, name: `V ${String(i)}`, sku: `BIG-${String(i)}`, retailPrice: '25.00', price: '12.95' }]
  }))
  for (const p of products) shopifySim.store.addProductVariant({ sku: p.variants[0]?.sku ?? null })
  let clock = Date.parse('2026-11-27T03:00:00Z')
  // A list request and two product details per window.
  const printfulSim = await startPrintfulSimulator({ syncProducts: products, rateLimit: { limit: 3, windowMs: 60_000 }, now: () => clock })
  t.teardown(() => printfulSim.close())
  const printful = new PrintfulSupplier({ apiUrl: printfulSim.url, token: 'pf-sim-token' })
  const { database: { db }, boss } = await testApp(t, { boss: true })
  const { id } = await startImport(db, boss!, 'printful')
  const deps = { suppliers: { printful }, registry: builtInRegistry, shopify, boss: boss!, flushEvery: 1 }

  await pickUpJobs(db, 'mappings.import')
  await runImport(db, deps, id, { finalAttempt: false })
  t.match(await db.selectFrom('mapping_imports').selectAll().executeTakeFirst(), { state: 'running', products_done: 2, processed: 2, created: 2, stalls: 0, error: /rate-limited by printful; resuming after product 2/ })
  const scheduled = await sql<{ start_after: Date }>`select start_after from pgboss.job where name = 'mappings.import' order by created_on desc limit 1`.execute(db)
  t.ok((scheduled.rows[0]?.start_after.getTime() ?? 0) > Date.now() + 30_000, 'the next run waits for the window (Retry-After)')

  clock += 60_000
  await pickUpJobs(db, 'mappings.import')
  await runImport(db, deps, id, { finalAttempt: false })
  t.match(await db.selectFrom('mapping_imports').selectAll().executeTakeFirst(), { state: 'running', products_done: 4, processed: 4 })
  clock += 60_000
  await pickUpJobs(db, 'mappings.import')
  await runImport(db, deps, id, { finalAttempt: false })
  t.match(await db.selectFrom('mapping_imports').selectAll().executeTakeFirst(), { state: 'done', processed: 5, created: 5, unmatched: 0, error: null })
  t.equal((await db.selectFrom('variant_mappings').select('id').execute()).length, 5)
  const details = printfulSim.control.requests().filter((r) => /\/store\/products\/\d+/.test(r.path) && r.status === 200)
  t.equal(details.length, 5, 'each product was fetched once')
})
