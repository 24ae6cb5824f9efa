// Supplier webhooks in, as Shopify's: stored (raw bytes), deduplicated by a
// unique key, linked to their supplier order and answered with a queued
// re-read, all in one transaction. The re-read (supplier.sync) decides what
// changed; only a signed (trusted) shipment event is used as it comes, because
// a supplier's shipment webhook may be all that names the parcel's SKUs
// (Printify, suppliers.md §2.5).
import type { PgBoss } from 'pg-boss'
import type { Db } from '../../db/database.ts'
import { sendJob } from '../../queue/boss.ts'
import type { SupplierDescriptor } from '../../suppliers/common/descriptor.ts'
import type { SupplierEvent } from '../../suppliers/common/supplier.ts'
import { applyObservation } from './observe.ts'
import { recordShipments } from './shipments.ts'
import { appendTimeline } from '../timeline.ts'
import { lockOrder } from '../lock.ts'

export interface SupplierDelivery {
  /** The supplier it came from, as the registry knows it. */
  readonly supplier: SupplierDescriptor
  readonly event: SupplierEvent
  readonly account: string
  readonly rawBody: Buffer
  /** Whether the event's content may be used as it is (signed), or only as a trigger. */
  readonly trusted: boolean
}

export type SupplierIntakeOutcome =
  | { readonly status: 'accepted', readonly eventId: string, readonly supplierOrderId: string }
  | { readonly status: 'duplicate' }
  | { readonly status: 'ignored', readonly eventId: string, readonly reason: string }

export function supplierDedupeKey (event: SupplierEvent): string {
  return event.eventId ?? `${event.type}:${event.occurredAt}:${event.supplierOrderId ?? event.externalId ?? ''}`
}

export async function recordSupplierDelivery (db: Db, boss: PgBoss, delivery: SupplierDelivery): Promise<SupplierIntakeOutcome> {
  const { event } = delivery
  return db.transaction().execute(async (trx) => {
    const inserted = await trx.insertInto('webhook_events').values({
      source: event.supplier,
      shop: delivery.account,
      topic: event.type,
      dedupe_key: supplierDedupeKey(event),
      event_id: event.eventId ?? null,
      triggered_at: event.occurredAt,
      raw_body: delivery.rawBody
    }).onConflict((oc) => oc.constraint('webhook_events_dedupe_key').doNothing()).returning('id').executeTakeFirst()
    if (!inserted) return { status: 'duplicate' }
    const target = await trx.selectFrom('supplier_orders').select(['id', 'order_id', 'supplier'])
      .where('supplier', '=', event.supplier)
      .where((eb) => eb.or([
        ...(event.supplierOrderId ? [eb('supplier_order_id', '=', event.supplierOrderId)] : []),
        ...(event.externalId ? [eb('external_id', '=', event.externalId)] : []),
        eb.val(false)
      ])).executeTakeFirst()
    if (!target) {
      const reason = `no ${event.supplier} order ${event.supplierOrderId ?? event.externalId ?? '(unnamed)'} was sent by pod-bridge`
      await trx.updateTable('webhook_events').set({ status: 'ignored', error: reason }).where('id', '=', inserted.id).execute()
      return { status: 'ignored', eventId: inserted.id, reason }
    }
    await trx.updateTable('webhook_events').set({ order_id: target.order_id }).where('id', '=', inserted.id).execute()
    await appendTimeline(trx, { orderId: target.order_id, supplierOrderId: target.id, kind: 'supplier.webhook', actor: event.supplier, detail: `${event.type} from ${event.supplier}`, data: { webhookEventId: inserted.id } })
    if (delivery.trusted && event.shipment) {
      for (const shipmentId of await recordShipments(trx, target, [event.shipment], { itemRef: delivery.supplier.itemRef })) {
        await sendJob(boss, 'shopify.fulfill', { shipmentId }, { trx })
      }
    }
    if (event.status === 'returned') {
      // A return may leave the order's own status as it was (Printful, suppliers.md §1.8): a
      // re-read cannot show it, so the authenticated event itself is the observation.
      await lockOrder(trx, target.order_id)
      const row = await trx.selectFrom('supplier_orders').select(['id', 'order_id', 'supplier', 'state', 'supplier_status', 'supplier_updated_at', 'reason']).where('id', '=', target.id).forNoKeyUpdate().executeTakeFirstOrThrow()
      await applyObservation(trx, row, { supplierOrderId: event.supplierOrderId ?? '', externalId: event.externalId ?? '', status: 'returned', ...(event.reason ? { statusReason: event.reason } : {}), observedAt: event.occurredAt, shipments: [] }, delivery.supplier)
      return { status: 'accepted', eventId: inserted.id, supplierOrderId: target.id }
    }
    await sendJob(boss, 'supplier.sync', { supplierOrderId: target.id }, { trx })
    return { status: 'accepted', eventId: inserted.id, supplierOrderId: target.id }
  })
}
