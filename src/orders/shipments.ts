// Shipments as suppliers report them, recorded once each: merged by the
// supplier's shipment id, or by carrier + tracking number where the supplier
// gives none (Printify). Items are mapped back to our order lines: by our line
// id where the supplier echoes it (Printful item external_id), else by SKU
// (Printify names SKUs only, without quantities), else, for a supplier order
// shipped in one parcel, every line. A new shipment or changed tracking is
// what the Shopify write-back needs to hear about.
import { sql } from 'kysely'
import type { Trx } from '../db/database.ts'
import type { SupplierName, SupplierShipment } from '../suppliers/supplier.ts'
import { appendTimeline } from './timeline.ts'

export interface ShipmentItem { readonly orderLineId: string, readonly quantity: number }

interface SupplierOrderRef { readonly id: string, readonly order_id: string, readonly supplier: SupplierName }
interface LineRef { readonly orderLineId: string, readonly sku: string | null, readonly quantity: number }

export function shipmentKey (shipment: SupplierShipment): string {
  if (shipment.supplierShipmentId) return `id:${shipment.supplierShipmentId}`
  if (shipment.trackingNumber) return `tracking:${shipment.carrier.toLowerCase()}:${shipment.trackingNumber}`
  // No id and no tracking number: still a parcel. Its ship time tells two apart.
  return `untracked:${shipment.carrier.toLowerCase()}:${shipment.shippedAt}`
}

/** Our lines for the supplier's items; `shippedBefore` is what earlier shipments already covered, per line. */
export function mapItems (shipment: SupplierShipment, lines: readonly LineRef[], onlyShipment: boolean, shippedBefore: ReadonlyMap<string, number>): ShipmentItem[] {
  const items: ShipmentItem[] = []
  const left = new Map(lines.map((line) => [line.orderLineId, line.quantity - (shippedBefore.get(line.orderLineId) ?? 0)]))
  const take = (line: LineRef, wanted: number | undefined): void => {
    const available = left.get(line.orderLineId) ?? 0
    const quantity = Math.min(available, wanted ?? available)
    if (quantity <= 0) return
    left.set(line.orderLineId, available - quantity)
    items.push({ orderLineId: line.orderLineId, quantity })
  }
  for (const item of shipment.items) {
    const byRef = item.lineRef ? lines.find((line) => line.orderLineId === item.lineRef) : undefined
    if (byRef) {
      take(byRef, item.quantity)
      continue
    }
    // Two lines may share a SKU: fill them in order, each up to what it still owes.
    let wanted = item.quantity
    for (const line of lines.filter((l) => item.sku && l.sku === item.sku)) {
      const before = left.get(line.orderLineId) ?? 0
      take(line, wanted)
      if (wanted !== undefined) wanted -= before - (left.get(line.orderLineId) ?? 0)
      if (wanted !== undefined && wanted <= 0) break
    }
  }
  if (items.length === 0 && shipment.items.length === 0 && onlyShipment) for (const line of lines) take(line, undefined)
  return merge(items)
}

function merge (items: readonly ShipmentItem[]): ShipmentItem[] {
  const byLine = new Map<string, number>()
  for (const item of items) byLine.set(item.orderLineId, (byLine.get(item.orderLineId) ?? 0) + item.quantity)
  return [...byLine].map(([orderLineId, quantity]) => ({ orderLineId, quantity }))
}

/** Records the shipments of one observation; returns the ids of shipments that are new or whose tracking changed. */
export async function recordShipments (trx: Trx, supplierOrder: SupplierOrderRef, shipments: readonly SupplierShipment[]): Promise<string[]> {
  if (shipments.length === 0) return []
  const lines = await trx.selectFrom('supplier_order_lines as sl').innerJoin('order_lines as l', 'l.id', 'sl.order_line_id')
    .select(['l.id as orderLineId', 'l.sku', 'sl.quantity']).where('sl.supplier_order_id', '=', supplierOrder.id).orderBy('l.created_at').execute()
  const existing = await trx.selectFrom('shipments').select(['id', 'dedupe_key', 'tracking_number', 'tracking_url', 'carrier', 'items', 'delivered_at'])
    .where('supplier_order_id', '=', supplierOrder.id).execute()
  const changed: string[] = []
  for (const shipment of shipments) {
    const key = shipmentKey(shipment)
    const known = existing.find((row) => row.dedupe_key === key)
    const shippedBefore = new Map<string, number>()
    for (const row of existing) {
      if (row.dedupe_key === key) continue
      for (const item of row.items as ShipmentItem[]) shippedBefore.set(item.orderLineId, (shippedBefore.get(item.orderLineId) ?? 0) + item.quantity)
    }
    const items = mapItems(shipment, lines, shipments.length === 1 && existing.every((row) => row.dedupe_key === key), shippedBefore)
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
        shipped_at: shipment.shippedAt,
        delivered_at: shipment.deliveredAt ?? null
      }).returning('id').executeTakeFirstOrThrow()
      existing.push({ id: row.id, dedupe_key: key, tracking_number: shipment.trackingNumber ?? null, tracking_url: shipment.trackingUrl ?? null, carrier: shipment.carrier, items, delivered_at: null })
      changed.push(row.id)
      const tracking = shipment.trackingNumber ? `${shipment.carrier} ${shipment.trackingNumber}` : `${shipment.carrier}, no tracking number`
      await appendTimeline(trx, { orderId: supplierOrder.order_id, supplierOrderId: supplierOrder.id, kind: 'shipment.recorded', actor: supplierOrder.supplier, detail: `${shipment.reshipment ? 'reshipped' : 'shipped'}: ${tracking}, ${items.reduce((n, i) => n + i.quantity, 0)} item(s)`, data: { shipmentId: row.id } })
      continue
    }
    // Tracking can arrive or be corrected later; items named later fill an empty list; delivery is noted.
    const knownItems = known.items as ShipmentItem[]
    const trackingChanged = (shipment.trackingNumber ?? null) !== known.tracking_number || (shipment.trackingUrl ?? known.tracking_url) !== known.tracking_url
    const itemsFilled = knownItems.length === 0 && items.length > 0
    const delivered = shipment.deliveredAt && !known.delivered_at
    if (!trackingChanged && !itemsFilled && !delivered) continue
    await trx.updateTable('shipments').set({
      tracking_number: shipment.trackingNumber ?? known.tracking_number,
      tracking_url: shipment.trackingUrl ?? known.tracking_url,
      ...(itemsFilled ? { items: JSON.stringify(items) } : {}),
      ...(delivered ? { delivered_at: shipment.deliveredAt, status: 'delivered' } : {}),
      updated_at: sql`now()`
    }).where('id', '=', known.id).execute()
    if (trackingChanged || itemsFilled) {
      changed.push(known.id)
      await appendTimeline(trx, { orderId: supplierOrder.order_id, supplierOrderId: supplierOrder.id, kind: 'shipment.updated', actor: supplierOrder.supplier, detail: trackingChanged ? `tracking now ${shipment.carrier} ${shipment.trackingNumber ?? '(none)'}` : 'items of the parcel identified', data: { shipmentId: known.id } })
    }
  }
  return changed
}
