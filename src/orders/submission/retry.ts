// POST /v1/orders/:ref/retry: re-run the step that failed, once a person has
// fixed its cause. Each kind of failure goes back to the job that owns it:
// a refused submission is sent again (it looks the order up first), a
// supplier's hold or failure is read again, a failed Shopify write-back is
// written again, an unmapped line is routed again, a change after submission
// fixed at the supplier is marked fixed (src/orders/submission/changes-after-submission.ts); with nothing failed, the
// order is read from Shopify again. Every retry is a timeline row.
import { sql } from 'kysely'
import type { PgBoss } from 'pg-boss'
import type { Trx } from '../../db/database.ts'
import { sendJob } from '../../queue/boss.ts'
import { AppError } from '../../lib/errors.ts'
import { lockOrder } from '../lock.ts'
import { acknowledgeChanges } from './changes-after-submission.ts'
import { appendTimeline } from '../timeline.ts'

export interface RetryStep { readonly job: 'supplier.submit' | 'supplier.sync' | 'shopify.fulfill' | 'order.route' | 'order.sync', readonly target: string }

export async function retryOrder (trx: Trx, boss: PgBoss, orderId: string): Promise<RetryStep[]> {
  await lockOrder(trx, orderId)
  const order = await trx.selectFrom('orders').select(['id', 'shop', 'shopify_order_id', 'state', 'name']).where('id', '=', orderId).executeTakeFirstOrThrow()
  if (order.state === 'cancelled') throw new AppError('conflict', `order ${order.name ?? order.id} is cancelled: there is nothing to retry`)
  const steps: RetryStep[] = []
  // A change after submission (address, removed line) was fixed in the supplier's
  // dashboard: marked fixed, never submitted again; the supplier order is read again.
  for (const so of await acknowledgeChanges(trx, orderId, 'ops')) {
    steps.push({ job: 'supplier.sync', target: so.externalId })
    await sendJob(boss, 'supplier.sync', { supplierOrderId: so.id }, { trx })
  }
  const stuck = await trx.selectFrom('supplier_orders').select(['id', 'external_id', 'supplier_order_id', 'attempts'])
    .where('order_id', '=', orderId).where('state', '=', 'needs_attention').execute()
  for (const so of stuck) {
    if (so.supplier_order_id) {
      // At the supplier already: read it again (the hold may be released, the failure fixed there).
      steps.push({ job: 'supplier.sync', target: so.external_id })
      await sendJob(boss, 'supplier.sync', { supplierOrderId: so.id }, { trx })
    } else if (so.attempts > 0) {
      await trx.updateTable('supplier_orders').set({ state: 'pending', reason: null, updated_at: sql`now()` }).where('id', '=', so.id).execute()
      steps.push({ job: 'supplier.submit', target: so.external_id })
      await sendJob(boss, 'supplier.submit', { supplierOrderId: so.id }, { trx })
    }
  }
  const failedShipments = await trx.selectFrom('shipments as s').innerJoin('supplier_orders as so', 'so.id', 's.supplier_order_id')
    .select(['s.id', 's.tracking_number']).where('so.order_id', '=', orderId).where('s.shopify_sync_state', '=', 'failed').execute()
  for (const shipment of failedShipments) {
    steps.push({ job: 'shopify.fulfill', target: shipment.tracking_number ?? shipment.id })
    await sendJob(boss, 'shopify.fulfill', { shipmentId: shipment.id }, { trx })
  }
  // Never-sent supplier orders stopped by checks and unmapped lines are the router's;
  // their fix is usually in Shopify (an address) or a mapping, so read the order again.
  const unsent = stuck.some((so) => !so.supplier_order_id && so.attempts === 0)
  const unroutable = await trx.selectFrom('order_lines').select('id').where('order_id', '=', orderId).where('state', '=', 'unroutable').limit(1).executeTakeFirst()
  if (unsent || unroutable || steps.length === 0) {
    steps.push({ job: 'order.sync', target: order.shopify_order_id })
    await sendJob(boss, 'order.sync', { shop: order.shop, shopifyOrderId: order.shopify_order_id, reason: 'retry' }, { trx })
  }
  await appendTimeline(trx, { orderId, kind: 'ops.retry', actor: 'ops', detail: `retry requested: ${steps.map((s) => `${s.job} (${s.target})`).join(', ')}` })
  return steps
}
