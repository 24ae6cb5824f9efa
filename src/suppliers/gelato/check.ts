// Gelato's address and item rules, checked before any request
// (https://dashboard.gelato.com/docs/orders/v4/create "ShippingAddress", "ItemObject").
import { postalCodeRequired, stateCodePattern, usZipPattern } from '../common/countries.ts'
import type { Problem, SupplierOrderDraft } from '../common/supplier.ts'
import { storedGelatoRef } from './item-ref.ts'

export function checkGelatoOrder (draft: SupplierOrderDraft): Problem[] {
  const problems: Problem[] = []
  const add = (field: string, message: string) => { problems.push({ field, message }) }
  // orderReferenceId is required and is what the orders search finds the order by after a lost answer.
  if (!draft.externalId.trim()) add('externalId', 'required by Gelato (orderReferenceId)')
  if (!draft.currency || !/^[A-Z]{3}$/.test(draft.currency)) add('currency', 'Gelato needs the order currency (ISO 4217)')
  const r = draft.recipient
  // firstName, lastName, addressLine1, city, postCode, country and email are required (ShippingAddress).
  if (!r.name.trim()) add('recipient.name', 'required by Gelato (first and last name)')
  if (!r.address1.trim()) add('recipient.address1', 'required by Gelato (addressLine1)')
  if (!r.city.trim()) add('recipient.city', 'required by Gelato')
  if (!/^[A-Z]{2}$/.test(r.countryCode)) add('recipient.countryCode', 'must be an ISO 3166-1 alpha-2 code (GB, not UK)')
  if (!r.email) add('recipient.email', 'required by Gelato (shipping notifications from the carrier)')
  // "state: ... required for US, CA, AU" is how the create page reads for these countries; the
  // docs do not list others, and the carriers need it there, so it is the stricter rule here.
  if (['US', 'CA', 'AU'].includes(r.countryCode) && !r.stateCode) add('recipient.stateCode', `Gelato needs the state for ${r.countryCode} addresses`)
  else if (['US', 'CA', 'AU'].includes(r.countryCode) && !stateCodePattern.test(r.stateCode ?? '')) add('recipient.stateCode', `must be the state's 2- or 3-letter code, not "${r.stateCode ?? ''}"`)
  if (r.countryCode === 'US' && r.zip && !usZipPattern.test(r.zip)) add('recipient.zip', 'a US ZIP code is 5 digits (or ZIP+4)')
  if (!r.zip && postalCodeRequired(r.countryCode)) add('recipient.zip', `required by Gelato: ${r.countryCode || 'the country'} addresses have postal codes`)
  if (draft.shipping !== undefined && (typeof draft.shipping !== 'string' || draft.shipping.trim() === '')) add('shipping', 'a Gelato shipmentMethodUid (normal, standard, express, or a method uid)')
  if (draft.items.length === 0) add('items', 'an order needs at least one item')
  draft.items.forEach((item, index) => {
    const at = `items.${String(index)}`
    if (!Number.isInteger(item.quantity) || item.quantity < 1) add(`${at}.quantity`, 'must be a positive integer')
    if (!item.lineRef) add(`${at}.lineRef`, 'every Gelato item carries our line id (itemReferenceId)')
    const ref = storedGelatoRef(item.ref)
    if (!ref) { add(`${at}.ref`, 'no Gelato item for this line'); return }
    if (!ref.productUid) add(`${at}.ref.productUid`, 'required by Gelato')
    // A print-on-demand product prints the files sent with it: none means a blank print.
    if (ref.files.length === 0) add(`${at}.ref.files`, 'at least one print file, or the product prints blank')
  })
  return problems
}
