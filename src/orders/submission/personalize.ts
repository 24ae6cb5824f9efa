// Customily-personalized lines: the print file comes per order. The router
// marks such an item with the line's personalization id and the mapping's
// placement; here the id is resolved through Customily to its files, the one
// to print is chosen by format and placement (print-file.ts), and it becomes
// the print file at that placement (Printful `files`, Printify `print_areas`).
// Customily renders for a while after the order (about 30 minutes, suppliers.md
// §3), so "not ready" is an answer to wait on, up to a bound.
import { AppError } from '../../lib/errors.ts'
import type { CustomilyClient } from '../../suppliers/customily/client.ts'
import { choosePrintFile } from '../../suppliers/customily/print-file.ts'
import type { PrintfulItemRef, PrintifyItemRef, SupplierOrderDraft, SupplierOrderItem } from '../../suppliers/common/supplier.ts'

export interface Personalization { readonly provider: 'customily', readonly id: string, readonly placement: string }

/** A draft item as the router stores it: the supplier's item plus what must be resolved before sending. */
export type DraftItem = SupplierOrderItem & { readonly personalization?: Personalization }
export type StoredDraft = Omit<SupplierOrderDraft, 'items'> & { readonly items: readonly DraftItem[] }

/** One per-order file as resolved: shown on the timeline so ops can see what was printed, and why that file. */
export interface ResolvedFile { readonly id: string, readonly placement: string, readonly url: string, readonly why: string }

export type Resolved = { readonly ready: true, readonly draft: SupplierOrderDraft, readonly files: readonly ResolvedFile[] } | { readonly ready: false, readonly waitingFor: string }

export async function resolvePersonalization (draft: StoredDraft, customily: CustomilyClient | undefined): Promise<Resolved> {
  const items: SupplierOrderItem[] = []
  const files: ResolvedFile[] = []
  for (const item of draft.items) {
    const { personalization, ...plain } = item
    if (!personalization) {
      items.push(plain)
      continue
    }
    if (!customily) throw new AppError('not_configured', `line ${item.lineRef} is personalized with Customily, but CUSTOMILY_API_KEY and CUSTOMILY_SHOP_DOMAIN are not both set`)
    const found = await customily.personalization(personalization.id)
    if (found.state === 'not_ready') return { ready: false, waitingFor: personalization.id }
    const chosen = choosePrintFile(found, personalization.placement)
    items.push(withFile(plain, personalization.placement, chosen.url))
    files.push({ id: personalization.id, placement: personalization.placement, url: chosen.url, why: chosen.why })
  }
  return { ready: true, draft: { ...draft, items }, files }
}

/** Whether a supplier item can take a per-order file: a catalog item, not a ready-made product (which prints its stored design). */
export function takesPerOrderFile (item: { readonly printful?: PrintfulItemRef | undefined, readonly printify?: PrintifyItemRef | undefined }): boolean {
  return (item.printful !== undefined && 'variantId' in item.printful) || (item.printify !== undefined && 'blueprintId' in item.printify)
}

/**
 * The draft as it will be sent, for the router's checks: each per-order file
 * stands in at its placement (its URL is known only at submission), so a
 * catalog item waiting for one is not reported as printing blank.
 */
export function withPendingFiles (draft: StoredDraft): SupplierOrderDraft {
  return {
    ...draft,
    items: draft.items.map(({ personalization, ...plain }) => personalization && takesPerOrderFile(plain)
      ? withFile(plain, personalization.placement, `https://customily.invalid/${encodeURIComponent(personalization.id)}`)
      : plain)
  }
}

function withFile (item: SupplierOrderItem, placement: string, url: string): SupplierOrderItem {
  if (item.printful && 'variantId' in item.printful) {
    const others = item.printful.files.filter((file) => file.type !== placement)
    return { ...item, printful: { variantId: item.printful.variantId, files: [...others, { type: placement, url }] } }
  }
  if (item.printify && 'blueprintId' in item.printify) {
    return { ...item, printify: { ...item.printify, printAreas: { ...item.printify.printAreas, [placement]: url } } }
  }
  throw new AppError('bad_request', `line ${item.lineRef} needs a per-order file, but its mapping names a ready-made product; map it to a catalog variant (Printful variantId, Printify blueprint) with placement "${placement}"`)
}
