import t from 'tap'
import { upsertMappings } from '../../src/orders/routing/mappings.ts'
import { testApp } from '../helpers/app.ts'
import { jobs, printfulTee, printifyMug, route, routeDepsFor, seedOrder, type SnapshotOverrides } from '../helpers/routing-factories.ts'

async function routedWith (t: Parameters<typeof testApp>[0], overrides: SnapshotOverrides, options: { skus?: string[], shippingMethods?: Record<string, { printful?: string, printify?: number }> } = {}) {
  const { database: { db }, boss } = await testApp(t, { boss: true })
  await upsertMappings(db, [printfulTee, printifyMug])
  const seeded = await seedOrder(db, (options.skus ?? ['TEE-WHT-S', 'MUG-11']).map((sku) => ({ sku })), overrides)
  await route(db, routeDepsFor(boss!, options.shippingMethods ? { shippingMethods: options.shippingMethods } : {}), seeded.orderId)
  const supplierOrders = await db.selectFrom('supplier_orders').select(['supplier', 'state', 'reason', 'draft']).orderBy('supplier').execute()
  const order = await db.selectFrom('orders').select(['state', 'state_reason']).executeTakeFirstOrThrow()
  return { supplierOrders, order, submits: await jobs(db, 'supplier.submit') }
}

t.test('when a US address has no state, then both supplier orders need attention naming recipient.stateCode, and nothing is sent', async (t) => {
  const { supplierOrders, order, submits } = await routedWith(t, { shippingAddress: { provinceCode: null, province: null } })
  t.match(supplierOrders, [
    { supplier: 'printful', state: 'needs_attention', reason: 'recipient.stateCode: Printful needs a state code for US addresses' },
    { supplier: 'printify', state: 'needs_attention', reason: 'recipient.stateCode: Printify needs the region (state) for US addresses' }
  ])
  t.equal(order.state, 'needs_attention')
  t.match(order.state_reason, /recipient\.stateCode/)
  t.equal(submits.length, 0)
})

t.test('when a Brazilian address has no CPF, then Printful needs attention naming recipient.taxNumber; with TAX_CREDENTIAL_BR it is in the draft', async (t) => {
  const brazil = { shippingAddress: { countryCode: 'BR', country: 'Brazil', provinceCode: 'SP', province: 'São Paulo', zip: '01310-100', city: 'São Paulo' } }
  const missing = await routedWith(t, brazil, { skus: ['TEE-WHT-S'] })
  t.match(missing.supplierOrders, [{ state: 'needs_attention', reason: 'recipient.taxNumber: Printful needs the CPF/CNPJ for Brazil' }])
  const given = await routedWith(t, { ...brazil, localizedFields: [{ key: 'TAX_CREDENTIAL_BR', countryCode: 'BR', purpose: 'TAX', value: '123.456.789-09' }] }, { skus: ['TEE-WHT-S'] })
  t.match(given.supplierOrders, [{ state: 'pending', reason: null, draft: { recipient: { countryCode: 'BR', stateCode: 'SP', taxNumber: '123.456.789-09' } } }])
})

t.test('when the order has no shipping address, then every supplier order needs attention naming recipient', async (t) => {
  const { supplierOrders } = await routedWith(t, { shippingAddress: null })
  for (const so of supplierOrders) t.match(so, { state: 'needs_attention', reason: /^recipient: the order has no shipping address/ })
})

t.test('when the country code or zip is missing, then the field is named', async (t) => {
  const { supplierOrders } = await routedWith(t, { shippingAddress: { countryCode: null, zip: null } }, { skus: ['TEE-WHT-S'] })
  t.match(supplierOrders, [{ state: 'needs_attention', reason: /recipient\.countryCode: must be an ISO 3166-1 alpha-2 code; recipient\.zip: required by Printful/ }])
})

t.test('when Printify Express is the method and there is no phone, then Printify needs attention naming recipient.phone', async (t) => {
  const { supplierOrders } = await routedWith(t, {}, { skus: ['MUG-11'], shippingMethods: { '*': { printify: 3 } } })
  t.match(supplierOrders, [{ supplier: 'printify', state: 'needs_attention', reason: 'recipient.phone: required for Printify Express' }])
})

t.test('when the supplier a line maps to is not configured, then its supplier order needs attention saying which variable to set', async (t) => {
  const { database: { db }, boss } = await testApp(t, { boss: true })
  await upsertMappings(db, [printifyMug])
  const seeded = await seedOrder(db, [{ sku: 'MUG-11' }])
  await route(db, routeDepsFor(boss!, { configured: new Set(['printful']) }), seeded.orderId)
  t.match(await db.selectFrom('supplier_orders').select(['state', 'reason']).executeTakeFirst(), { state: 'needs_attention', reason: 'printify is not configured (set PRINTIFY_API_TOKEN and PRINTIFY_SHOP_ID)' })
})

t.test('when the state is a name instead of a code or a US ZIP is impossible, then the field is named', async (t) => {
  const { supplierOrders } = await routedWith(t, { shippingAddress: { provinceCode: 'Oregon', zip: '9747' } })
  for (const so of supplierOrders) t.match(so, { state: 'needs_attention', reason: /^recipient\.stateCode: must be the state's 2- or 3-letter code \(e\.g\. CA, NSW\), not "OREGON"; recipient\.zip: a US ZIP code is 5 digits/ })
  const australia = await routedWith(t, { shippingAddress: { countryCode: 'AU', provinceCode: 'NSW', zip: '2000', city: 'Sydney' } })
  t.match(australia.supplierOrders, [{ state: 'pending' }, { state: 'pending' }])
})
