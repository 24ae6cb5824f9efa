// Personalized lines: the print file comes per order. The router marks such
// an item with the line's personalization id, its file provider and the
// mapping's placement; here the provider gives the file to print at that
// placement (src/suppliers/<provider>/), and the supplier's item reference
// takes it (its descriptor's itemRef.withFile). A provider may still be
// rendering (Customily takes about 30 minutes, suppliers.md §3), so "not
// ready" is an answer to wait on, up to a bound.
import { z } from 'zod'
import { AppError } from '../../lib/errors.ts'
import type { ItemRefKind } from '../../suppliers/common/descriptor.ts'
import type { SupplierOrderDraft, SupplierOrderItem } from '../../suppliers/common/supplier.ts'
import type { FileProviders, Registry } from '../../suppliers/registry.ts'

/** `provider`: a file provider's registry name. */
export interface Personalization { readonly provider: string, readonly id: string, readonly placement: string }

/** A draft item as the router stores it: the supplier's item plus what must be resolved before sending. */
export type DraftItem = SupplierOrderItem & { readonly personalization?: Personalization }
export type StoredDraft = Omit<SupplierOrderDraft, 'items'> & { readonly items: readonly DraftItem[] }

const text = z.string()
/** supplier_orders.draft as the router writes it (draft.ts), read back at submission. */
export const storedDraftSchema: z.ZodType<StoredDraft> = z.object({
  externalId: text,
  label: text.exactOptional(),
  recipient: z.object({
    name: text, company: text.exactOptional(), address1: text, address2: text.exactOptional(), city: text, stateCode: text.exactOptional(),
    countryCode: text, zip: text.exactOptional(), phone: text.exactOptional(), email: text.exactOptional(), taxNumber: text.exactOptional()
  }),
  items: z.array(z.object({
    lineRef: text, sku: text.exactOptional(), name: text.exactOptional(), quantity: z.number(), retailPrice: text.exactOptional(), ref: z.unknown().exactOptional(),
    personalization: z.object({ provider: text, id: text, placement: text }).exactOptional()
  })),
  shipping: z.union([z.string(), z.number()]).exactOptional(),
  test: z.boolean(),
  currency: text.exactOptional(),
  retailCosts: z.object({ subtotal: text.exactOptional(), discount: text.exactOptional(), shipping: text.exactOptional(), tax: text.exactOptional() }).exactOptional(),
  packingSlip: z.object({ email: text.exactOptional(), phone: text.exactOptional(), message: text.exactOptional(), storeName: text.exactOptional(), logoUrl: text.exactOptional(), customOrderId: text.exactOptional() }).exactOptional()
})

/** One per-order file as resolved: shown on the timeline so ops can see what was printed, and why that file. */
export interface ResolvedFile { readonly provider: string, readonly id: string, readonly placement: string, readonly url: string, readonly why: string }

export type Resolved = { readonly ready: true, readonly draft: SupplierOrderDraft, readonly files: readonly ResolvedFile[] } | { readonly ready: false, readonly waitingFor: string }

export async function resolvePersonalization (draft: StoredDraft, itemRef: ItemRefKind, providers: FileProviders, registry: Registry): Promise<Resolved> {
  const items: SupplierOrderItem[] = []
  const files: ResolvedFile[] = []
  for (const item of draft.items) {
    const { personalization, ...plain } = item
    if (!personalization) {
      items.push(plain)
      continue
    }
    const provider = providers[personalization.provider]
    if (!provider) {
      const known = registry.fileProvider(personalization.provider)
      throw new AppError('not_configured', `line ${item.lineRef} is personalized with ${known?.displayName ?? personalization.provider}, but ${known ? `${known.configureWith} are not both set` : 'no such file provider is known'}`)
    }
    const chosen = await provider.printFile(personalization.id, personalization.placement)
    if (chosen.state === 'not_ready') return { ready: false, waitingFor: personalization.id }
    items.push(withFile(plain, itemRef, personalization.placement, chosen.url))
    files.push({ provider: provider.name, id: personalization.id, placement: personalization.placement, url: chosen.url, why: chosen.why })
  }
  return { ready: true, draft: { ...draft, items }, files }
}

/**
 * The draft as it will be sent, for the router's checks: each per-order file
 * stands in at its placement (its URL is known only at submission), so a
 * catalog item waiting for one is not reported as printing blank.
 */
export function withPendingFiles (draft: StoredDraft, itemRef: ItemRefKind): SupplierOrderDraft {
  return {
    ...draft,
    items: draft.items.map(({ personalization, ...plain }) => personalization && itemRef.takesPerOrderFile(plain.ref)
      ? withFile(plain, itemRef, personalization.placement, `https://${personalization.provider}.invalid/${encodeURIComponent(personalization.id)}`)
      : plain)
  }
}

function withFile (item: SupplierOrderItem, itemRef: ItemRefKind, placement: string, url: string): SupplierOrderItem {
  if (itemRef.takesPerOrderFile(item.ref)) return { ...item, ref: itemRef.withFile(item.ref, placement, url) }
  throw new AppError('bad_request', `line ${item.lineRef} needs a per-order file, but its mapping names a ready-made product; map it to a catalog item with placement "${placement}"`)
}
