import t from 'tap'
import { loadConfig } from '../../src/config.ts'
import { envLines, startSupplierSimulators } from '../../src/sim/suppliers.ts'
import { createFileProviders, createSuppliers } from '../../src/suppliers/index.ts'
import { PrintfulSupplier } from '../../src/suppliers/printful/supplier.ts'

void t.test('when the supplier simulators start, then their environment lines configure clients that reach each of them', async (t) => {
  const sims = await startSupplierSimulators()
  t.teardown(() => sims.close())
  const config = loadConfig({ ...sims.env, SHOPIFY_SHOP_DOMAIN: 'pod-bridge-demo.myshopify.com' })
  const { printful, printify } = createSuppliers(config, { timeoutMs: 2_000 })
  const { customily } = createFileProviders(config, { timeoutMs: 2_000 })
  t.match(await printful?.storeInfo?.(), { importsOrdersItself: false })
  t.match(await printify?.storeInfo?.(), { importsOrdersItself: false })
  t.equal((await customily?.printFile(sims.customily.control.addItem(), 'front'))?.state, 'ready')
  t.same(createSuppliers(loadConfig({})), {}, 'nothing configured, no clients')
  t.same(createFileProviders(loadConfig({})), {}, 'nor file providers')
  t.match(envLines(sims.env), /^PRINTFUL_API_URL=http:\/\/127\.0\.0\.1:\d+$/m)
})

void t.test('when the control routes are driven over HTTP, then orders advance and the request log reads back', async (t) => {
  const sims = await startSupplierSimulators()
  t.teardown(() => sims.close())
  const printful = new PrintfulSupplier({ apiUrl: sims.printful.url, token: sims.env.PRINTFUL_API_TOKEN ?? '' })
  const accepted = await printful.submit({
    externalId: 'pb-7-f1', test: false, items: [{ lineRef: 'l1', quantity: 1, ref: { syncVariantId: '4001' } }],
    recipient: { name: 'A B', address1: '1 Main St', city: 'Riga', countryCode: 'LV', zip: 'LV-1050' }
  }, { confirm: true })
  const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  t.equal((await post(`${sims.printful.url}/_control/orders/${accepted.supplierOrderId}/advance`, { to: 'shipped' })).status, 200)
  t.equal((await printful.statuses([accepted]))[0]?.status, 'shipped')
  const item = await (await post(`${sims.customily.url}/_control/items`, { notReadyLookups: 1 })).json() as { id: string }
  t.match(item.id, /^[0-9a-f-]{36}$/)
  const quirks = await fetch(`${sims.printful.url}/_control/quirks`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ numericTracking: true }) })
  t.equal(quirks.status, 204)
  const log = await (await fetch(`${sims.printful.url}/_control/requests?method=POST`)).json() as unknown[]
  t.equal(log.length, 1)
})

void t.test('when the simulated stores are linked to Shopify, then the double-import guard sees it', async (t) => {
  const sims = await startSupplierSimulators({ printfulStoreType: 'shopify', printifySalesChannel: 'shopify' })
  t.teardown(() => sims.close())
  const { printful, printify } = createSuppliers(loadConfig(sims.env))
  t.match(await printful?.storeInfo?.(), { kind: 'shopify', importsOrdersItself: true })
  t.match(await printify?.storeInfo?.(), { kind: 'shopify', importsOrdersItself: true })
})
