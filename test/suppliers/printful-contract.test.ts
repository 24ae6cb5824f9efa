// Contract: the Printful simulator's answers validate against Printful's own
// v1 OpenAPI schemas (test/fixtures/suppliers/printful-v1-schemas.json, copied
// from the published spec). Validation is Fastify's own (Ajv) body validation,
// with coercion and defaults off so types are checked as sent.
//
// One loosening, proven necessary by the verbatim example: the published v1
// schemas mark no field nullable, yet Printful's own example order
// (printful-order.sample.json) has null external_id, company, address2, ...
// So null is accepted for any property; every other type is checked.
// And where the schema's own examples contradict its types, both are accepted,
// each named below (suppliers.md §1.7): Shipment.shipped_at and
// tracking_number (typed string, examples are integers), Option.value (typed
// string, arrays in the verbatim example).
import { parsePrintfulWebhook } from '../../src/suppliers/printful/webhook.ts'
import { readFileSync } from 'node:fs'
import Fastify, { type FastifyInstance } from 'fastify'
import t from 'tap'
import { startPrintfulSimulator } from '../../src/sim/printful/index.ts'
import { PrintfulSupplier } from '../../src/suppliers/printful/supplier.ts'
import { draft, webhookReceiver } from '../fixtures/suppliers/drafts.ts'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

function allowNull (schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(allowNull)
  if (schema === null || typeof schema !== 'object') return schema
  const out: Record<string, Json> = {}
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && value && typeof value === 'object' && !Array.isArray(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, property]) => [name, { anyOf: [allowNull(property), { type: 'null' }] }]))
    } else {
      out[key] = allowNull(value)
    }
  }
  return out
}

async function validator (): Promise<(schemaName: string, value: unknown) => Promise<string | undefined>> {
  const fixture = JSON.parse(readFileSync(new URL('../fixtures/suppliers/printful-v1-schemas.json', import.meta.url), 'utf8')) as {
    components: { schemas: Record<string, { properties: Record<string, Json> }> }
  }
  const schemas = fixture.components.schemas
  const stringOrInteger = { type: ['string', 'integer'] }
  if (schemas.Shipment) Object.assign(schemas.Shipment.properties, { shipped_at: stringOrInteger, tracking_number: stringOrInteger })
  if (schemas.Option) Object.assign(schemas.Option.properties, { value: {} })
  const app: FastifyInstance = Fastify({ ajv: { customOptions: { coerceTypes: false, useDefaults: false, removeAdditional: false, strict: false } } })
  app.addSchema({ $id: 'printful-v1', components: allowNull(fixture.components) })
  for (const name of ['Order', 'Shipment', 'Store', 'SyncProduct', 'SyncVariant']) {
    app.post(`/${name}`, { schema: { body: { $ref: `printful-v1#/components/schemas/${name}` } } }, (_request, reply) => reply.send({ ok: true }))
  }
  await app.ready()
  return async (schemaName, value) => {
    const response = await app.inject({ method: 'POST', url: `/${schemaName}`, payload: value as object })
    return response.statusCode === 200 ? undefined : response.body
  }
}

void t.test('when the verbatim v1 example order is validated, then it passes (the validator is neither too strict nor broken)', async (t) => {
  const validate = await validator()
  const sample = JSON.parse(readFileSync(new URL('../fixtures/suppliers/printful-order.sample.json', import.meta.url), 'utf8')) as { result: unknown }
  t.equal(await validate('Order', sample.result), undefined)
  t.match(await validate('Order', { recipient: {}, items: [{ quantity: '1' }] }), /quantity/, 'a wrong type is caught')
  t.match(await validate('Order', { items: [] }), /recipient/, 'a missing required field is caught')
})

