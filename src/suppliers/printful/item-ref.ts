// A Printful item as a mapping names it (DESIGN.md "Contracts", PUT
// /v1/mappings `printful`): a sync variant, a sync variant by its external id,
// or a catalog variant with print files (§1.5 items). Ids are accepted as
// numbers or digit strings and stored as strings (rule 6).
import { z } from 'zod'
import { httpUrlText } from '../../lib/env-schemas.ts'
import type { ItemRefKind } from '../common/descriptor.ts'

export type PrintfulItemRef =
  | { readonly syncVariantId: string }
  | { readonly externalVariantId: string }
  | { readonly variantId: string, readonly files: readonly { readonly type: string, readonly url: string }[] }

const numericId = z.union([z.string().trim().regex(/^\d+$/, { error: 'must be a numeric id' }), z.number().int().nonnegative()])
  .transform((value) => String(value))
const text = z.string().trim().min(1, { error: 'must not be empty' }).max(255)

/** As ops write it; a catalog variant's files default to none (a per-order file fills them at submission). */
export const printfulRefSchema = z.union([
  z.object({ syncVariantId: numericId }).strict(),
  z.object({ externalVariantId: text }).strict(),
  z.object({ variantId: numericId, files: z.array(z.object({ type: text, url: httpUrlText }).strict()).max(20).optional() }).strict()
], { error: 'must be { syncVariantId } or { externalVariantId } or { variantId, files: [{ type, url }] }' })
  .transform((ref): PrintfulItemRef => 'variantId' in ref ? { variantId: ref.variantId, files: ref.files ?? [] } : ref)

/** The stored shape, read back from a draft or a mapping row (never trusted as typed). */
const storedSchema = z.union([
  z.object({ syncVariantId: z.string() }),
  z.object({ externalVariantId: z.string() }),
  z.object({ variantId: z.string(), files: z.array(z.object({ type: z.string(), url: z.string() })) })
])

export function storedPrintfulRef (ref: unknown): PrintfulItemRef | undefined {
  const parsed = storedSchema.safeParse(ref)
  return parsed.success ? parsed.data : undefined
}

export const printfulItemRef: ItemRefKind = {
  schema: printfulRefSchema,
  takesPerOrderFile: (ref) => { const r = storedPrintfulRef(ref); return r !== undefined && 'variantId' in r },
  hasFiles: (ref) => { const r = storedPrintfulRef(ref); return r !== undefined && 'variantId' in r && r.files.length > 0 },
  filesField: 'files',
  filesMissing: 'a catalog variant needs print files',
  withFile: (ref, placement, url) => {
    const r = storedPrintfulRef(ref)
    if (!r || !('variantId' in r)) return ref
    return { variantId: r.variantId, files: [...r.files.filter((file) => file.type !== placement), { type: placement, url }] }
  },
  // Printful names our line in its shipments (item external_id), so variants are never matched.
  isOrdered: () => false,
  orderedSku: () => undefined
}
