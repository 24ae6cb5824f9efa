// A Gelato item as a mapping names it (DESIGN.md "Contracts", PUT /v1/mappings
// `gelato`): a catalog product by its productUid, with the print files Gelato
// fetches by URL (v4/create items[].files: [{type, url}], type "default" for
// the front, "back" and others for other areas). A per-order file (Customily)
// is added as one more file at the mapping's placement.
import { z } from 'zod'
import { httpUrlText } from '../../lib/env-schemas.ts'
import type { ItemRefKind } from '../common/descriptor.ts'

export interface GelatoItemRef {
  readonly productUid: string
  readonly files: readonly { readonly type: string, readonly url: string }[]
}

const text = z.string().trim().min(1, { error: 'must not be empty' }).max(255)

/** As ops write it; files default to none (a per-order file fills them at submission). */
export const gelatoRefSchema = z.object({
  productUid: z.string().trim().min(1, { error: 'must not be empty' }).max(500),
  files: z.array(z.object({ type: text, url: httpUrlText }).strict()).max(20).optional()
}, { error: 'must be { productUid, files?: [{ type, url }] }' }).strict()
  .transform((ref): GelatoItemRef => ({ productUid: ref.productUid, files: ref.files ?? [] }))

/** The stored shape, read back from a draft or a mapping row (never trusted as typed). */
const storedSchema = z.object({ productUid: z.string(), files: z.array(z.object({ type: z.string(), url: z.string() })) })

export function storedGelatoRef (ref: unknown): GelatoItemRef | undefined {
  const parsed = storedSchema.safeParse(ref)
  return parsed.success ? parsed.data : undefined
}

export const gelatoItemRef: ItemRefKind = {
  schema: gelatoRefSchema,
  // Every Gelato product is printed from the files sent with the order.
  takesPerOrderFile: (ref) => storedGelatoRef(ref) !== undefined,
  hasFiles: (ref) => (storedGelatoRef(ref)?.files.length ?? 0) > 0,
  filesField: 'files',
  filesMissing: 'a Gelato product prints the files sent with the order: give at least one',
  withFile: (ref, placement, url) => {
    const r = storedGelatoRef(ref)
    if (!r) return ref
    return { ...r, files: [...r.files.filter((f) => f.type !== placement), { type: placement, url }] }
  },
  // Shipments name our line (itemReferenceId): the variant is only a fallback.
  isOrdered: (ref, variant) => variant !== undefined && variant.variantId === storedGelatoRef(ref)?.productUid,
  orderedSku: () => undefined
}
