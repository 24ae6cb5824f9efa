// The write-back of a reshipment: a parcel that carries lines an earlier parcel
// carried (Printful `reshipment: true`, "a shipping notification will be sent
// again for the same items", v1 spec x-webhooks.package_shipped; or a later
// Printify parcel over lines already shipped). Shopify has nothing left to
// fulfil of those lines, so no fulfillment is created: the new number is added
// to the fulfillments our earlier parcels wrote for them, with
// fulfillmentTrackingInfoUpdate, keeping the numbers already there. Safe to
// run twice: a fulfillment that already lists the number is left alone.
import type { Trx } from '../../db/database.ts'
import { AppError } from '../../lib/errors.ts'
import type { ShopifyAdminClient } from '../../shopify/index.ts'
import { withAddedNumber, type TrackingFacts } from './plan.ts'
import { appendTimeline } from '../timeline.ts'

export interface ReshipmentRun {
  readonly trx: Trx
  readonly shopify: ShopifyAdminClient
  readonly notifyCustomer: boolean
  readonly shipment: { readonly id: string, readonly order_id: string, readonly supplier_order_id: string, readonly shopify_order_id: string }
}

/** Adds the parcel's number to the earlier fulfillments of its lines (Shopify LineItem GIDs); returns how many were updated. */
export async function addReshippedTracking (run: ReshipmentRun, tracking: TrackingFacts, lineItemIds: ReadonlySet<string>): Promise<number> {
  const { trx, shipment } = run
  const where = { orderId: shipment.order_id, supplierOrderId: shipment.supplier_order_id }
  const number = tracking.number
  if (number === null) {
    await appendTimeline(trx, { ...where, kind: 'fulfillment.reshipment_untracked', actor: 'worker', detail: 'the reshipped parcel has no tracking number: nothing to add to the Shopify fulfillment', data: { shipmentId: shipment.id } })
    return 0
  }
  const earlier = await trx.selectFrom('shipment_fulfillments as sf').innerJoin('shipments as sh', 'sh.id', 'sf.shipment_id')
    .select('sf.shopify_fulfillment_id').distinct()
    .where('sh.supplier_order_id', '=', shipment.supplier_order_id).where('sh.reshipment', '=', false).execute()
  const ids = new Set(earlier.map((row) => row.shopify_fulfillment_id))
  const snapshot = await run.shopify.order(shipment.shopify_order_id)
  if (!snapshot) throw new AppError('not_found', `Shopify has no order ${shipment.shopify_order_id} (deleted?)`)
  const targets = snapshot.fulfillments.filter((f) => ids.has(f.id) && f.status === 'SUCCESS' && f.lineItems.some((item) => lineItemIds.has(item.lineItemId)))
  // The first parcel's write-back may still be queued: retried with backoff, then a person's problem.
  if (targets.length === 0) throw new AppError('upstream_transient', 'the parcel reships lines that have no fulfillment from pod-bridge in Shopify yet (is the first parcel written?)')
  let updated = 0
  for (const fulfillment of targets) {
    if (fulfillment.tracking.some((t) => t.number === number)) continue
    const { tracking: input, note } = withAddedNumber(fulfillment.tracking, { ...tracking, number })
    await run.shopify.updateTracking({ fulfillmentId: fulfillment.id, tracking: input, notifyCustomer: run.notifyCustomer })
    const before = fulfillment.tracking.map((t) => t.number).filter((n) => n !== null)
    await appendTimeline(trx, {
      ...where, kind: 'fulfillment.tracking_added', actor: 'shopify',
      detail: `reshipped parcel ${[tracking.company, number].filter(Boolean).join(' ')} added to Shopify fulfillment ${fulfillment.id}${before.length > 0 ? `, beside ${before.join(', ')}` : ''}${note ? `; ${note}` : ''}`,
      data: { shipmentId: shipment.id, fulfillmentId: fulfillment.id, numbers: input.numbers ?? [], notifyCustomer: run.notifyCustomer }
    })
    updated++
  }
  return updated
}
