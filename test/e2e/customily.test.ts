// Customily personalization through every real part: the line property in the
// store → order.sync → the router puts the personalization on the draft item →
// supplier.submit resolves it at the Customily simulator ("not ready yet", then
// ready) → the production file is the print file at the mapping's placement.
import t from 'tap'
import { eventually } from '../helpers/bridge.ts'
import { startFullBridge } from '../helpers/full-bridge.ts'

interface Detail {
  order: { state: string, stateReason: string | null }
  lines: { sku: string, state: string, supplier: string | null, reason: string | null }[]
  supplierOrders: { supplier: string, state: string }[]
  timeline: { kind: string, actor?: string, detail: string | null }[]
}

const personalizedMappings = [
  { match: { sku: 'NAME-TEE' }, supplier: 'printful', printful: { variantId: '4012' }, personalization: 'customily', placement: 'front' },
  { match: { sku: 'NAME-MUG' }, supplier: 'printify', printify: { blueprintId: '68', printProviderId: '1', variantId: '33719' }, personalization: 'customily', placement: 'front' },
  { match: { sku: 'CUSTOMILY-HOODIE' }, supplier: 'printful', printful: { syncVariantId: '4001' }, managedBy: 'customily' }
]

t.test('when a paid order has personalized lines, then each supplier gets the Customily production file at the placement, after waiting for one not rendered yet', async (t) => {
  const bridge = await startFullBridge(t, { CUSTOMILY_RETRY_SECONDS: '1' })
  const put = await bridge.ops('PUT', '/v1/mappings', { mappings: personalizedMappings })
  t.equal(put.status, 200, JSON.stringify(put.json))
  const customily = bridge.suppliers.customily.control
  customily.addItem('cu-tee-0001', { notReadyLookups: 1, productionUrl: 'https://cdn.customily.example/production/cu-tee-0001.png' })
  customily.addItem('cu-mug-0001', { productionUrl: 'https://cdn.customily.example/production/cu-mug-0001.png' })

  const ref = await bridge.store.store.createOrder({
    lines: [
      { sku: 'NAME-TEE', properties: [{ name: 'Name', value: 'Ada' }, { name: '_customily_id', value: 'cu-tee-0001' }] },
      { sku: 'NAME-MUG', properties: [{ name: 'customily_id', value: 'cu-mug-0001' }] },
      { sku: 'CUSTOMILY-HOODIE', properties: [{ name: '_customily_id', value: 'cu-hoodie-0001' }] }
    ]
  })
  const detail = await eventually(async () => {
    const body = (await bridge.ops('GET', `/v1/orders/${encodeURIComponent(ref.name)}`)).json as Detail
    return body.order?.state === 'submitted' ? body : undefined
  }, 30_000, 'both supplier orders submitted')

  const pf = bridge.suppliers.printful.control.orders()
  t.equal(pf.length, 1, 'one Printful order')
  t.same(pf[0]?.items.map((item) => ({ variant: item.variant_id, files: item.files.map((f) => ({ type: f.type, url: f.url })) })), [
    { variant: 4012, files: [{ type: 'front', url: 'https://cdn.customily.example/production/cu-tee-0001.png' }] }
  ], 'the tee alone, with its production file at "front": the hoodie is Customily\'s to send')
  const created = bridge.suppliers.printify.control.requests({ method: 'POST', path: '/orders.json' })
  t.equal(created.length, 1, 'one Printify order')
  t.match((created[0]?.body as { line_items: unknown[] }).line_items, [
    { blueprint_id: 68, print_provider_id: 1, variant_id: 33719, print_areas: { front: 'https://cdn.customily.example/production/cu-mug-0001.png' } }
  ])

  const bySku = Object.fromEntries(detail.lines.map((l) => [l.sku, [l.state, l.reason]]))
  t.same(bySku['CUSTOMILY-HOODIE'], ['skipped', 'sent to the supplier by Customily'])
  const waited = detail.timeline.filter((e) => e.kind === 'submission.waiting')
  t.match(waited, [{ actor: 'customily', detail: /personalization cu-tee-0001 not rendered yet; trying again in 1s/ }], 'the tee waited once for its file')
  const accepted = detail.timeline.filter((e) => e.kind === 'submission.accepted').map((e) => e.detail).sort()
  t.match(accepted, [
    /accepted by printful .*; Customily file for cu-tee-0001 at "front": https:\/\/cdn\.customily\.example\/production\/cu-tee-0001\.png$/,
    /accepted by printify .*; Customily file for cu-mug-0001 at "front": https:\/\/cdn\.customily\.example\/production\/cu-mug-0001\.png$/
  ], 'the timeline names the file each supplier prints')
  t.equal(customily.requests({ method: 'GET', path: 'cu-hoodie-0001' }).length, 0, 'the Customily-sent line is never looked up')
})

t.test('when a personalized line carries no personalization id, then the order needs attention naming the SKU and the properties looked for, and nothing is sent', async (t) => {
  const bridge = await startFullBridge(t, { CUSTOMILY_PROPERTIES: '_customily_id,po_number' })
  t.equal((await bridge.ops('PUT', '/v1/mappings', { mappings: personalizedMappings })).status, 200)
  const ref = await bridge.store.store.createOrder({ lines: [{ sku: 'NAME-TEE', properties: [{ name: 'customily_id', value: 'not-a-configured-name' }] }] })
  const detail = await eventually(async () => {
    const body = (await bridge.ops('GET', `/v1/orders/${encodeURIComponent(ref.name)}`)).json as Detail
    return body.order?.state === 'needs_attention' ? body : undefined
  }, 30_000, 'the order needs attention')
  t.match(detail.order.stateReason, /SKU NAME-TEE is personalized with Customily, but the line has no personalization id \(looked for the line properties _customily_id, po_number;/)
  t.match(detail.lines, [{ sku: 'NAME-TEE', state: 'unroutable' }])
  t.same(detail.supplierOrders, [])
  t.equal(bridge.suppliers.printful.control.orders().length, 0)
})
