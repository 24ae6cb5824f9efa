// A Printify item as a mapping names it (DESIGN.md "Contracts", PUT
// /v1/mappings `printify`): an existing product's variant, a variant by SKU,
// or a product made from the order (§2.4 line_items). Ids are accepted as
// numbers or digit strings and stored as strings (rule 6).
import { z } from 'zod'
import { httpUrlText } from '../../lib/env-schemas.ts'
import type { ItemRefKind } from '../common/descriptor.ts'
import type { SupplierVariantRef } from '../common/supplier.ts'

export type PrintifyItemRef =
  | { readonly productId: string, readonly variantId: string }
  | { readonly sku: string }
  | { readonly blueprintId: string, readonly printProviderId: string, readonly variantId: string, readonly printAreas: Readonly<Record<string, string>> }

const numericId = z.union([z.string().trim().regex(/^\d+$/, { error: 'must be a numeric id' }), z.number().int().nonnegative()])
  .transform((value) => String(value))
const text = z.string().trim().min(1, { error: 'must not be empty' }).max(255)

/** As ops write it; a blueprint's print areas default to none (a per-order file fills them at submission). */
export const printifyRefSchema = z.union([
  z.object({ productId: text, variantId: numericId }).strict(),
  z.object({ sku: text }).strict(),
  z.object({ blueprintId: numericId, printProviderId: numericId, variantId: numericId, printAreas: z.record(z.string().min(1), httpUrlText).optional() }).strict()
], { error: 'must be { productId, variantId } or { sku } or { blueprintId, printProviderId, variantId, printAreas }' })
  .transform((ref): PrintifyItemRef => 'blueprintId' in ref ? { blueprintId: ref.blueprintId, printProviderId: ref.printProviderId, variantId: ref.variantId, printAreas: ref.printAreas ?? {} } : ref)

/** The stored shape, read back from a draft or a mapping row (never trusted as typed). */
const storedSchema = z.union([
  z.object({ blueprintId: z.string(), printProviderId: z.string(), variantId: z.string(), printAreas: z.record(z.string(), z.string()) }),
  z.object({ productId: z.string(), variantId: z.string() }),
  z.object({ sku: z.string() })
])

export function storedPrintifyRef (ref: unknown): PrintifyItemRef | undefined {
  const parsed = storedSchema.safeParse(ref)
  return parsed.success ? parsed.data : undefined
}

/** Whether the variant (or SKU, for a line ordered by SKU) Printify reads back is the one we ordered. */
function isOrderedVariant (ordered: PrintifyItemRef | undefined, variant: SupplierVariantRef | undefined, sku: string | undefined): boolean {
  if (!ordered) return false
  if ('sku' in ordered) return sku !== undefined && sku === ordered.sku
  if (!variant) return false
  // A product made from the order gets a new product id: the variant and provider are what we sent.
  if ('blueprintId' in ordered) return variant.variantId === ordered.variantId && (variant.printProviderId === undefined || variant.printProviderId === ordered.printProviderId)
  return variant.productId === ordered.productId && variant.variantId === ordered.variantId
}

export const printifyItemRef: ItemRefKind = {
  schema: printifyRefSchema,
  takesPerOrderFile: (ref) => { const r = storedPrintifyRef(ref); return r !== undefined && 'blueprintId' in r },
  hasFiles: (ref) => { const r = storedPrintifyRef(ref); return r !== undefined && 'blueprintId' in r && Object.keys(r.printAreas).length > 0 },
  filesField: 'printAreas',
  filesMissing: 'a product made from the order needs print areas',
  withFile: (ref, placement, url) => {
    const r = storedPrintifyRef(ref)
    if (!r || !('blueprintId' in r)) return ref
    return { ...r, printAreas: { ...r.printAreas, [placement]: url } }
  },
  isOrdered: (ref, variant, sku) => isOrderedVariant(storedPrintifyRef(ref), variant, sku),
  orderedSku: (ref) => { const r = storedPrintifyRef(ref); return r && 'sku' in r ? r.sku : undefined }
}
