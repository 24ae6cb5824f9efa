import { createHmac } from 'node:crypto'
import { parsePrintifyWebhook, verifyPrintifyWebhook } from '../../src/suppliers/printify/webhook.ts'
import { readFileSync } from 'node:fs'
import t, { type Test } from 'tap'
import { request } from 'undici'
import { startPrintifySimulator, type PrintifySimOptions } from '../../src/sim/printify/index.ts'
import { PrintifySupplier } from '../../src/suppliers/printify/supplier.ts'
import type { SupplierOrderDraft } from '../../src/suppliers/common/supplier.ts'
import { draft, printifyItem, webhookReceiver } from '../fixtures/suppliers/drafts.ts'

const tee = '5b05842f3921c9547531758d'
const mug = '5b05842f3921c9547531758e'

function pyDraft (overrides: Partial<SupplierOrderDraft> = {}): SupplierOrderDraft {
  return draft({ externalId: 'pb-1001-y1', items: [printifyItem('line-1', tee, '12100'), { lineRef: 'line-2', quantity: 2, ref: { sku: 'PFY-MUG-11' } }], ...overrides })
}

async function setup (t: Test, options: PrintifySimOptions = {}, client: { token?: string, timeoutMs?: number } = {}) {
  // A new order's pending moment has its own tests (printify-pending-find.test.ts).
  const sim = await startPrintifySimulator({ pendingForMs: 0, ...options })
  t.teardown(() => sim.close())
  const supplier = new PrintifySupplier({ apiUrl: sim.url, token: client.token ?? 'py-sim-token', shopId: '5432', timeoutMs: client.timeoutMs ?? 2_000 })
  return { sim, supplier }
}

void t.test('when an order is submitted with confirm, then it is created and sent to production', async (t) => {
  const { sim, supplier } = await setup(t)
  const accepted = await supplier.submit(pyDraft(), { confirm: true })
  t.match(accepted, { supplierOrderId: /^[0-9a-f]{24}$/, externalId: 'pb-1001-y1', status: 'pending' })
  t.equal(sim.control.order(accepted.supplierOrderId)?.status, 'sending-to-production')
  const [create] = sim.control.requests({ method: 'POST', path: '/orders.json' })
  t.match(create?.headers, { 'user-agent': 'pod-bridge', authorization: 'Bearer py-sim-token' })
  t.match(create?.body, { external_id: 'pb-1001-y1', label: '#1001 pb-1001-y1', shipping_method: 1, address_to: { first_name: 'Jane', last_name: 'Doe', region: 'CA', country: 'US' }, line_items: [{ product_id: tee, variant_id: 12100, quantity: 1 }, { sku: 'PFY-MUG-11', quantity: 2 }] })
})

void t.test('when an order is submitted without confirm, then it waits on hold until confirmed', async (t) => {
  const { sim, supplier } = await setup(t)
  const accepted = await supplier.submit(pyDraft(), { confirm: false })
  t.equal(accepted.status, 'on_hold')
  t.equal(sim.control.order(accepted.supplierOrderId)?.status, 'on-hold')
  t.equal((await supplier.confirm(accepted)).status, 'pending')
})

void t.test('when the answer to send_to_production is lost, then confirming again is refused by Printify but answered from the order, which is on its way', async (t) => {
  const { sim, supplier } = await setup(t)
  const accepted = await supplier.submit(pyDraft(), { confirm: false })
  sim.control.injectFault({ kind: 'answer_lost', method: 'POST', path: '/send_to_production.json' })
  await t.rejects(supplier.confirm(accepted), { code: 'upstream_transient' })
  t.equal(sim.control.order(accepted.supplierOrderId)?.status, 'sending-to-production', 'Printify acted on the lost request')
  t.match(await supplier.confirm(accepted), { supplierOrderId: accepted.supplierOrderId, status: 'pending' }, 'not "cannot be sent to production" for a person')
  const sends = sim.control.requests({ method: 'POST' }).filter((r) => r.path.endsWith('/send_to_production.json'))
  t.equal(sends.length, 2, 'asked twice, refused the second time (8252), then read')
  await sim.control.advance(accepted.supplierOrderId, { to: 'in_production' })
  t.match(await supplier.confirm(accepted), { status: 'in_production' })
  // A refusal for another reason is still a refusal: a cancelled order is not on its way.
  const other = await supplier.submit(pyDraft({ externalId: 'pb-1002-y1' }), { confirm: false })
  await supplier.cancel(other)
  await t.rejects(supplier.confirm(other), { code: 'upstream_rejected' })
})

