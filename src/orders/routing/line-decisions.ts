// Which supplier each line goes to (DESIGN.md "Routing policy"): a pure
// decision per line from its mapping, applied to order_lines by the router.
import type { LineSupplier, SupplierName } from '../../db/schema.ts'
import type { Registry } from '../../suppliers/registry.ts'
import type { MatchResult } from './mappings.ts'
import type { Personalization } from '../submission/personalize.ts'

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
export const nothingLeft = 'nothing left to fulfil'
/** A line a file provider sends to the supplier itself (a mapping's managedBy). */
export function sentBy (provider: string): string {
  return `sent to the supplier by ${provider}`
}
const sentByPattern = /^sent to the supplier by \S+$/
const routerSkipReasons = new Set([shippedByMerchant, nothingLeft])

export type LineDecision =
  | { readonly state: 'routed', readonly supplier: SupplierName, readonly mappingId: string, readonly by: MatchResult['by'], readonly ref?: unknown, readonly personalization?: Personalization, readonly problem?: string }
  | { readonly state: 'skipped', readonly supplier: LineSupplier | null, readonly mappingId: string | null, readonly reason: string }
  | { readonly state: 'unroutable', readonly reason: string }

/** Lines the router decides; the rest were skipped by order.sync (gift card, no shipping, fulfillment service) and stay so. */
export function routerOwns (line: RouterLine): boolean {
  if (line.state === 'pending' || line.state === 'routed' || line.state === 'unroutable') return true
  return line.state === 'skipped' && line.reason !== null && (routerSkipReasons.has(line.reason) || sentByPattern.test(line.reason))
}

/** What a line needs besides its row: the Shopify line's properties, the names that may hold a personalization id (per file provider), the registry. */
export interface LineProperties {
  readonly properties: readonly { readonly name: string, readonly value: string }[]
  readonly personalizationNames: Readonly<Record<string, readonly string[]>>
  readonly registry: Registry
}

export function decideLine (line: RouterLine, match: MatchResult | undefined, context: LineProperties): LineDecision {
  if (line.routable_quantity <= 0) return { state: 'skipped', supplier: line.supplier, mappingId: line.mapping_id, reason: nothingLeft }
  if (!match) return { state: 'unroutable', reason: unroutableReason(line) }
  const m = match.mapping
  if (m.supplier === 'none') return { state: 'skipped', supplier: 'none', mappingId: m.id, reason: shippedByMerchant }
  const manager = m.managed_by ? context.registry.fileProvider(m.managed_by) : undefined
  if (m.managed_by) return { state: 'skipped', supplier: m.supplier, mappingId: m.id, reason: sentBy(manager?.displayName ?? m.managed_by) }
  const routed = { state: 'routed', supplier: m.supplier, mappingId: m.id, by: match.by, ...(m.ref === null || m.ref === undefined ? {} : { ref: m.ref }) } as const
  if (!m.personalization) return routed
  // The mapping schema checks the provider; this guards rows written another way.
  const provider = context.registry.fileProvider(m.personalization)
  if (!provider) return { ...routed, problem: `line ${lineName(line)}: unknown personalization provider "${m.personalization}"` }
  // The print file comes per order: the line must say which personalization it is.
  const names = context.personalizationNames[provider.name] ?? []
  const id = personalizationId(context.properties, names)
  if (id === undefined) {
    return { state: 'unroutable', reason: `${lineName(line)} is personalized with ${provider.displayName}, but the line has no personalization id (looked for the line properties ${names.join(', ') || '(none)'}; set ${provider.propertiesSetting} to the name ${provider.displayName} writes)` }
  }
  if (!m.placement) return { ...routed, problem: `line ${lineName(line)}: the mapping is personalized but names no placement for the per-order file` }
  const itemRef = context.registry.supplier(m.supplier)?.itemRef
  if (!itemRef?.takesPerOrderFile(m.ref)) {
    return { ...routed, problem: `line ${lineName(line)}: a per-order file needs a catalog item, but the mapping names a ready-made product, which prints its stored design` }
  }
  return { ...routed, personalization: { provider: provider.name, id, placement: m.placement } }
}

/** The first of the configured property names that holds a value, in the configured order. */
export function personalizationId (properties: LineProperties['properties'], personalizationNames: readonly string[]): string | undefined {
  for (const name of personalizationNames) {
    const value = properties.find((p) => p.name === name)?.value.trim()
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
