// The mappings the push makes (issue 18): every pushed variant is mapped to
// the supplier variant it is, at the moment it is pushed, so its first order
// routes with no hand work. They carry source 'push'; a mapping someone made
// for the same store variant (by hand, 'ops', or from a catalog import) is a
// decision and wins: the push leaves it and says so. A variant gone from the
// supplier loses its pushed mapping, and open orders that still need it are
// flagged (src/orders/routing/removed-variants.ts): a supplier order not sent
// yet goes to needs_attention, a line not routed yet gets a timeline note.
import type { Trx } from '../db/database.ts'
import { upsertMappings } from '../orders/routing/mappings.ts'
import type { MappingSpec } from '../orders/routing/mapping-schema.ts'
import { flagOrdersForRemovedVariants } from '../orders/routing/removed-variants.ts'

export const PUSH_SOURCE = 'push'

export interface PushedVariant {
  /** gid://shopify/ProductVariant/… */
  readonly storeVariantId: string
  readonly supplierVariantId: string
  /** The supplier's item reference, already validated by its schema. */
  readonly ref: unknown
}

export interface MappingOutcome {
  readonly written: number
  /** Store variants whose mapping someone else made: kept as it is. */
  readonly kept: readonly { readonly storeVariantId: string, readonly source: string }[]
  readonly removed: readonly string[]
  /** Orders (our ids) flagged because a variant they still need lost its mapping. */
  readonly flaggedOrders: readonly string[]
}

export async function writePushMappings (trx: Trx, supplier: string, variants: readonly PushedVariant[]): Promise<{ written: number, kept: MappingOutcome['kept'] }> {
  if (variants.length === 0) return { written: 0, kept: [] }
  const existing = await trx.selectFrom('variant_mappings').select(['match_value', 'source'])
    .where('match_kind', '=', 'variant_id').where('match_value', 'in', variants.map((v) => v.storeVariantId)).execute()
  const others = new Map(existing.filter((m) => m.source !== PUSH_SOURCE).map((m) => [m.match_value, m.source]))
  const specs: MappingSpec[] = variants.filter((v) => !others.has(v.storeVariantId))
    .map((v) => ({ match: { variantId: v.storeVariantId }, supplier, ref: v.ref }))
  const written = specs.length > 0 ? await upsertMappings(trx, specs, PUSH_SOURCE) : 0
  return { written, kept: [...others].map(([storeVariantId, source]) => ({ storeVariantId, source })) }
}

/**
 * Deletes the push's mappings of these store variants (never anyone else's)
 * and flags the open orders that still need one: a line not routed yet, or
 * routed into a supplier order that was not sent (that one goes to needs_attention).
 */
export async function removePushMappings (trx: Trx, storeVariantIds: readonly string[], why: string, actor: string): Promise<{ removed: string[], flaggedOrders: string[] }> {
  if (storeVariantIds.length === 0) return { removed: [], flaggedOrders: [] }
  const removed = await trx.deleteFrom('variant_mappings')
    .where('source', '=', PUSH_SOURCE).where('match_kind', '=', 'variant_id').where('match_value', 'in', [...storeVariantIds])
    .returning('match_value').execute()
  const gone = removed.map((r) => r.match_value)
  if (gone.length === 0) return { removed: [], flaggedOrders: [] }
  return { removed: gone, flaggedOrders: await flagOrdersForRemovedVariants(trx, gone, why, actor) }
}