void t.test('when a test order is checked or submitted, then it is refused before any request', async (t) => {
  const { sim, supplier } = await setup(t)
  t.match(supplier.check(pyDraft({ test: true })), [{ field: 'test' }])
  await t.rejects(supplier.submit(pyDraft({ test: true }), { confirm: true }), { code: 'bad_request' })
  t.equal(sim.control.requests().length, 0)
})

void t.test('when an address or item breaks Printify\'s rules, then check names the field', async (t) => {
  const { supplier } = await setup(t)
  const problems = supplier.check(pyDraft({
    recipient: { name: 'Jane', address1: 'x', city: 'y', countryCode: 'US' },
    shipping: 3,
    items: [{ lineRef: 'l', quantity: 0 }, { lineRef: 'm', quantity: 1, ref: { blueprintId: '6', printProviderId: '99', variantId: '1', printAreas: {} } }]
  }))
  t.same(problems.map((p) => p.field), ['recipient.stateCode', 'recipient.zip', 'recipient.email', 'recipient.phone', 'items.0.quantity', 'items.0.ref', 'items.1.ref.printAreas'])
})

void t.test('when Printify refuses an order (8103), then the error is upstream_rejected with the fields from the JSON-string reason, on 400 or 422', async (t) => {
  for (const status of [400, 422] as const) {
    const { supplier } = await setup(t, { validationStatus: status })
    const body = { external_id: 'x', line_items: [{ sku: 'PFY-MUG-11', quantity: 1 }], shipping_method: 1, send_shipping_notification: false, address_to: { first_name: 'a', last_name: 'b', country: 'US', address1: 'x', city: 'y' } }
    await t.rejects(supplier.api.createOrder(body), { code: 'upstream_rejected', retryable: false, message: 'Printify: Validation failed. zip: The zip field is required.', detail: { status, supplierCode: 8103 } })
  }
})

void t.test('when an order is looked up by external id, then recent orders are listed and matched, the oldest live one first', async (t) => {
  const { sim, supplier } = await setup(t)
  t.equal(await supplier.find('pb-1001-y1'), undefined)
  for (let i = 0; i < 12; i++) await supplier.submit(pyDraft({ externalId: `pb-${String(2000 + i)}-y1` }), { confirm: false })
  const first = await supplier.submit(pyDraft(), { confirm: false })
  const duplicate = await supplier.submit(pyDraft(), { confirm: false })
  t.not(duplicate.supplierOrderId, first.supplierOrderId, 'Printify does not refuse a reused external_id')
  await supplier.cancel(first)
  t.same(await supplier.find('pb-1001-y1'), { supplierOrderId: duplicate.supplierOrderId, externalId: 'pb-1001-y1', status: 'on_hold' })
  const found = await supplier.find('pb-2000-y1')
  t.ok(found, 'found on the second page')
  t.ok(sim.control.requests({ path: '/orders.json' }).some((r) => r.query.page === '2'))
})

void t.test('when the order is stored but the answer is lost, then find locates it', async (t) => {
  const { sim, supplier } = await setup(t)
  sim.control.injectFault({ kind: 'answer_lost', method: 'POST', path: '/orders.json' })
  await t.rejects(supplier.submit(pyDraft(), { confirm: true }), { code: 'upstream_transient', detail: { outcome: 'unknown' } })
  t.match(await supplier.find('pb-1001-y1'), { status: 'on_hold' })
})

