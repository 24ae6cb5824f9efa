// Printful's address and item rules, checked before any request (suppliers.md
// §1.5 and §5.5), so a refusal names the field instead of costing a call.
import { postalCodeRequired, stateCodePattern, usZipPattern } from '../common/countries.ts'
import type { Problem, SupplierOrderDraft } from '../common/supplier.ts'
import { storedPrintfulRef } from './item-ref.ts'

// "At most 32 characters: digits, Latin letters, - and _" (§1.5).
const externalIdPattern = /^[A-Za-z0-9_-]{1,32}$/
const statesRequired = new Set(['US', 'CA', 'AU'])

export function checkPrintfulOrder (draft: SupplierOrderDraft): Problem[] {
  const problems: Problem[] = []
  const add = (field: string, message: string) => { problems.push({ field, message }) }
  if (!externalIdPattern.test(draft.externalId)) add('externalId', 'Printful external_id: at most 32 characters, Latin letters, digits, "-" and "_"')
  const r = draft.recipient
  if (!r.name.trim()) add('recipient.name', 'required by Printful')
  if (!r.address1.trim()) add('recipient.address1', 'required by Printful')
  if (!r.city.trim()) add('recipient.city', 'required by Printful')
  if (!/^[A-Z]{2}$/.test(r.countryCode)) add('recipient.countryCode', 'must be an ISO 3166-1 alpha-2 code')
  if (!r.zip && postalCodeRequired(r.countryCode)) add('recipient.zip', `required by Printful: ${r.countryCode || 'the country'} addresses have postal codes`)
  if (statesRequired.has(r.countryCode) && !r.stateCode) add('recipient.stateCode', `Printful needs a state code for ${r.countryCode} addresses`)
  else if (statesRequired.has(r.countryCode) && !stateCodePattern.test(r.stateCode ?? '')) add('recipient.stateCode', `must be the state's 2- or 3-letter code (e.g. CA, NSW), not "${r.stateCode ?? ''}"`)
  if (r.countryCode === 'US' && r.zip && !usZipPattern.test(r.zip)) add('recipient.zip', 'a US ZIP code is 5 digits (or ZIP+4)')
  // tax_number "in case of Brazil ... becomes required" (Address schema, §1.5).
  if (r.countryCode === 'BR' && !r.taxNumber) add('recipient.taxNumber', 'Printful needs the CPF/CNPJ for Brazil')
  if (draft.items.length === 0) add('items', 'an order needs at least one item')
  const lineRefs = new Set<string>()
  draft.items.forEach((item, index) => {
    const at = `items.${String(index)}`
    if (lineRefs.has(item.lineRef)) add(`${at}.lineRef`, 'item external_id must be unique within the order')
    lineRefs.add(item.lineRef)
    if (!Number.isInteger(item.quantity) || item.quantity < 1 || item.quantity > 1000) add(`${at}.quantity`, 'Printful takes 1 to 1000 per item')
    const ref = storedPrintfulRef(item.ref)
    if (!ref) { add(`${at}.ref`, 'no Printful item for this line'); return }
    if ('syncVariantId' in ref && !/^\d+$/.test(ref.syncVariantId)) add(`${at}.ref.syncVariantId`, 'must be a numeric id')
    if ('variantId' in ref) {
      if (!/^\d+$/.test(ref.variantId)) add(`${at}.ref.variantId`, 'must be a numeric id')
      // Items without files print blank (§5.7); one file per type (OR-12).
      if (ref.files.length === 0) add(`${at}.ref.files`, 'a catalog variant needs at least one print file')
      const types = ref.files.map((file) => file.type)
      if (new Set(types).size !== types.length) add(`${at}.ref.files`, 'one file per type (OR-12 DUPLICATED_FILE_TYPE)')
      for (const file of ref.files) {
        if (/\.(ai|psd|tiff?)$/i.test(new URL(file.url, 'https://x.invalid').pathname)) add(`${at}.ref.files`, `${file.url}: .ai, .psd and .tiff are deprecated at Printful`)
      }
    }
  })
  return problems
}
