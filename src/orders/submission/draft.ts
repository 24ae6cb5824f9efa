// The supplier order draft the router stores in supplier_orders.draft and
// supplier.submit sends: recipient from the snapshot, items from the lines'
// mappings, the shipping method from SHIPPING_METHODS. Pure functions.
import type { Config } from '../../config.ts'
import type { SupplierName } from '../../db/schema.ts'
import type { OrderSnapshot } from '../../shopify/order-snapshot.ts'
import type { Problem, SupplierRecipient } from '../../suppliers/common/supplier.ts'
import type { DraftItem, Personalization, StoredDraft } from './personalize.ts'

/** `pb-<Shopify legacy order id>-<supplier's letter><generation>`, and `-<sequence>` for a follow-up (DESIGN.md "external_id"). */
export function externalId (legacyOrderId: string, supplierLetter: string, generation: number, sequence: number): string {
  return `pb-${legacyOrderId}-${supplierLetter}${String(generation)}${sequence > 0 ? `-${String(sequence)}` : ''}`
}

export interface DraftLine {
  /** order_lines.id: the item's lineRef, sent as the supplier's item external id. */
  readonly id: string
  readonly shopifyLineItemId: string
  readonly sku: string | null
  readonly title: string | null
  readonly quantity: number
  /** What the mapping orders, in the supplier's item shape. */
  readonly ref?: unknown
  /** A per-order file to fetch at submission (personalize.ts). */
  readonly personalization?: Personalization
}

export interface DraftInput {
  readonly snapshot: OrderSnapshot
  readonly supplier: SupplierName
  readonly externalId: string
  readonly lines: readonly DraftLine[]
  readonly shippingMethods: Config['env']['SHIPPING_METHODS']
}

export function buildDraft (input: DraftInput): StoredDraft {
  const { snapshot, supplier } = input
  const shipping = shippingMethod(snapshot, supplier, input.shippingMethods)
  return {
    externalId: input.externalId,
    label: snapshot.name,
    recipient: recipientOf(snapshot),
    items: input.lines.map((line) => item(snapshot, line)),
    ...(shipping === undefined ? {} : { shipping }),
    test: snapshot.test,
    currency: snapshot.currencyCode
  }
}

function item (snapshot: OrderSnapshot, line: DraftLine): DraftItem {
  const shopifyLine = snapshot.lines.find((l) => l.id === line.shopifyLineItemId)
  const name = shopifyLine ? [shopifyLine.title, shopifyLine.variantTitle].filter(Boolean).join(' - ') : line.title
  return {
    lineRef: line.id,
    ...(line.sku ? { sku: line.sku } : {}),
    ...(name ? { name } : {}),
    quantity: line.quantity,
    ...(shopifyLine ? { retailPrice: shopifyLine.unitPrice.amount } : {}),
    ...(line.ref === undefined ? {} : { ref: line.ref }),
    ...(line.personalization ? { personalization: line.personalization } : {})
  }
}

/** Empty strings where Shopify gave nothing: the supplier's check names each missing field. */
export function recipientOf (snapshot: OrderSnapshot): SupplierRecipient {
  const a = snapshot.shippingAddress
  const countryCode = a?.countryCode?.trim().toUpperCase() ?? ''
  const name = a?.name?.trim() || [a?.firstName, a?.lastName].filter((part) => part?.trim()).join(' ')
  const taxNumber = taxCredential(snapshot, countryCode)
  const optional = {
    company: a?.company?.trim(),
    address2: a?.address2?.trim(),
    stateCode: a?.provinceCode?.trim().toUpperCase(),
    zip: a?.zip?.trim(),
    phone: a?.phone?.trim(),
    email: snapshot.email?.trim(),
    taxNumber
  }
  return {
    name,
    address1: a?.address1?.trim() ?? '',
    city: a?.city?.trim() ?? '',
    countryCode,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined && value !== ''))
  }
}

/** Brazil's CPF/CNPJ arrives as the order's TAX_CREDENTIAL_BR localized field. */
function taxCredential (snapshot: OrderSnapshot, countryCode: string): string | undefined {
  const fields = snapshot.localizedFields.filter((f) => f.countryCode.toUpperCase() === countryCode && f.value.trim() !== '')
  const field = fields.find((f) => f.key === `TAX_CREDENTIAL_${countryCode}`) ?? fields.find((f) => f.key.startsWith('TAX_CREDENTIAL') || f.purpose === 'TAX')
  return field?.value.trim()
}

/** By the first shipping line's title, then its code, else "*"; absent = the supplier's standard. */
export function shippingMethod (snapshot: OrderSnapshot, supplier: SupplierName, methods: Config['env']['SHIPPING_METHODS']): string | number | undefined {
  const line = snapshot.shippingLines[0]
  const entry = (line ? methods[line.title] ?? (line.code ? methods[line.code] : undefined) : undefined) ?? methods['*']
  return entry?.[supplier]
}

/** Problems the router finds before the supplier's own check: what no supplier could ship. */
export function orderProblems (snapshot: OrderSnapshot): Problem[] {
  if (!snapshot.shippingAddress) return [{ field: 'recipient', message: 'the order has no shipping address (Shopify sends none without protected customer data access)' }]
  return []
}
