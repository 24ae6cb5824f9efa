// Shipments as suppliers report them, recorded once each: merged by the
// supplier's shipment id, or by carrier + tracking number where the supplier
// gives none (Printify). Items are mapped back to our order lines
// (shipment-items.ts). A parcel that carries only lines an earlier parcel
// carried is a reshipment: it adds no quantity, and its tracking joins the
// Shopify fulfillments of those lines. A new shipment or changed tracking is
// what the Shopify write-back needs to hear about, once its lines are known.
import { sql } from 'kysely'
import { z } from 'zod'
import type { Trx } from '../../db/database.ts'
import type { ItemRefKind } from '../../suppliers/common/descriptor.ts'
import type { SupplierLineIdentity, SupplierName, SupplierShipment } from '../../suppliers/common/supplier.ts'
import { learnedSkus, mapItems, type LineRef, type ShipmentItem } from './shipment-items.ts'
import { appendTimeline } from '../timeline.ts'
import { shipmentItemsSchema } from '../state/fulfillment-state.ts'

export type { ShipmentItem } from './shipment-items.ts'

interface SupplierOrderRef { readonly id: string, readonly order_id: string, readonly supplier: SupplierName }

export interface RecordOptions {
  /** The order's lines as the supplier identifies them (an order read): teaches us its SKUs. */
  readonly lines?: readonly SupplierLineIdentity[] | undefined
  /** The supplier says the whole order has shipped (an order read): a lone parcel then holds every line. */
  readonly wholeOrder?: boolean
  /** The supplier's item references (its descriptor's), to recognise what we ordered in what it reads back. */
  readonly itemRef?: ItemRefKind | undefined
}

export function shipmentKey (shipment: SupplierShipment): string {
  if (shipment.supplierShipmentId) return `id:${shipment.supplierShipmentId}`
  if (shipment.trackingNumber) return `tracking:${shipment.carrier.toLowerCase()}:${shipment.trackingNumber}`
  // No id and no tracking number: still a parcel. Its ship time tells two apart.
  return `untracked:${shipment.carrier.toLowerCase()}:${shipment.shippedAt}`
}

// What we ordered each line by, from the stored draft (its items carry our line id as lineRef).
const draftRefsSchema = z.object({ items: z.array(z.object({ lineRef: z.string(), ref: z.unknown() }).loose()) }).loose()

function itemsOf (column: unknown): ShipmentItem[] {
  return shipmentItemsSchema.parse(column)
}

async function loadLines (trx: Trx, supplierOrderId: string, itemRef: ItemRefKind | undefined): Promise<LineRef[]> {
  const rows = await trx.selectFrom('supplier_order_lines as sl').innerJoin('order_lines as l', 'l.id', 'sl.order_line_id')
    .select(['l.id as orderLineId', 'l.sku', 'sl.supplier_sku', 'sl.quantity']).where('sl.supplier_order_id', '=', supplierOrderId).orderBy('l.created_at').execute()
  const draft = await trx.selectFrom('supplier_orders').select('draft').where('id', '=', supplierOrderId).executeTakeFirst()
  const parsed = draftRefsSchema.safeParse(draft?.draft)
  const ordered = new Map<string, unknown>()
  for (const item of parsed.success ? parsed.data.items : []) if (item.ref !== undefined) ordered.set(item.lineRef, item.ref)
  return rows.map((row) => {
    const ref = ordered.get(row.orderLineId)
    const identity = itemRef && ref !== undefined
      ? { isOrdered: (variant: Parameters<ItemRefKind['isOrdered']>[1], sku: string | undefined) => itemRef.isOrdered(ref, variant, sku), orderedSku: itemRef.orderedSku(ref) }
      : {}
    return { orderLineId: row.orderLineId, sku: row.sku, supplierSku: row.supplier_sku, quantity: row.quantity, ...identity }
  })
}

/** Keeps the supplier's SKUs its read gave for our lines; returns the lines as they now are. */
async function learn (trx: Trx, supplierOrderId: string, lines: LineRef[], identities: readonly SupplierLineIdentity[]): Promise<LineRef[]> {
  const learned = learnedSkus(lines, identities)
  for (const [orderLineId, sku] of learned) {
    await trx.updateTable('supplier_order_lines').set({ supplier_sku: sku }).where('supplier_order_id', '=', supplierOrderId).where('order_line_id', '=', orderLineId).execute()
  }
  return lines.map((line) => ({ ...line, supplierSku: learned.get(line.orderLineId) ?? line.supplierSku }))
}

function describe (shipment: SupplierShipment, items: readonly ShipmentItem[], reshipment: boolean): string {
  const tracking = shipment.trackingNumber ? `${shipment.carrier} ${shipment.trackingNumber}` : `${shipment.carrier}, no tracking number`
  const count = items.reduce((n, i) => n + i.quantity, 0)
  if (reshipment) return `reshipped: ${tracking}, ${count} item(s) shipped before; its tracking goes on their Shopify fulfillment`
  if (items.length === 0) {
    const named = shipment.items.map((i) => i.sku).filter(Boolean).join(', ')
    return `${shipment.reshipment ? 'reshipped' : 'shipped'}: ${tracking}, its items not identified yet${named ? ` (SKUs ${named})` : ''}; waiting for the supplier's order read to name them`
  }
  return `${shipment.reshipment ? 'reshipped' : 'shipped'}: ${tracking}, ${count} item(s)`
}

