// Gelato webhooks: unsigned, verified by the fixed header the dashboard adds
// (or ?token=), parsed into our event as a trigger to re-read the order.
import t from 'tap'
import { gelato } from '../../src/suppliers/gelato/descriptor.ts'
import { parseGelatoWebhook, verifyGelatoWebhook } from '../../src/suppliers/gelato/webhook.ts'

const secret = 'a-long-random-gelato-secret'

// The "Order Status Updated" example of https://dashboard.gelato.com/docs/webhooks/ (ids as in the docs).
const statusEvent = {
  id: 'os_5e5680ce494f6',
  event: 'order_status_updated',
  orderId: 'a6a1f9ce-2bdd-4a9e-9f8d-0009df0e24d9',
  storeId: null,
  orderReferenceId: 'pb-1001-g1',
  fulfillmentStatus: 'shipped',
  items: [{ itemReferenceId: 'line-1', fulfillmentStatus: 'shipped', fulfillments: [{ trackingCode: 'code123', trackingUrl: 'http://example.com/tracking?code=code123', shipmentMethodName: 'DHL Express Domestic BR', shipmentMethodUid: 'dhl_express_domestic_br' }] }]
}

t.test('when the header carries the secret, then the delivery is verified; a wrong, missing or differently long value is not', async (t) => {
  t.ok(verifyGelatoWebhook({ 'x-webhook-secret': secret }, {}, secret))
  t.ok(verifyGelatoWebhook({}, { token: secret }, secret), 'or ?token= where no header can be set')
  t.notOk(verifyGelatoWebhook({ 'x-webhook-secret': `${secret}x` }, {}, secret))
  t.notOk(verifyGelatoWebhook({ 'x-webhook-secret': 'short' }, {}, secret))
  t.notOk(verifyGelatoWebhook({}, {}, secret))
})

t.test('when the descriptor verifies, then no secret configured refuses every delivery, and a wrong one is unauthorized', async (t) => {
  const request = (headers: Record<string, string>) => ({ rawBody: Buffer.from('{}'), headers, query: {} })
  t.throws(() => { gelato.webhook.verify(request({ 'x-webhook-secret': secret }), {}) }, { code: 'not_configured' })
  t.throws(() => { gelato.webhook.verify(request({ 'x-webhook-secret': 'nope' }), { GELATO_WEBHOOK_SECRET: secret }) }, { code: 'unauthorized' })
  gelato.webhook.verify(request({ 'x-webhook-secret': secret }), { GELATO_WEBHOOK_SECRET: secret })
  t.equal(gelato.webhook.trusted, false, 'unsigned: a trigger only')
})

t.test('when an order status event arrives, then it names the Gelato order, our reference and our status', async (t) => {
  const at = new Date('2026-12-04T10:00:00Z')
  const event = parseGelatoWebhook(Buffer.from(JSON.stringify(statusEvent)), at)
  t.same(event, { supplier: 'gelato', eventId: 'os_5e5680ce494f6', type: 'order_status_updated', supplierOrderId: statusEvent.orderId, externalId: 'pb-1001-g1', occurredAt: at.toISOString(), status: 'shipped' })
  const failed = parseGelatoWebhook(JSON.stringify({ ...statusEvent, id: 'os_2', fulfillmentStatus: 'failed' }), at)
  t.match(failed, { status: 'failed', reason: 'failed' })
})

t.test('when Gelato reports a parcel in transit, delivered or returned, then it reads as shipped, shipped and returned (never back to pending)', async (t) => {
  const at = new Date('2026-12-04T10:00:00Z')
  const read = (fulfillmentStatus: string) => parseGelatoWebhook(JSON.stringify({ ...statusEvent, fulfillmentStatus }), at).status
  t.same(['in_transit', 'delivered', 'returned'].map(read), ['shipped', 'shipped', 'returned'])
})