void t.test('when the simulator answers for orders in every state, then each order validates against the v1 Order schema', async (t) => {
  const validate = await validator()
  const sim = await startPrintfulSimulator()
  t.teardown(() => sim.close())
  const supplier = new PrintfulSupplier({ apiUrl: sim.url, token: 'pf-sim-token' })
  const a = await supplier.submit(draft({ retailCosts: { subtotal: '50.00', shipping: '5.00' }, packingSlip: { email: 'help@example.com' } }), { confirm: false })
  const b = await supplier.submit(draft({ externalId: 'pb-1002-f1' }), { confirm: true })
  await sim.control.advance(b.supplierOrderId, { to: 'shipped', items: 1 })
  await sim.control.advance(b.supplierOrderId, { to: 'shipped', tracking: false })
  sim.control.setNumericTracking(true)
  const d = await supplier.submit(draft({ externalId: 'pb-1004-f1' }), { confirm: true })
  await sim.control.advance(d.supplierOrderId, { to: 'shipped', packages: 2 })
  const c = await supplier.submit(draft({ externalId: 'pb-1003-f1', items: [{ lineRef: 'l1', quantity: 2, ref: { variantId: '4011', files: [{ type: 'front', url: 'https://example.com/a.png' }] } }] }), { confirm: true })
  await sim.control.advance(c.supplierOrderId, { to: 'failed' })
  const h = { authorization: 'Bearer pf-sim-token' }
  for (const ref of [a.supplierOrderId, b.supplierOrderId, c.supplierOrderId, d.supplierOrderId]) {
    const body = await (await fetch(`${sim.url}/orders/${ref}`, { headers: h })).json() as { code: number, result: unknown }
    t.equal(body.code, 200)
    t.equal(await validate('Order', body.result), undefined, `order ${ref}`)
  }
  const list = await (await fetch(`${sim.url}/orders`, { headers: h })).json() as { result: unknown[], paging: unknown }
  for (const order of list.result) t.equal(await validate('Order', order), undefined)
  const cancelled = await (await fetch(`${sim.url}/orders/${a.supplierOrderId}`, { method: 'DELETE', headers: h })).json() as { result: unknown }
  t.equal(await validate('Order', cancelled.result), undefined)
})

void t.test('when the simulator answers for stores and sync products, then they validate against Store, SyncProduct and SyncVariant', async (t) => {
  const validate = await validator()
  const sim = await startPrintfulSimulator()
  t.teardown(() => sim.close())
  const h = { authorization: 'Bearer pf-sim-token' }
  const stores = await (await fetch(`${sim.url}/stores`, { headers: h })).json() as { result: unknown[] }
  for (const store of stores.result) t.equal(await validate('Store', store), undefined)
  const products = await (await fetch(`${sim.url}/store/products`, { headers: h })).json() as { result: { id: number }[] }
  for (const product of products.result) {
    t.equal(await validate('SyncProduct', product), undefined)
    const detail = await (await fetch(`${sim.url}/store/products/${String(product.id)}`, { headers: h })).json() as { result: { sync_product: unknown, sync_variants: unknown[] } }
    t.equal(await validate('SyncProduct', detail.result.sync_product), undefined)
    for (const variant of detail.result.sync_variants) t.equal(await validate('SyncVariant', variant), undefined)
  }
})

void t.test('when the schema-assembled package_shipped event is parsed, then its numeric tracking number becomes a string', async (t) => {
  const event = parsePrintfulWebhook(readFileSync(new URL('../fixtures/suppliers/printful-shipment.assembled-from-schema.json', import.meta.url)))
  t.match(event, { type: 'package_shipped', supplierOrderId: '13', externalId: '4235234213', status: 'shipped', occurredAt: '2021-05-31T10:25:37.000Z', shipment: { supplierShipmentId: '10', carrier: 'FEDEX', trackingNumber: '0', shippedAt: '2020-05-05T22:01:00.000Z', items: [{ quantity: 1 }] } })
})

void t.test('when the simulator sends v1 webhooks, then their orders and shipments validate against Order and Shipment', async (t) => {
  const validate = await validator()
  const receiver = await webhookReceiver()
  t.teardown(receiver.close)
  const sim = await startPrintfulSimulator({ webhookUrl: receiver.url })
  t.teardown(() => sim.close())
  const supplier = new PrintfulSupplier({ apiUrl: sim.url, token: 'pf-sim-token' })
  const accepted = await supplier.submit(draft(), { confirm: true })
  await sim.control.advance(accepted.supplierOrderId, { to: 'on_hold' })
  await sim.control.advance(accepted.supplierOrderId, { to: 'shipped', packages: 2 })
  await sim.control.advance(accepted.supplierOrderId, { to: 'returned' })
  const events = receiver.received.map((r) => JSON.parse(r.body) as { type: string, created: number, store: number, data: { order?: unknown, shipment?: unknown } })
  t.same([...new Set(events.map((e) => e.type))], ['order_created', 'order_updated', 'order_put_hold', 'package_shipped', 'package_returned'])
  for (const event of events) {
    t.ok(Number.isInteger(event.created) && event.store === 10, `${event.type}: v1 envelope`)
    t.equal(await validate('Order', event.data.order), undefined, `${event.type}: order`)
    if (event.data.shipment !== undefined) t.equal(await validate('Shipment', event.data.shipment), undefined, `${event.type}: shipment`)
  }
})
