// The pure half of "changes after submission": what differs between what a
// supplier has (the sent recipient and lines) and the order as Shopify has it now.
import t from 'tap'
import { addressChanges, describeChanges, hasChanges, isChangeReason, lineChanges, type SentLine } from '../../src/orders/submission/changes-after-submission.ts'
import { recipientOf } from '../../src/orders/submission/draft.ts'
import { snapshot, snapshotLine } from '../helpers/routing-factories.ts'

const chatsworth = { name: 'Jane Doe', address1: '19749 Dearborn St', city: 'Chatsworth', stateCode: 'CA', zip: '91311', countryCode: 'US', email: 'jane@example.com' }

t.test('when the city and zip change, then exactly those two fields are named, old → new', async (t) => {
  const now = recipientOf(snapshot([], { shippingAddress: { address1: '19749 Dearborn St', city: 'Reseda', provinceCode: 'CA', zip: '91335' } }))
  t.same(addressChanges(chatsworth, now), [{ field: 'city', from: 'Chatsworth', to: 'Reseda' }, { field: 'zip', from: '91311', to: '91335' }])
  t.equal(
    describeChanges('printful', 'Printful\'s dashboard', '100000001', { address: addressChanges(chatsworth, now), lines: [] }),
    'shipping address changed after it was sent to printful as order 100000001: city Chatsworth → Reseda, zip 91311 → 91335; change it in Printful\'s dashboard, then approve or retry the order'
  )
})

t.test('when only the email changes (or a field only differs by surrounding spaces or case of the codes), then nothing on the label changed', async (t) => {
  const now = recipientOf(snapshot([], { email: 'new@example.com', shippingAddress: { address1: ' 19749 Dearborn St ', city: 'Chatsworth', provinceCode: 'ca', countryCode: 'us', zip: '91311' } }))
  t.same(addressChanges(chatsworth, now), [])
})

t.test('when address2, phone or company appear or go, then they are named, an empty side shown as (none) and values with spaces quoted', async (t) => {
  const sent = { ...chatsworth, address2: 'Apt 4' }
  const now = { ...chatsworth, phone: '+1 818 555 0100', company: 'Acme' }
  const changes = addressChanges(sent, now)
  t.same(changes.map((c) => c.field), ['company', 'address2', 'phone'])
  t.match(describeChanges('printify', 'Printify\'s dashboard', '5f1e', { address: changes, lines: [] }), /company \(none\) → Acme, address2 "Apt 4" → \(none\), phone \(none\) → "\+1 818 555 0100"; change it in Printify's dashboard/)
})

t.test('when a sent line is removed or reduced, then it is named with its quantities; lines left alone and other lines are not', async (t) => {
  const tee = snapshotLine({ sku: 'TEE-M', title: 'Tee', quantity: 3 })
  const mug = snapshotLine({ sku: 'MUG', quantity: 2 })
  const cap = snapshotLine({ sku: null, title: 'Cap', quantity: 1 })
  const sent: SentLine[] = [
    { orderLineId: 'l-tee', shopifyLineItemId: tee.id, sku: 'TEE-M', title: 'Tee', quantity: 3 },
    { orderLineId: 'l-mug', shopifyLineItemId: mug.id, sku: 'MUG', title: null, quantity: 2 },
    { orderLineId: 'l-cap', shopifyLineItemId: cap.id, sku: null, title: 'Cap', quantity: 1 }
  ]
  const now = snapshot([{ ...tee, currentQuantity: 1 }, { ...mug, currentQuantity: 0 }, cap])
  const changes = lineChanges(sent, now)
  t.same(changes.map((c) => [c.line.orderLineId, c.to]), [['l-tee', 1], ['l-mug', 0]])
  t.equal(
    describeChanges('printful', 'Printful\'s dashboard', '7', { address: [], lines: changes }),
    'lines changed after it was sent to printful as order 7: line SKU TEE-M "Tee" quantity 3 → 1; line SKU MUG removed (was 2); change it in Printful\'s dashboard, then approve or retry the order'
  )
  t.same(lineChanges(sent, snapshot([tee, mug])).map((c) => [c.line.orderLineId, c.to]), [['l-cap', 0]], 'a line gone from the order counts as removed')
  t.same(lineChanges(sent.slice(0, 1), snapshot([{ ...tee, currentQuantity: 5 }])), [], 'more than was sent is no removal')
})

t.test('when both change, then one reason names the address and the line, and it is recognisable as this kind of flag', async (t) => {
  const tee = snapshotLine({ sku: 'TEE-M', quantity: 1 })
  const reason = describeChanges('printful', 'Printful\'s dashboard', '9', {
    address: [{ field: 'zip', from: '91311', to: '91335' }],
    lines: lineChanges([{ orderLineId: 'x', shopifyLineItemId: tee.id, sku: 'TEE-M', title: null, quantity: 1 }], snapshot([{ ...tee, currentQuantity: 0 }]))
  })
  t.equal(reason, 'shipping address and a line changed after it was sent to printful as order 9: zip 91311 → 91335; line SKU TEE-M removed (was 1); change it in Printful\'s dashboard, then approve or retry the order')
  t.ok(isChangeReason(reason))
  t.notOk(isChangeReason('Printful put the order on hold: address check'))
  t.notOk(isChangeReason(null))
  t.notOk(hasChanges({ address: [], lines: [] }))
})