// The "Order Item Status Updated" and "Order Item Tracking Code Updated" examples of https://dashboard.gelato.com/docs/webhooks/.
const itemStatusEvent = {
  id: 'is_5b6403bd3cf1f', event: 'order_item_status_updated', itemReferenceId: 'line-1', orderReferenceId: 'pb-1001-g1', orderId: 'e82885f8-f92a-4326-b2c7-77d010f6996f', storeId: null,
  fulfillmentCountry: 'US', fulfillmentStateProvince: 'NY', fulfillmentFacilityId: '21315db8-e694-4ded-a72a-98f60814c6e8', status: 'passed', comment: '', created: '2018-08-03T07:26:52+00:00'
}
const trackingEvent = {
  id: 'tc_5b6403bd3cf2e', event: 'order_item_tracking_code_updated', orderId: 'a6a1f9ce-2bdd-4a9e-9f8d-0009df0e24d9', storeId: '84086be9-8499-4420-a4c5-02235e126e56', itemReferenceId: 'line-1', orderReferenceId: 'pb-1001-g1',
  trackingCode: 'code123', trackingUrl: 'http://example.com/tracking?code=code123', shipmentMethodName: 'DHL Express Domestic BR', shipmentMethodUid: 'dhl_express_domestic_br',
  productionCountry: 'BR', productionStateProvince: 'SP', productionFacilityId: '940fec84-54bc-44fc-a8a3-7d6f02cf8f14', created: '2018-08-03T12:11:30+00:00'
}

t.test('when the documented item events arrive, then the status one is a trigger with its own time, and the tracking one carries the parcel at its `created` time', async (t) => {
  const at = new Date('2026-12-04T10:00:00Z')
  const item = parseGelatoWebhook(JSON.stringify(itemStatusEvent), at)
  t.same(item, { supplier: 'gelato', eventId: 'is_5b6403bd3cf1f', type: 'order_item_status_updated', supplierOrderId: itemStatusEvent.orderId, externalId: 'pb-1001-g1', occurredAt: '2018-08-03T07:26:52.000Z' }, 'no order status from one item')
  const tracking = parseGelatoWebhook(JSON.stringify(trackingEvent), at)
  t.match(tracking, { eventId: 'tc_5b6403bd3cf2e', occurredAt: '2018-08-03T12:11:30.000Z', shipment: { carrier: 'DHL', service: 'DHL Express Domestic BR', trackingNumber: 'code123', shippedAt: '2018-08-03T12:11:30.000Z', items: [{ lineRef: 'line-1' }] } })
})

t.test('when a tracking code event arrives, then it carries the parcel by our line id and the carrier from the method name', async (t) => {
  const event = parseGelatoWebhook(JSON.stringify({ id: 'oi_1', event: 'order_item_tracking_code_updated', orderId: 'o-1', orderReferenceId: 'pb-1001-g1', itemReferenceId: 'line-1', trackingCode: 'code123', trackingUrl: 'http://example.com/t', shipmentMethodName: 'UPS Standard', shipmentMethodUid: 'ups_standard' }), new Date('2026-12-04T10:00:00Z'))
  t.match(event, { type: 'order_item_tracking_code_updated', supplierOrderId: 'o-1', shipment: { carrier: 'UPS', service: 'UPS Standard', trackingNumber: 'code123', trackingUrl: 'http://example.com/t', items: [{ lineRef: 'line-1' }] } })
})

t.test('when the body is not an event, then it is a bad request', async (t) => {
  t.throws(() => parseGelatoWebhook('not json'), { code: 'bad_request' })
  t.throws(() => parseGelatoWebhook(JSON.stringify({ event: 'order_status_updated' })), { code: 'bad_request' })
})

t.test('when register-suppliers reaches Gelato, then it prints the dashboard steps with the URL and header, changes nothing and answers 1; without the secret it refuses', async (t) => {
  const lines: string[] = []
  const io = { print: (line: string) => { lines.push(line) }, error: (line: string) => { lines.push(line) }, confirm: undefined }
  const supplier = gelato.create({ GELATO_API_KEY: 'k', GELATO_API_URL: 'http://127.0.0.1:9', GELATO_PRODUCT_API_URL: 'http://127.0.0.1:9' }, {})
  if (!supplier) throw new Error('configured')
  const code = await gelato.webhook.register(supplier, 'https://bridge.example.com', { GELATO_WEBHOOK_SECRET: secret }, { yes: true }, io)
  t.equal(code, 1, 'left unchanged: a person must do it in the dashboard')
  const text = lines.join('\n')
  t.match(text, /https:\/\/bridge\.example\.com\/webhooks\/gelato/)
  t.match(text, /X-Webhook-Secret/)
  t.match(text, /order_status_updated, order_item_status_updated, order_item_tracking_code_updated/)
  t.notOk(text.includes(secret), 'the secret itself is never printed')
  await t.rejects(gelato.webhook.register(supplier, 'https://bridge.example.com', {}, { yes: true }, io), { code: 'config' })
})
