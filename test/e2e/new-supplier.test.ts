// Issue 15's proof: a supplier defined only under test/fixtures/acme/ (its
// descriptor and a tiny simulator), registered by the test, carries an order
// from the Shopify webhook to the Shopify fulfillment. Nothing in src/ names it.
import t from 'tap'
import { builtInFileProviders, builtInSuppliers, createRegistry } from '../../src/suppliers/registry.ts'
import { acmeDescriptor } from '../fixtures/acme/descriptor.ts'
import { startAcmeSimulator } from '../fixtures/acme/simulator.ts'
import { eventually } from '../helpers/bridge.ts'
import { startFullBridge } from '../helpers/full-bridge.ts'

t.test('when a supplier only the test registers is mapped, then a paid order reaches it, its shipment webhook is taken at /webhooks/<its name>, and Shopify gets the fulfillment', async (t) => {
  const acme = await startAcmeSimulator()
  t.teardown(() => acme.close())
  const registry = createRegistry([...builtInSuppliers, acmeDescriptor(acme)], builtInFileProviders)
  const bridge = await startFullBridge(t, {}, { registry })
  acme.setWebhookUrl(`${bridge.service.url}/webhooks/acme`)

  const refused = await bridge.ops('PUT', '/v1/mappings', { mappings: [{ match: { sku: 'ACME-TEE' }, supplier: 'acme', acme: { productCode: '' } }] })
  t.equal(refused.status, 400, 'its item reference is checked by its own schema')
  const put = await bridge.ops('PUT', '/v1/mappings', { mappings: [{ match: { sku: 'ACME-TEE' }, supplier: 'acme', acme: { productCode: 'tee-s' } }] })
  t.equal(put.status, 200, JSON.stringify(put.json))
  t.match((await bridge.ops('GET', '/v1/mappings?supplier=acme')).json, { mappings: [{ supplier: 'acme', acme: { productCode: 'tee-s' } }] })

  const ref = await bridge.store.store.createOrder({ lines: [{ sku: 'ACME-TEE', quantity: 2 }] })
  const order = await eventually(async () => acme.orders()[0], 20_000, 'the order at Acme')
  t.match(order, { status: 'in_production', items: [{ product: 'tee-s', quantity: 2 }] })
  t.match(order.external_id, /^pb-\d+-a1$/, 'our external id, with the letter its descriptor gives')
  await eventually(async () => {
    const body = (await bridge.ops('GET', `/v1/orders/${encodeURIComponent(ref.name)}`)).json as { supplierOrders?: { supplier: string, state: string }[] }
    return body.supplierOrders?.some((s) => s.supplier === 'acme' && s.state === 'submitted') || undefined
  }, 20_000, 'the Acme supplier order submitted')

  await acme.ship(order.id)
  const fulfillments = await eventually(async () => {
    const found = bridge.store.store.fulfillments(ref.id)
    return found.length === 1 ? found : undefined
  }, 20_000, 'the fulfillment in Shopify')
  t.match(fulfillments, [{ tracking: [{ number: order.tracking }], lineItems: [{ quantity: 2 }] }])
  const done = await eventually(async () => {
    const body = (await bridge.ops('GET', `/v1/orders/${encodeURIComponent(ref.name)}`)).json as { order: { state: string } }
    return body.order.state === 'fulfilled' ? body : undefined
  }, 20_000, 'the order fulfilled')
  t.equal(done.order.state, 'fulfilled')
  const stats = (await bridge.ops('GET', '/v1/stats')).json as { suppliers: { name: string }[] }
  t.same(stats.suppliers.map((s) => s.name), ['printful', 'printify', 'gelato', 'acme'], 'stats list it beside the others')
  await bridge.store.store.idle()
})
