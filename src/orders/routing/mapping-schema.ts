// The shape of a variant mapping as ops write it (DESIGN.md "Contracts", PUT
// /v1/mappings), validated field by field so a 400 names what is wrong. Each
// supplier's item reference is its descriptor's schema (src/suppliers/<name>/).
import { z } from 'zod'
import type { Registry } from '../../suppliers/registry.ts'

const text = z.string().trim().min(1, { error: 'must not be empty' }).max(255)

const variantGid = z.string().trim().regex(/^(gid:\/\/shopify\/ProductVariant\/)?\d+$/, { error: 'must be a Shopify variant id (numeric or gid://shopify/ProductVariant/…)' })
  .transform((value) => value.startsWith('gid://') ? value : `gid://shopify/ProductVariant/${value}`)

export const matchSchema = z.object({
  variantId: variantGid.optional(),
  sku: text.optional(),
  skuPrefix: text.optional(),
  vendor: text.optional()
}).strict().superRefine((match, ctx) => {
  const given = Object.values(match).filter((value) => value !== undefined).length
  if (given !== 1) ctx.addIssue({ code: 'custom', message: 'must have exactly one of variantId, sku, skuPrefix, vendor' })
})

/** A mapping as the router and the store use it: where a line goes, in the supplier's own item shape. */
export interface MappingSpec {
  readonly match: MatchInput
  /** A supplier's registry name, or none: shipped by the merchant. */
  readonly supplier: string
  readonly ref?: unknown
  readonly personalization?: string
  readonly placement?: string
  readonly managedBy?: string
}
export type MatchInput = z.output<typeof matchSchema>

interface FixedFields {
  readonly match: MatchInput
  readonly supplier: string
  readonly personalization?: string | undefined
  readonly placement?: string | undefined
  readonly managedBy?: string | undefined
}

/**
 * PUT /v1/mappings' item: `supplier` names a supplier of the registry (or
 * none), and the key of that name holds its item reference in that
 * supplier's shape (DESIGN.md "Contracts": `"printful": { ... }`).
 */
export function mappingInputSchema (registry: Registry) {
  const names = registry.names
  const providers = registry.fileProviders.map((p) => p.name)
  const oneOf = (values: readonly string[]) => values.map((v) => `"${v}"`).join(' or ')
  const provider = z.string().refine((value) => providers.includes(value), { error: `must be ${oneOf(providers)}` })
  const refs: Record<string, z.ZodOptional> = {}
  for (const d of registry.suppliers) refs[d.name] = d.itemRef.schema.optional()
  return z.object({
    match: matchSchema,
    supplier: z.string().refine((value) => value === 'none' || names.includes(value), { error: `must be ${names.join(', ')} or none` }),
    ...refs,
    personalization: provider.optional(),
    placement: text.optional(),
    managedBy: provider.optional()
  }).strict().superRefine((input, ctx) => {
    const m = input as FixedFields
    const given = input as Record<string, unknown>
    const perOrderFile = m.personalization !== undefined && m.placement !== undefined
    for (const d of registry.suppliers) {
      const ref = given[d.name]
      if (m.supplier === d.name && ref === undefined) ctx.addIssue({ code: 'custom', path: [d.name], message: `is required when supplier is ${d.name}` })
      if (m.supplier !== d.name && ref !== undefined) ctx.addIssue({ code: 'custom', path: [d.name], message: `is only for supplier ${d.name} (supplier is ${m.supplier})` })
      // A catalog item prints the files it is given: without a per-order file (personalization + placement) it needs its own.
      if (ref !== undefined && d.itemRef.takesPerOrderFile(ref) && !perOrderFile && !d.itemRef.hasFiles(ref)) {
        ctx.addIssue({ code: 'custom', path: [d.name, d.itemRef.filesField], message: `${d.itemRef.filesMissing}, unless personalization and placement say where the per-order file goes` })
      }
    }
    if (m.personalization !== undefined && m.placement === undefined) ctx.addIssue({ code: 'custom', path: ['placement'], message: 'is required with personalization (where the per-order file goes)' })
  }).transform((input): MappingSpec => {
    const m = input as FixedFields
    const ref = (input as Record<string, unknown>)[m.supplier]
    return {
      match: m.match,
      supplier: m.supplier,
      ...(ref === undefined ? {} : { ref }),
      ...(m.personalization === undefined ? {} : { personalization: m.personalization }),
      ...(m.placement === undefined ? {} : { placement: m.placement }),
      ...(m.managedBy === undefined ? {} : { managedBy: m.managedBy })
    }
  })
}

export type MatchKind = 'variant_id' | 'sku' | 'sku_prefix' | 'vendor'
export type MappingMatch = { variantId: string } | { sku: string } | { skuPrefix: string } | { vendor: string }

export function matchKey (match: MatchInput): { kind: MatchKind, value: string } {
  if (match.variantId !== undefined) return { kind: 'variant_id', value: match.variantId }
  if (match.sku !== undefined) return { kind: 'sku', value: match.sku }
  if (match.skuPrefix !== undefined) return { kind: 'sku_prefix', value: match.skuPrefix }
  return { kind: 'vendor', value: match.vendor ?? '' }
}

export function toMatch (kind: MatchKind, value: string): MappingMatch {
  switch (kind) {
    case 'variant_id': return { variantId: value }
    case 'sku': return { sku: value }
    case 'sku_prefix': return { skuPrefix: value }
    case 'vendor': return { vendor: value }
  }
}
