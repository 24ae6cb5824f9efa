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
    /accepted by printful .*; Customily file for cu-tee-0001 at "front": https:\/\/cdn\.customily\.example\/production\/cu-tee-0001\.png \(productionUrl, png\)$/,
    /accepted by printify .*; Customily file for cu-mug-0001 at "front": https:\/\/cdn\.customily\.example\/production\/cu-mug-0001\.png \(productionUrl, png\)$/
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

t.test('when Customily lists an .ai production file and an exported PNG, then Printful gets the PNG and the timeline says which file was used', async (t) => {
  const bridge = await startFullBridge(t)
  t.equal((await bridge.ops('PUT', '/v1/mappings', { mappings: personalizedMappings })).status, 200)
  // As in Customily's article (42965126428315): productionUrl an .ai on cdn.customily.com; here the product also exports a PNG.
  bridge.suppliers.customily.control.addItem('05d74647-ae23-44fb-84ce-347307e523a8', {
    productionUrl: 'https://cdn.customily.com/ExportFile/shop/a65f4484.ai',
    exportedFiles: [{ url: 'https://cdn.customily.com/ExportFile/shop/a65f4484.ai' }, { url: 'https://cdn.customily.com/ExportFile/shop/a65f4484.png' }]
  })
  const ref = await bridge.store.store.createOrder({ lines: [{ sku: 'NAME-TEE', properties: [{ name: '_customily_id', value: '05d74647-ae23-44fb-84ce-347307e523a8' }] }] })
  const detail = await eventually(async () => {
    const body = (await bridge.ops('GET', `/v1/orders/${encodeURIComponent(ref.name)}`)).json as Detail
    return body.order?.state === 'submitted' || body.order?.state === 'needs_attention' ? body : undefined
  }, 30_000, 'the order submitted or stopped')
  t.equal(detail.order.state, 'submitted', detail.order.stateReason ?? '')
  t.same(bridge.suppliers.printful.control.orders()[0]?.items.map((item) => item.files.map((f) => ({ type: f.type, url: f.url }))), [
    [{ type: 'front', url: 'https://cdn.customily.com/ExportFile/shop/a65f4484.png' }]
  ], 'the PNG, never the .ai Printful refuses')
  t.match(detail.timeline.filter((e) => e.kind === 'submission.accepted'), [
    { detail: /Customily file for 05d74647-ae23-44fb-84ce-347307e523a8 at "front": https:\/\/cdn\.customily\.com\/ExportFile\/shop\/a65f4484\.png \(exportedFiles\[1\], png; not productionUrl \(ai\)\)$/ }
  ])
})

t.test('when the Customily key is wrong, then the order needs attention at once with a reason naming CUSTOMILY_API_KEY, and /readyz says so', async (t) => {
  const bridge = await startFullBridge(t, { CUSTOMILY_API_KEY: 'a-revoked-key' })
  t.equal((await bridge.ops('PUT', '/v1/mappings', { mappings: personalizedMappings })).status, 200)
  bridge.suppliers.customily.control.addItem('cu-tee-0401')
  const placedAt = Date.now()
  const ref = await bridge.store.store.createOrder({ lines: [{ sku: 'NAME-TEE', properties: [{ name: '_customily_id', value: 'cu-tee-0401' }] }] })
  const detail = await eventually(async () => {
    const body = (await bridge.ops('GET', `/v1/orders/${encodeURIComponent(ref.name)}`)).json as Detail
    return body.order?.state === 'needs_attention' ? body : undefined
  }, 30_000, 'the order needs attention')
  t.ok(Date.now() - placedAt < 30_000, `stopped after ${String(Date.now() - placedAt)} ms, not after two hours of "not rendered yet"`)
  t.match(detail.order.stateReason, /Customily refused CUSTOMILY_API_KEY at CUSTOMILY_TOKEN_URL \(http:\/\/127\.0\.0\.1:\d+\/api\/token\) with 401/)
  t.equal(detail.timeline.filter((e) => e.kind === 'submission.waiting').length, 0, 'never "waiting for Customily to render"')
  t.equal(bridge.suppliers.printful.control.orders().length, 0, 'nothing sent')
  const ready = await (await fetch(`${bridge.service.url}/readyz`)).json() as { problems: string[] }
  t.ok(ready.problems.some((p) => p.startsWith('Customily refused CUSTOMILY_API_KEY')), ready.problems.join('; '))
})

t.test('when Customily knows the shop by another domain, then the first look-up stops the order with a reason naming CUSTOMILY_SHOP_DOMAIN, not two hours of waiting', async (t) => {
  const bridge = await startFullBridge(t, { CUSTOMILY_SHOP_DOMAIN: 'pod-bridge-e2e.myshopify.com' })
  t.equal((await bridge.ops('PUT', '/v1/mappings', { mappings: personalizedMappings })).status, 200)
  bridge.suppliers.customily.control.addItem('cu-tee-0404')
  const ref = await bridge.store.store.createOrder({ lines: [{ sku: 'NAME-TEE', properties: [{ name: '_customily_id', value: 'cu-tee-0404' }] }] })
  const detail = await eventually(async () => {
    const body = (await bridge.ops('GET', `/v1/orders/${encodeURIComponent(ref.name)}`)).json as Detail
    return body.order?.state === 'needs_attention' ? body : undefined
  }, 30_000, 'the order needs attention')
  t.match(detail.order.stateReason, /Customily knows no personalization cu-tee-0404 for shop "pod-bridge-e2e\.myshopify\.com" .*every look-up since start has answered 404: check CUSTOMILY_ITEM_URL .* and CUSTOMILY_SHOP_DOMAIN/)
  const ready = await (await fetch(`${bridge.service.url}/readyz`)).json() as { problems: string[] }
  t.ok(ready.problems.some((p) => p.includes('CUSTOMILY_SHOP_DOMAIN')), ready.problems.join('; '))
})