void t.test('when an order moves through production and ships in packages, then statuses follow with shipments', async (t) => {
  const { sim, supplier } = await setup(t)
  const accepted = await supplier.submit(pyDraft(), { confirm: true })
  await sim.control.advance(accepted.supplierOrderId, { to: 'in_production' })
  t.equal((await supplier.statuses([accepted]))[0]?.status, 'in_production')
  await sim.control.advance(accepted.supplierOrderId, { to: 'shipped', items: 1 })
  const partial = (await supplier.statuses([accepted]))[0]
  t.match(partial, { status: 'partially_shipped', externalId: 'pb-1001-y1', shipments: [{ carrier: 'usps', trackingNumber: /^9400/, items: [{ sku: 'PFY-TEE-WHT-S', quantity: 1 }] }] })
  t.equal(partial?.shipments[0]?.supplierShipmentId, undefined, 'Printify gives shipments no id')
  await sim.control.advance(accepted.supplierOrderId, { to: 'shipped', tracking: false })
  await sim.control.advance(accepted.supplierOrderId, { to: 'delivered' })
  const done = (await supplier.statuses([accepted, { supplierOrderId: 'ffffffffffffffffffffffff', externalId: 'x' }]))
  t.equal(done.length, 1)
  t.equal(done[0]?.status, 'shipped')
  t.equal(done[0]?.shipments.length, 2)
  t.equal(done[0]?.shipments[1]?.trackingNumber, undefined)
  t.match(done[0]?.shipments[0]?.deliveredAt, /^\d{4}-\d\d-\d\dT/)
  t.match(done[0]?.observedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/)
})

void t.test('when an order had issues or waits for payment, then the status says so', async (t) => {
  const { sim, supplier } = await setup(t)
  const accepted = await supplier.submit(pyDraft(), { confirm: false })
  await sim.control.advance(accepted.supplierOrderId, { to: 'payment_not_received' })
  t.match((await supplier.statuses([accepted]))[0], { status: 'on_hold', statusReason: 'payment-not-received' })
  await sim.control.advance(accepted.supplierOrderId, { to: 'failed' })
  t.match((await supplier.statuses([accepted]))[0], { status: 'failed', statusReason: 'had-issues' })
})

void t.test('when an on-hold order is cancelled, then it is cancelled; once sent to production, it is too late', async (t) => {
  const { supplier } = await setup(t)
  const held = await supplier.submit(pyDraft(), { confirm: false })
  t.equal(await supplier.cancel(held), 'cancelled')
  t.equal(await supplier.cancel(held), 'cancelled')
  const sent = await supplier.submit(pyDraft({ externalId: 'pb-1002-y1' }), { confirm: true })
  t.equal(await supplier.cancel(sent), 'too_late')
})

void t.test('when the shop auto-sends on-hold orders, then an unconfirmed order goes to production by itself after the delay', async (t) => {
  const receiver = await webhookReceiver()
  t.teardown(receiver.close)
  const { sim, supplier } = await setup(t, { autoSendAfterMs: 20, webhookUrl: receiver.url })
  const held = await supplier.submit(pyDraft(), { confirm: false })
  const deadline = Date.now() + 2_000
  while (sim.control.order(held.supplierOrderId)?.status === 'on-hold' && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve))
  t.equal(sim.control.order(held.supplierOrderId)?.status, 'sending-to-production')
  await sim.control.settleWebhooks()
  t.ok(receiver.received.some((r) => r.body.includes('"order:sent-to-production"')))
})

void t.test('when the catalog is read, then every enabled variant comes with its mapping payload and price', async (t) => {
  const { supplier } = await setup(t)
  const variants = []
  for await (const variant of supplier.catalog()) variants.push(variant)
  t.equal(variants.length, 3)
  t.match(variants[0], { supplier: 'printify', productId: tee, variantId: '12100', sku: 'PFY-TEE-WHT-S', retailPrice: '25.00', ref: { productId: tee, variantId: '12100' } })
  t.match(variants[2], { productId: mug })
})

