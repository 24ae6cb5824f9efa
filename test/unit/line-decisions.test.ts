import t from 'tap'
import { decideLine, personalizationId, type LineProperties, type RouterLine } from '../../src/orders/routing/line-decisions.ts'
import type { MappingRow, MatchResult } from '../../src/orders/routing/mappings.ts'
import { withPendingFiles, type StoredDraft } from '../../src/orders/submission/personalize.ts'
import { checkPrintfulOrder } from '../../src/suppliers/printful/check.ts'
import { printfulItemRef } from '../../src/suppliers/printful/item-ref.ts'
import { builtInRegistry } from '../../src/suppliers/registry.ts'

const names = ['_customily_id', 'customily_id', '_personalization_id']

function line (overrides: Partial<RouterLine> = {}): RouterLine {
  return { id: 'line-1', shopify_line_item_id: 'gid://shopify/LineItem/1', variant_id: null, sku: 'NAME-TEE', vendor: null, title: 'Name tee', routable_quantity: 1, state: 'pending', supplier: null, mapping_id: null, reason: null, ...overrides }
}

function match (overrides: Partial<MappingRow> = {}): MatchResult {
  const mapping: MappingRow = {
    id: 'mapping-1', match_kind: 'sku', match_value: 'NAME-TEE', supplier: 'printful',
    ref: { variantId: '4012', files: [] },
    personalization: 'customily', placement: 'front', managed_by: null,
    source: 'api', created_at: new Date(0), updated_at: new Date(0),
    ...overrides
  }
  return { mapping, by: 'sku' }
}

const withId = (properties: LineProperties['properties']): LineProperties => ({ properties, personalizationNames: { customily: names }, registry: builtInRegistry })

t.test('when a personalized line carries its id in a configured property, then it is routed with the personalization at the mapping\'s placement', async (t) => {
  const decision = decideLine(line(), match(), withId([{ name: 'Color', value: 'red' }, { name: 'customily_id', value: ' 7f3a-guid ' }]))
  t.same(decision, {
    state: 'routed', supplier: 'printful', mappingId: 'mapping-1', by: 'sku',
    ref: { variantId: '4012', files: [] },
    personalization: { provider: 'customily', id: '7f3a-guid', placement: 'front' }
  })
})

t.test('when several configured properties hold a value, then the first name in CUSTOMILY_PROPERTIES wins; empty values do not count', async (t) => {
  const properties = [{ name: '_personalization_id', value: 'third' }, { name: 'customily_id', value: 'second' }, { name: '_customily_id', value: '  ' }]
  t.equal(personalizationId(properties, names), 'second')
  t.equal(personalizationId(properties, ['_personalization_id']), 'third')
  t.equal(personalizationId([{ name: 'Customily_ID', value: 'x' }], names), undefined, 'names are matched exactly')
})

t.test('when a personalized line has no personalization id, then it is unroutable naming its SKU and the properties looked for', async (t) => {
  const decision = decideLine(line(), match(), withId([{ name: 'Color', value: 'red' }]))
  t.equal(decision.state, 'unroutable')
  t.match(decision, { reason: /SKU NAME-TEE is personalized with Customily, but the line has no personalization id \(looked for the line properties _customily_id, customily_id, _personalization_id;/ })
  t.match(decideLine(line(), match(), { properties: [], personalizationNames: {}, registry: builtInRegistry }), { state: 'unroutable', reason: /looked for the line properties \(none\); set CUSTOMILY_PROPERTIES/ })
})

t.test('when a personalized mapping names a ready-made product, then the line is routed with a problem (it would print its stored design)', async (t) => {
  const decision = decideLine(line(), match({ ref: { syncVariantId: '4001' } }), withId([{ name: '_customily_id', value: 'g' }]))
  t.match(decision, { state: 'routed', problem: /SKU NAME-TEE: a per-order file needs a catalog item/ })
  t.notOk('personalization' in decision)
  const printify = decideLine(line(), match({ supplier: 'printify', ref: { blueprintId: '68', printProviderId: '1', variantId: '33719', printAreas: {} } }), withId([{ name: '_customily_id', value: 'g' }]))
  t.match(printify, { state: 'routed', supplier: 'printify', personalization: { id: 'g', placement: 'front' } })
  t.notOk('problem' in printify)
})

t.test('when a mapping is not personalized, then properties change nothing; managedBy customily is skipped whatever the line carries', async (t) => {
  const plain = decideLine(line(), match({ personalization: null, placement: null, ref: { syncVariantId: '4001' } }), withId([{ name: '_customily_id', value: 'g' }]))
  t.same(plain, { state: 'routed', supplier: 'printful', mappingId: 'mapping-1', by: 'sku', ref: { syncVariantId: '4001' } })
  t.match(decideLine(line(), match({ managed_by: 'customily' }), withId([{ name: '_customily_id', value: 'g' }])), { state: 'skipped', reason: 'sent to the supplier by Customily' })
})

t.test('when the router checks a draft whose catalog item waits for its per-order file, then the file is counted at its placement', async (t) => {
  const draft: StoredDraft = {
    externalId: 'pb-1-f1', label: '#1001', test: false, currency: 'USD',
    recipient: { name: 'Jane Doe', address1: '1 Main Street', city: 'Springfield', countryCode: 'US', stateCode: 'OR', zip: '97477' },
    items: [{ lineRef: 'line-1', quantity: 1, ref: { variantId: '4012', files: [{ type: 'back', url: 'https://files.example/logo.png' }] }, personalization: { provider: 'customily', id: 'g', placement: 'front' } }]
  }
  const pending = withPendingFiles(draft, printfulItemRef)
  t.same(checkPrintfulOrder(pending), [])
  t.match(pending.items[0]?.ref, { files: [{ type: 'back' }, { type: 'front', url: /^https:\/\/customily\.invalid\// }] })
  t.notOk('personalization' in (pending.items[0] ?? {}))
  const empty: StoredDraft = { ...draft, items: [{ lineRef: 'line-1', quantity: 1, ref: { variantId: '4012', files: [] }, personalization: { provider: 'customily', id: 'g', placement: 'front' } }] }
  t.match(checkPrintfulOrder(empty), [{ field: 'items.0.ref.files', message: /at least one print file/ }], 'without the stand-in it would print blank')
  t.same(checkPrintfulOrder(withPendingFiles(empty, printfulItemRef)), [])
})