/** Records the shipments of one observation; returns the ids of shipments that are new or whose tracking changed, and whose lines are known. */
export async function recordShipments (trx: Trx, supplierOrder: SupplierOrderRef, shipments: readonly SupplierShipment[], options: RecordOptions = {}): Promise<string[]> {
  if (shipments.length === 0 && !options.lines) return []
  let lines = await loadLines(trx, supplierOrder.id, options.itemRef)
  if (options.lines) lines = await learn(trx, supplierOrder.id, lines, options.lines)
  if (shipments.length === 0) return []
  const existing = await trx.selectFrom('shipments').select(['id', 'dedupe_key', 'tracking_number', 'tracking_url', 'carrier', 'items', 'delivered_at', 'reshipment'])
    .where('supplier_order_id', '=', supplierOrder.id).execute()
  const changed: string[] = []
  for (const shipment of shipments) {
    const key = shipmentKey(shipment)
    let known = existing.find((row) => row.dedupe_key === key)
    // Reshipments add no quantity: only first parcels count as shipped before.
    const shippedBefore = new Map<string, number>()
    for (const row of existing) {
      if (row.dedupe_key === key || row.reshipment) continue
      for (const item of itemsOf(row.items)) shippedBefore.set(item.orderLineId, (shippedBefore.get(item.orderLineId) ?? 0) + item.quantity)
    }
    const context = { onlyShipment: shipments.length === 1 && existing.every((row) => row.dedupe_key === key), wholeOrder: options.wholeOrder ?? false }
    const mapped = mapItems(shipment, lines, context, shippedBefore)
    const reshipment = mapped.items.length === 0 && mapped.reshipped.length > 0
    const items = reshipment ? mapped.reshipped : mapped.items
    if (!known) {
      const row = await trx.insertInto('shipments').values({
        supplier_order_id: supplierOrder.id,
        dedupe_key: key,
        supplier_shipment_id: shipment.supplierShipmentId ?? null,
        carrier: shipment.carrier,
        service: shipment.service ?? null,
        tracking_number: shipment.trackingNumber ?? null,
        tracking_url: shipment.trackingUrl ?? null,
        status: shipment.deliveredAt ? 'delivered' : 'shipped',
        items: JSON.stringify(items),
        reshipment,
        shipped_at: shipment.shippedAt,
        delivered_at: shipment.deliveredAt ?? null
      }).onConflict((oc) => oc.constraint('shipments_dedupe_key').doNothing()).returning('id').executeTakeFirst()
      if (row) {
        existing.push({ id: row.id, dedupe_key: key, tracking_number: shipment.trackingNumber ?? null, tracking_url: shipment.trackingUrl ?? null, carrier: shipment.carrier, items, delivered_at: null, reshipment })
        // A parcel whose lines are not known yet waits for a read that names them (the write-back could only fail).
        if (items.length > 0) changed.push(row.id)
        await appendTimeline(trx, { orderId: supplierOrder.order_id, supplierOrderId: supplierOrder.id, kind: 'shipment.recorded', actor: supplierOrder.supplier, detail: describe(shipment, items, reshipment), data: { shipmentId: row.id, ...(reshipment ? { reshipment } : {}) } })
        continue
      }
      // Recorded meanwhile by another transaction (a signed shipment webhook's intake and an order read
      // at once; the intake does not take the order's lock): that row is the parcel, updated below as known.
      known = await trx.selectFrom('shipments').select(['id', 'dedupe_key', 'tracking_number', 'tracking_url', 'carrier', 'items', 'delivered_at', 'reshipment'])
        .where('supplier_order_id', '=', supplierOrder.id).where('dedupe_key', '=', key).executeTakeFirstOrThrow()
      existing.push(known)
    }
    // Tracking can arrive or be corrected later; items named later fill an empty list; delivery is noted.
    const knownItems = itemsOf(known.items)
    const trackingChanged = (shipment.trackingNumber ?? null) !== known.tracking_number || (shipment.trackingUrl ?? known.tracking_url) !== known.tracking_url
    const itemsFilled = knownItems.length === 0 && items.length > 0
    const delivered = shipment.deliveredAt && !known.delivered_at
    if (!trackingChanged && !itemsFilled && !delivered) continue
    await trx.updateTable('shipments').set({
      tracking_number: shipment.trackingNumber ?? known.tracking_number,
      tracking_url: shipment.trackingUrl ?? known.tracking_url,
      ...(itemsFilled ? { items: JSON.stringify(items), reshipment } : {}),
      ...(delivered ? { delivered_at: shipment.deliveredAt, status: 'delivered' } : {}),
      updated_at: sql`now()`
    }).where('id', '=', known.id).execute()
    if (itemsFilled) Object.assign(known, { items, reshipment })
    if ((trackingChanged && (knownItems.length > 0 || itemsFilled)) || itemsFilled) {
      changed.push(known.id)
      const detail = itemsFilled ? (reshipment ? 'items of the parcel identified: all shipped before, so a reshipment' : 'items of the parcel identified') : `tracking now ${shipment.carrier} ${shipment.trackingNumber ?? '(none)'}`
      await appendTimeline(trx, { orderId: supplierOrder.order_id, supplierOrderId: supplierOrder.id, kind: 'shipment.updated', actor: supplierOrder.supplier, detail, data: { shipmentId: known.id } })
    }
  }
  return changed
}
