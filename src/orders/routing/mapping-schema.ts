// The shape of a variant mapping as ops write it (DESIGN.md "Contracts", PUT
// /v1/mappings), validated field by field so a 400 names what is wrong. Ids
// are accepted as numbers or digit strings and stored as strings (rule 6).
import { z } from 'zod'
import type { PrintfulItemRef, PrintifyItemRef } from '../../suppliers/common/supplier.ts'

const numericId = z.union([z.string().trim().regex(/^\d+$/, { error: 'must be a numeric id' }), z.number().int().nonnegative()])
  .transform((value) => String(value))
const text = z.string().trim().min(1, { error: 'must not be empty' }).max(255)
const fileUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })

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

const printfulRefSchema = z.union([
  z.object({ syncVariantId: numericId }).strict(),
  z.object({ externalVariantId: text }).strict(),
  z.object({ variantId: numericId, files: z.array(z.object({ type: text, url: fileUrl }).strict()).max(20).optional() }).strict()
], { error: 'must be { syncVariantId } or { externalVariantId } or { variantId, files: [{ type, url }] }' })

const printifyRefSchema = z.union([
  z.object({ productId: text, variantId: numericId }).strict(),
  z.object({ sku: text }).strict(),
  z.object({ blueprintId: numericId, printProviderId: numericId, variantId: numericId, printAreas: z.record(z.string().min(1), fileUrl).optional() }).strict()
], { error: 'must be { productId, variantId } or { sku } or { blueprintId, printProviderId, variantId, printAreas }' })

export const mappingInputSchema = z.object({
  match: matchSchema,
  supplier: z.enum(['printful', 'printify', 'none'], { error: 'must be printful, printify or none' }),
  printful: printfulRefSchema.optional(),
  printify: printifyRefSchema.optional(),
  personalization: z.literal('customily', { error: 'must be "customily"' }).optional(),
  placement: text.optional(),
  managedBy: z.literal('customily', { error: 'must be "customily"' }).optional()
}).strict().superRefine((m, ctx) => {
  const perOrderFile = m.personalization !== undefined && m.placement !== undefined
  if (m.supplier === 'printful' && !m.printful) ctx.addIssue({ code: 'custom', path: ['printful'], message: 'is required when supplier is printful' })
  if (m.supplier === 'printify' && !m.printify) ctx.addIssue({ code: 'custom', path: ['printify'], message: 'is required when supplier is printify' })
  if (m.supplier !== 'printful' && m.printful) ctx.addIssue({ code: 'custom', path: ['printful'], message: `is only for supplier printful (supplier is ${m.supplier})` })
  if (m.supplier !== 'printify' && m.printify) ctx.addIssue({ code: 'custom', path: ['printify'], message: `is only for supplier printify (supplier is ${m.supplier})` })
  // A catalog item prints the files it is given: without a per-order file (personalization + placement) it needs its own.
  if (m.printful && 'variantId' in m.printful && !perOrderFile && (m.printful.files ?? []).length === 0) {
    ctx.addIssue({ code: 'custom', path: ['printful', 'files'], message: 'a catalog variant needs print files, unless personalization and placement say where the per-order file goes' })
  }
  if (m.printify && 'blueprintId' in m.printify && !perOrderFile && Object.keys(m.printify.printAreas ?? {}).length === 0) {
    ctx.addIssue({ code: 'custom', path: ['printify', 'printAreas'], message: 'a product made from the order needs print areas, unless personalization and placement say where the per-order file goes' })
  }
  if (m.personalization !== undefined && m.placement === undefined) ctx.addIssue({ code: 'custom', path: ['placement'], message: 'is required with personalization (where the per-order file goes)' })
})

export type MappingInput = z.output<typeof mappingInputSchema>
export type MatchKind = 'variant_id' | 'sku' | 'sku_prefix' | 'vendor'
export type MappingMatch = { variantId: string } | { sku: string } | { skuPrefix: string } | { vendor: string }

export function matchKey (match: MappingInput['match']): { kind: MatchKind, value: string } {
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

/** The stored refs use the supplier interface's types; a per-order file fills `files`/`printAreas` later. */
export function printfulRef (ref: NonNullable<MappingInput['printful']>): PrintfulItemRef {
  if ('variantId' in ref) return { variantId: ref.variantId, files: ref.files ?? [] }
  return ref
}

export function printifyRef (ref: NonNullable<MappingInput['printify']>): PrintifyItemRef {
  if ('blueprintId' in ref) return { blueprintId: ref.blueprintId, printProviderId: ref.printProviderId, variantId: ref.variantId, printAreas: ref.printAreas ?? {} }
  return ref
}