void t.test('when the shop is an API shop, then it does not import orders itself; a Shopify shop does', async (t) => {
  t.match(await (await setup(t)).supplier.storeInfo(), { id: '5432', kind: 'custom_integration', importsOrdersItself: false })
  t.match(await (await setup(t, { shop: { sales_channel: 'shopify' } })).supplier.storeInfo(), { kind: 'shopify', importsOrdersItself: true })
})

void t.test('when a request has no User-Agent or a wrong token, then Printify refuses it', async (t) => {
  const { sim } = await setup(t)
  const bare = await request(`${sim.url}/v1/shops.json`, { headers: { authorization: 'Bearer py-sim-token' } })
  await bare.body.dump()
  t.equal(bare.statusCode, 400)
  const { supplier } = await setup(t, {}, { token: 'nope' })
  await t.rejects(supplier.storeInfo(), { code: 'unauthorized' })
})

void t.test('when an order ships, then a signed order:shipment:created webhook arrives and verifies and parses', async (t) => {
  const receiver = await webhookReceiver()
  t.teardown(receiver.close)
  const { sim, supplier } = await setup(t, { webhookUrl: receiver.url, webhookSecret: 's3cret' })
  const accepted = await supplier.submit(pyDraft(), { confirm: true })
  await sim.control.advance(accepted.supplierOrderId, { to: 'shipped', packages: 2 })
  const shipped = receiver.received.filter((r) => r.body.includes('"order:shipment:created"'))
  t.equal(shipped.length, 2)
  const hook = shipped[0]
  const signature = hook?.headers['x-pfy-signature']
  t.match(signature, /^sha256=[0-9a-f]{64}$/)
  t.ok(verifyPrintifyWebhook(hook?.body ?? '', String(signature), 's3cret'))
  t.ok(verifyPrintifyWebhook(Buffer.from(hook?.body ?? ''), String(signature).slice(7), 's3cret'), 'a bare hex digest verifies too')
  t.notOk(verifyPrintifyWebhook(hook?.body ?? '', String(signature), 'other'), 'wrong secret')
  t.notOk(verifyPrintifyWebhook(`${hook?.body ?? ''} `, String(signature), 's3cret'), 'changed body')
  t.notOk(verifyPrintifyWebhook(hook?.body ?? '', undefined, 's3cret'), 'no header')
  t.notOk(verifyPrintifyWebhook(hook?.body ?? '', 'sha256=zz', 's3cret'), 'garbage header')
  t.match(parsePrintifyWebhook(hook?.body ?? ''), { supplier: 'printify', eventId: /^[0-9a-f-]{36}$/, type: 'order:shipment:created', supplierOrderId: accepted.supplierOrderId, shipment: { carrier: 'USPS', trackingNumber: /^9400/, items: [{ sku: 'PFY-TEE-WHT-S' }] } })
})

void t.test('when the documented shipment webhook sample is verified and parsed, then it gives the order, tracking and SKUs', async (t) => {
  const raw = readFileSync(new URL('../fixtures/suppliers/printify-webhook-shipment-created.sample.json', import.meta.url))
  const signature = `sha256=${createHmac('sha256', 'k').update(raw).digest('hex')}`
  t.ok(verifyPrintifyWebhook(raw, signature, 'k'))
  t.same(parsePrintifyWebhook(raw), {
    supplier: 'printify', eventId: '653b6be8-2ff7-4ab5-a7a6-6889a8b3bbf5', type: 'order:shipment:created', occurredAt: '2022-05-17T15:00:00.000Z', supplierOrderId: '5a96f649b2439217d070f507',
    shipment: { carrier: 'USPS', trackingNumber: '9400110200828911663274', trackingUrl: 'https://example.com/track/9400110200828911663274', shippedAt: '2022-05-17T15:00:00.000Z', items: [{ sku: '6202' }] }
  })
  t.throws(() => parsePrintifyWebhook('[]'), { code: 'bad_request' })
})

