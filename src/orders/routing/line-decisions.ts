// Which supplier each line goes to (DESIGN.md "Routing policy"): a pure
// decision per line from its mapping, applied to order_lines by the router.
import type { LineSupplier, SupplierName } from '../../db/schema.ts'
import type { PrintfulItemRef, PrintifyItemRef } from '../../suppliers/common/supplier.ts'
import type { MatchResult } from './mappings.ts'
import { takesPerOrderFile, type Personalization } from '../submission/personalize.ts'

export type LineState = 'pending' | 'routed' | 'skipped' | 'unroutable' | 'removed'

export interface RouterLine {
  readonly id: string
  readonly shopify_line_item_id: string
  readonly variant_id: string | null
  readonly sku: string | null
  readonly vendor: string | null
  readonly title: string | null
  readonly routable_quantity: number
  readonly state: LineState
  readonly supplier: LineSupplier | null
  readonly mapping_id: string | null
  readonly reason: string | null
}

export const shippedByMerchant = 'shipped by the merchant'
export const sentByCustomily = 'sent to the supplier by Customily'
export const nothingLeft = 'nothing left to fulfil'
const routerSkipReasons = new Set([shippedByMerchant, sentByCustomily, nothingLeft])

export type LineDecision =
  | { readonly state: 'routed', readonly supplier: SupplierName, readonly mappingId: string, readonly by: MatchResult['by'], readonly printful?: PrintfulItemRef, readonly printify?: PrintifyItemRef, readonly personalization?: Personalization, readonly problem?: string }
  | { readonly state: 'skipped', readonly supplier: LineSupplier | null, readonly mappingId: string | null, readonly reason: string }
  | { readonly state: 'unroutable', readonly reason: string }

/** Lines the router decides; the rest were skipped by order.sync (gift card, no shipping, fulfillment service) and stay so. */
export function routerOwns (line: RouterLine): boolean {
  if (line.state === 'pending' || line.state === 'routed' || line.state === 'unroutable') return true
  return line.state === 'skipped' && line.reason !== null && routerSkipReasons.has(line.reason)
}

/** What a personalized line needs besides its row: the Shopify line's properties and the names that may hold the id (CUSTOMILY_PROPERTIES). */
export interface LineProperties {
  readonly properties: readonly { readonly name: string, readonly value: string }[]
  readonly personalizationNames: readonly string[]
}

const noProperties: LineProperties = { properties: [], personalizationNames: [] }

export function decideLine (line: RouterLine, match: MatchResult | undefined, context: LineProperties = noProperties): LineDecision {
  if (line.routable_quantity <= 0) return { state: 'skipped', supplier: line.supplier, mappingId: line.mapping_id, reason: nothingLeft }
  if (!match) return { state: 'unroutable', reason: unroutableReason(line) }
  const m = match.mapping
  if (m.supplier === 'none') return { state: 'skipped', supplier: 'none', mappingId: m.id, reason: shippedByMerchant }
  if (m.managed_by === 'customily') return { state: 'skipped', supplier: m.supplier, mappingId: m.id, reason: sentByCustomily }
  const refs = {
    ...(m.printful ? { printful: m.printful as PrintfulItemRef } : {}),
    ...(m.printify ? { printify: m.printify as PrintifyItemRef } : {})
  }
  const routed = { state: 'routed', supplier: m.supplier, mappingId: m.id, by: match.by, ...refs } as const
  if (!m.personalization) return routed
  // The print file comes per order: the line must say which personalization it is.
  const id = personalizationId(context)
  if (id === undefined) {
    const names = context.personalizationNames.join(', ')
    return { state: 'unroutable', reason: `${lineName(line)} is personalized with Customily, but the line has no personalization id (looked for the line properties ${names || '(none: CUSTOMILY_PROPERTIES is empty)'}; set CUSTOMILY_PROPERTIES to the name Customily writes)` }
  }
  // The mapping schema asks for both; these guard rows written another way.
  if (m.personalization !== 'customily') return { ...routed, problem: `line ${lineName(line)}: unknown personalization provider "${m.personalization}"` }
  if (!m.placement) return { ...routed, problem: `line ${lineName(line)}: the mapping is personalized but names no placement for the per-order file` }
  const ref = m.supplier === 'printful' ? { printful: refs.printful } : { printify: refs.printify }
  if (!takesPerOrderFile(ref)) {
    return { ...routed, problem: `line ${lineName(line)}: a per-order file needs a catalog item (Printful variantId, Printify blueprintId), but the mapping names a ready-made product, which prints its stored design` }
  }
  return { ...routed, personalization: { provider: 'customily', id, placement: m.placement } }
}

/** The first of the configured property names that holds a value, in the configured order. */
export function personalizationId (context: LineProperties): string | undefined {
  for (const name of context.personalizationNames) {
    const value = context.properties.find((p) => p.name === name)?.value.trim()
    if (value) return value
  }
  return undefined
}

export function lineName (line: Pick<RouterLine, 'sku' | 'title' | 'variant_id'>): string {
  if (line.sku) return `SKU ${line.sku}`
  return `"${line.title ?? 'untitled'}" (no SKU${line.variant_id ? `, variant ${line.variant_id}` : ''})`
}

function unroutableReason (line: RouterLine): string {
  return `no mapping for ${lineName(line)}`
}

/** The line row's routing columns for a decision. */
export function lineColumns (decision: LineDecision): { state: LineState, supplier: LineSupplier | null, mapping_id: string | null, reason: string | null } {
  switch (decision.state) {
    case 'routed': return { state: 'routed', supplier: decision.supplier, mapping_id: decision.mappingId, reason: null }
    case 'skipped': return { state: 'skipped', supplier: decision.supplier, mapping_id: decision.mappingId, reason: decision.reason }
    case 'unroutable': return { state: 'unroutable', supplier: null, mapping_id: null, reason: decision.reason }
  }
}
