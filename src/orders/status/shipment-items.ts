// Which of our order lines a supplier's parcel holds. Pure: shipments.ts loads
// the lines and records the answer.
//
// Evidence, best first: our line id where the supplier echoes it (Printful item
// external_id); the variant we ordered by, as the supplier's item reference
// recognises it (its descriptor's itemRef.isOrdered); the supplier's own SKU
// as its order reads gave it for the line (Printify's shipment webhooks name
// nothing else, suppliers.md §2.5, and its SKU is the store's only for
// products published from Printify); the SKU we ordered by; last, the store's SKU.
import type { SupplierLineIdentity, SupplierShipment, SupplierShipmentItem, SupplierVariantRef } from '../../suppliers/common/supplier.ts'

export interface ShipmentItem { readonly orderLineId: string, readonly quantity: number }

export interface LineRef {
  readonly orderLineId: string
  /** The store's SKU. */
  readonly sku: string | null
  /** The supplier's SKU for the line, learned from its order reads. */
  readonly supplierSku: string | null
  /** Whether the supplier's variant (or SKU) is what we ordered the line by (the stored draft's item reference). */
  readonly isOrdered?: ((variant: SupplierVariantRef | undefined, sku: string | undefined) => boolean) | undefined
  /** The SKU we ordered the line by, where we ordered by SKU. */
  readonly orderedSku?: string | undefined
  readonly quantity: number
}

export interface MapContext {
  /** No other parcel of this supplier order is known. */
  readonly onlyShipment: boolean
  /** The supplier says the whole order has shipped: with onlyShipment, this parcel holds every line. */
  readonly wholeOrder: boolean
}

export interface MappedItems {
  /** Quantities this parcel adds: what earlier parcels had not covered yet. */
  readonly items: ShipmentItem[]
  /** Lines it names that earlier parcels already covered, when it adds nothing: a reshipment of them. */
  readonly reshipped: ShipmentItem[]
}

/** Our lines the item may be, by the best evidence it carries; two lines may share a variant or SKU. */
export function candidateLines (item: SupplierShipmentItem, lines: readonly LineRef[]): LineRef[] {
  if (item.lineRef) {
    const line = lines.find((l) => l.orderLineId === item.lineRef)
    if (line) return [line]
  }
  if (item.variant) {
    const byVariant = lines.filter((l) => l.isOrdered?.(item.variant, item.sku) ?? false)
    if (byVariant.length > 0) return byVariant
  }
  const sku = item.sku
  if (!sku) return []
  for (const match of [(l: LineRef) => l.supplierSku === sku, (l: LineRef) => l.orderedSku === sku, (l: LineRef) => l.sku === sku]) {
    const found = lines.filter(match)
    if (found.length > 0) return found
  }
  return []
}

/** The supplier's SKU per line where its order read tells us one we did not know: line id → SKU. */
export function learnedSkus (lines: readonly LineRef[], identities: readonly SupplierLineIdentity[]): Map<string, string> {
  const learned = new Map<string, string>()
  for (const identity of identities) {
    if (!identity.sku) continue
    for (const line of lines) {
      if (line.supplierSku !== identity.sku && (line.isOrdered?.(identity.variant, identity.sku) ?? false)) learned.set(line.orderLineId, identity.sku)
    }
  }
  return learned
}

/** Our lines for the supplier's items; `shippedBefore` is what earlier parcels already covered, per line. */
export function mapItems (shipment: SupplierShipment, lines: readonly LineRef[], context: MapContext, shippedBefore: ReadonlyMap<string, number>): MappedItems {
  const items: ShipmentItem[] = []
  const reshipped = new Map<string, number>()
  const left = new Map(lines.map((line) => [line.orderLineId, line.quantity - (shippedBefore.get(line.orderLineId) ?? 0)]))
  const take = (line: LineRef, wanted: number | undefined): number => {
    const available = left.get(line.orderLineId) ?? 0
    const quantity = Math.min(available, wanted ?? available)
    if (quantity <= 0) return 0
    left.set(line.orderLineId, available - quantity)
    items.push({ orderLineId: line.orderLineId, quantity })
    return quantity
  }
  for (const item of shipment.items) {
    // Fill the candidates in order, each up to what it still owes.
    let wanted = item.quantity
    const found = candidateLines(item, lines)
    for (const line of found) {
      const taken = take(line, wanted)
      if (wanted === undefined) continue
      wanted -= taken
      if (wanted <= 0) break
    }
    // What is left of the item was carried before: the parcel carries it again.
    const again = found.find((line) => (shippedBefore.get(line.orderLineId) ?? 0) > 0)
    if (again && (wanted === undefined || wanted > 0)) reshipped.set(again.orderLineId, Math.min(again.quantity, (reshipped.get(again.orderLineId) ?? 0) + (wanted ?? again.quantity)))
  }
  const nothingNamed = items.length === 0 && shipment.items.length === 0
  if (context.onlyShipment && (context.wholeOrder || nothingNamed)) for (const line of lines) take(line, undefined)
  const added = merge(items)
  return { items: added, reshipped: added.length === 0 ? [...reshipped].map(([orderLineId, quantity]) => ({ orderLineId, quantity })) : [] }
}

function merge (items: readonly ShipmentItem[]): ShipmentItem[] {
  const byLine = new Map<string, number>()
  for (const item of items) byLine.set(item.orderLineId, (byLine.get(item.orderLineId) ?? 0) + item.quantity)
  return [...byLine].map(([orderLineId, quantity]) => ({ orderLineId, quantity }))
}