void t.test('when Printify fails in transit, then each fault is classified as the client sees it', async (t) => {
  const { sim, supplier } = await setup(t, {}, { timeoutMs: 150 })
  sim.control.injectFault({ kind: 'error_500' })
  await t.rejects(supplier.storeInfo(), { code: 'upstream_transient', detail: { status: 500 } })
  sim.control.injectFault({ kind: 'rate_limited', retryAfterSeconds: 3 })
  await t.rejects(supplier.storeInfo(), { code: 'upstream_rate_limited', retryAfterMs: 3_000 })
  sim.control.injectFault({ kind: 'malformed_json' })
  await t.rejects(supplier.storeInfo(), { code: 'upstream_invalid_response' })
  sim.control.injectFault({ kind: 'connection_reset' })
  await t.rejects(supplier.storeInfo(), { code: 'upstream_transient' })
  sim.control.injectFault({ kind: 'timeout' })
  await t.rejects(supplier.storeInfo(), { code: 'upstream_transient', detail: { timedOut: true } })
  t.ok(await supplier.storeInfo())
})

void t.test('when the per-account limit is spent, then 429 with Retry-After comes back as upstream_rate_limited', async (t) => {
  let clock = 1_800_000_000_000
  const { sim, supplier } = await setup(t, { now: () => clock })
  sim.control.setRateLimit({ limit: 2, windowMs: 60_000 })
  await supplier.storeInfo()
  clock += 15_000
  await supplier.storeInfo()
  await t.rejects(supplier.storeInfo(), { code: 'upstream_rate_limited', retryAfterMs: 45_000 })
  clock += 45_000
  t.ok(await supplier.storeInfo())
})

void t.test('when the receiver keeps failing, then Printify retries 3 times and then blocks the webhook', async (t) => {
  const receiver = await webhookReceiver(500)
  t.teardown(receiver.close)
  const { sim, supplier } = await setup(t, { webhookUrl: receiver.url, webhookRetry: { delaysMs: [5, 5, 5], blockForMs: 3_600_000 } })
  await supplier.submit(pyDraft(), { confirm: false })
  await sim.control.drainWebhooks()
  t.same(sim.control.webhookDeliveries().map((d) => [d.topic, d.attempt, d.status]), [['order:created', 1, 500], ['order:created', 2, 500], ['order:created', 3, 500], ['order:created', 4, 500]])
  await supplier.submit(pyDraft({ externalId: 'pb-1002-y1' }), { confirm: false })
  await sim.control.drainWebhooks()
  t.match(sim.control.webhookDeliveries().at(-1), { topic: 'order:created', blocked: true })
  t.equal(receiver.received.length, 4)
})

void t.test('when the simulator\'s clock passes the auto-send delay, then due on-hold orders are sent, and only those', async (t) => {
  let clock = 1_800_000_000_000
  const { sim, supplier } = await setup(t, { now: () => clock, autoSendAfterMs: 24 * 3_600_000 })
  const early = await supplier.submit(pyDraft(), { confirm: false })
  clock += 12 * 3_600_000
  const late = await supplier.submit(pyDraft({ externalId: 'pb-1002-y1' }), { confirm: false })
  const cancelled = await supplier.submit(pyDraft({ externalId: 'pb-1003-y1' }), { confirm: false })
  await supplier.cancel(cancelled)
  clock += 12 * 3_600_000
  t.same((await sim.control.runDueAutoSends()).map((o) => o.id), [early.supplierOrderId])
  t.match((await supplier.statuses([early, late])).map((o) => o.status), ['pending', 'on_hold'])
  t.equal(sim.control.order(cancelled.supplierOrderId)?.status, 'canceled')
})
