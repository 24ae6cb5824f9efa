// Printify's address and item rules, checked before any request (suppliers.md §2.4, §5.5).
import { postalCodeRequired } from '../common/countries.ts'
import { stateCodePattern, usZipPattern } from '../common/countries.ts'
import type { Problem, SupplierOrderDraft } from '../common/supplier.ts'
import { storedPrintifyRef } from './item-ref.ts'

export function checkPrintifyOrder (draft: SupplierOrderDraft): Problem[] {
  const problems: Problem[] = []
  const add = (field: string, message: string) => { problems.push({ field, message }) }
  // An unsent Printify order goes to production by itself after a delay (§2.4): a test order must not exist there.
  if (draft.test) add('test', 'test orders are never created at Printify (an unsent order is sent to production automatically)')
  if (!draft.externalId.trim()) add('externalId', 'required by Printify')
  const r = draft.recipient
  if (!r.name.trim()) add('recipient.name', 'required by Printify (first and last name)')
  if (!r.address1.trim()) add('recipient.address1', 'required by Printify')
  if (!r.city.trim()) add('recipient.city', 'required by Printify')
  if (!/^[A-Z]{2}$/.test(r.countryCode)) add('recipient.countryCode', 'must be an ISO 3166-1 alpha-2 code')
  // Printify documents `region` without saying when it is required; carriers to these countries need
  // the state, and Printful documents the same rule (§5.5), so an address without one is stopped here.
  if (['US', 'CA', 'AU'].includes(r.countryCode) && !r.stateCode) add('recipient.stateCode', `Printify needs the region (state) for ${r.countryCode} addresses`)
  else if (['US', 'CA', 'AU'].includes(r.countryCode) && !stateCodePattern.test(r.stateCode ?? '')) add('recipient.stateCode', `must be the state's 2- or 3-letter code (e.g. CA, NSW), not "${r.stateCode ?? ''}"`)
  if (r.countryCode === 'US' && r.zip && !usZipPattern.test(r.zip)) add('recipient.zip', 'a US ZIP code is 5 digits (or ZIP+4)')
  // The documented 8103 example is a missing zip (§2.2); countries without postal codes have none to give.
  if (!r.zip && postalCodeRequired(r.countryCode)) add('recipient.zip', `required by Printify: ${r.countryCode || 'the country'} addresses have postal codes`)
  const method = draft.shipping ?? 1
  if (typeof method !== 'number' || ![1, 2, 3, 4].includes(method)) add('shipping', '1 standard, 2 priority, 3 Printify Express, 4 economy')
  // "Email and phone are required for Printify Express" (§2.4).
  if (method === 3 && !r.email) add('recipient.email', 'required for Printify Express')
  if (method === 3 && !r.phone) add('recipient.phone', 'required for Printify Express')
  if (draft.items.length === 0) add('items', 'an order needs at least one item')
  draft.items.forEach((item, index) => {
    const at = `items.${String(index)}`
    if (!Number.isInteger(item.quantity) || item.quantity < 1) add(`${at}.quantity`, 'must be a positive integer')
    const ref = storedPrintifyRef(item.ref)
    if (!ref) { add(`${at}.ref`, 'no Printify item for this line'); return }
    if ('variantId' in ref && !/^\d+$/.test(ref.variantId)) add(`${at}.ref.variantId`, 'must be a numeric id')
    if ('blueprintId' in ref) {
      // "Economy cannot be used when creating a product from the order" (§2.4).
      if (method === 4) add('shipping', 'economy shipping is not available for products created from the order')
      if (Object.keys(ref.printAreas).length === 0) add(`${at}.ref.printAreas`, 'at least one print area, or the product prints blank')
    }
  })
  return problems
}
