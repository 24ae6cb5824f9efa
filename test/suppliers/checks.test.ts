// The address and item rules each supplier is checked against before any request.
import t from 'tap'
import { PrintfulSupplier } from '../../src/suppliers/printful/supplier.ts'
import { checkPrintifyOrder } from '../../src/suppliers/printify/check.ts'
import { draft, printfulItem } from '../fixtures/suppliers/drafts.ts'

const printful = new PrintfulSupplier({ apiUrl: 'http://127.0.0.1:9', token: 'unused' })
const fields = (problems: { field: string }[]) => problems.map((p) => p.field)

void t.test('when a Printful order is well formed, then check finds nothing', (t) => {
  t.same(printful.check(draft()), [])
  t.end()
})

void t.test('when a Printful external id is too long or has a "#", then check names it', (t) => {
  t.same(fields(printful.check(draft({ externalId: '#1001' }))), ['externalId'])
  t.same(fields(printful.check(draft({ externalId: 'x'.repeat(33) }))), ['externalId'])
  t.same(fields(printful.check(draft({ externalId: 'x'.repeat(32) }))), [])
  t.end()
})

void t.test('when a US, Canadian or Australian address lacks a state, or a Brazilian one a tax number, then check names the field', (t) => {
  for (const countryCode of ['US', 'CA', 'AU']) {
    t.same(fields(printful.check(draft({ recipient: { name: 'A B', address1: 'x', city: 'y', zip: '12345', countryCode } }))), ['recipient.stateCode'], countryCode)
  }
  t.same(fields(printful.check(draft({ recipient: { name: 'A B', address1: 'x', city: 'y', zip: '1', countryCode: 'BR', stateCode: 'SP' } }))), ['recipient.taxNumber'])
  t.same(fields(printful.check(draft({ recipient: { name: 'A B', address1: 'x', city: 'y', zip: '1', countryCode: 'DE' } }))), [])
  t.end()
})

void t.test('when Printful items break the rules, then check names each', (t) => {
  const problems = printful.check(draft({
    items: [
      printfulItem('l1', '4001', 1001),
      printfulItem('l1', 'abc'),
      { lineRef: 'l3', quantity: 1 },
      { lineRef: 'l4', quantity: 1, ref: { variantId: '4011', files: [] } },
      { lineRef: 'l5', quantity: 1, ref: { variantId: '4011', files: [{ type: 'front', url: 'https://x/a.png' }, { type: 'front', url: 'https://x/b.ai' }] } }
    ]
  }))
  t.same(fields(problems), ['items.0.quantity', 'items.1.lineRef', 'items.1.ref.syncVariantId', 'items.2.ref', 'items.3.ref.files', 'items.4.ref.files', 'items.4.ref.files'])
  t.end()
})

void t.test('when an address has no postal code, then it is a problem only where the country has postal codes (src/suppliers/common/countries.ts)', (t) => {
  const noZip = (countryCode: string) => draft({ recipient: { name: 'A B', address1: 'x', city: 'y', countryCode } })
  for (const countryCode of ['HK', 'AE', 'QA']) t.same(fields(printful.check(noZip(countryCode))), [], countryCode)
  t.same(printful.check(noZip('DE')), [{ field: 'recipient.zip', message: 'required by Printful: DE addresses have postal codes' }])
  const printifyZip = (countryCode: string) => checkPrintifyOrder(noZip(countryCode)).filter((p) => p.field === 'recipient.zip')
  t.same(printifyZip('HK'), [], 'Printify, Hong Kong')
  t.same(printifyZip('GB'), [{ field: 'recipient.zip', message: 'required by Printify: GB addresses have postal codes' }])
  t.end()
})
