// Everything the bridge knows about one order, in DESIGN.md's stable shape for
// GET /v1/orders/:ref: the answer to "where is my order?". Emails and
// addresses are left out: the timeline never needs them.
import { sql } from 'kysely'
import type { Db, Trx } from '../../db/database.ts'
import type { OrderState } from '../../db/schema.ts'
import { stuckFor, type StuckThresholds } from './stuck.ts'

export interface OrderDetail {
  order: {
    id: string
    shopifyOrderId: string
    name: string | null
    state: OrderState
    stateReason: string | null
    stateChangedAt: Date
    financialStatus: string | null
    test: boolean
    cancelledAt: Date | null
    stuck: boolean
    createdAt: Date
    updatedAt: Date
  }
  lines: { shopifyLineItemId: string, variantId: string | null, sku: string | null, title: string | null, quantity: number, supplier: string | null, state: string, reason: string | null }[]
  supplierOrders: { id: string, supplier: string, externalId: string, supplierOrderId: string | null, state: string, supplierStatus: string | null, reason: string | null, lastError: string | null, submittedAt: Date | null }[]
  shipments: { supplier: string, carrier: string | null, trackingNumber: string | null, trackingUrl: string | null, shippedAt: Date | null, deliveredAt: Date | null, shopifySyncState: string, shopifyFulfillmentIds: string[] }[]
  timeline: { at: Date, kind: string, actor: string, detail: string | null, error: string | null }[]
}

export async function orderDetail (db: Db, orderId: string, thresholds: StuckThresholds, now: Date): Promise<OrderDetail | undefined> {
  // One snapshot for every part: read one by one, the order's state could
  // predate the supplier orders a worker committed in between.
  return db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute((trx) => readDetail(trx, orderId, thresholds, now))
}

async function readDetail (db: Trx, orderId: string, thresholds: StuckThresholds, now: Date): Promise<OrderDetail | undefined> {
  const order = await db.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirst()
  if (!order) return undefined
  const [lines, supplierOrders, shipments, timeline] = await Promise.all([
    db.selectFrom('order_lines').selectAll().where('order_id', '=', orderId).orderBy('created_at').orderBy('shopify_line_item_id').execute(),
    db.selectFrom('supplier_orders').selectAll().where('order_id', '=', orderId).orderBy('created_at').orderBy('id').execute(),
    db.selectFrom('shipments as sh').innerJoin('supplier_orders as so', 'so.id', 'sh.supplier_order_id')
      .select(['sh.id', 'so.supplier', 'sh.carrier', 'sh.tracking_number', 'sh.tracking_url', 'sh.shipped_at', 'sh.delivered_at', 'sh.shopify_sync_state'])
      .select((eb) => eb.selectFrom('shipment_fulfillments as f').whereRef('f.shipment_id', '=', 'sh.id')
        .select(sql<string[]>`coalesce(array_agg(f.shopify_fulfillment_id order by f.created_at), '{}')`.as('ids')).as('fulfillment_ids'))
      .where('so.order_id', '=', orderId).orderBy('sh.created_at').orderBy('sh.id').execute(),
    db.selectFrom('order_events').select(['at', 'kind', 'actor', 'detail', 'error']).where('order_id', '=', orderId).orderBy('at').orderBy('id').execute()
  ])
  return {
    order: {
      id: order.id,
      shopifyOrderId: order.shopify_order_id,
      name: order.name,
      state: order.state,
      stateReason: order.state_reason,
      stateChangedAt: order.state_changed_at,
      financialStatus: order.financial_status,
      test: order.test,
      cancelledAt: order.cancelled_at,
      stuck: stuckFor(thresholds, order.state, order.state_changed_at, now) !== undefined,
      createdAt: order.created_at,
      updatedAt: order.updated_at
    },
    lines: lines.map((l) => ({ shopifyLineItemId: l.shopify_line_item_id, variantId: l.variant_id, sku: l.sku, title: l.title, quantity: l.quantity, supplier: l.supplier, state: l.state, reason: l.reason })),
    supplierOrders: supplierOrders.map((s) => ({ id: s.id, supplier: s.supplier, externalId: s.external_id, supplierOrderId: s.supplier_order_id, state: s.state, supplierStatus: s.supplier_status, reason: s.reason ?? s.supplier_status_reason, lastError: s.last_error, submittedAt: s.submitted_at })),
    shipments: shipments.map((s) => ({ supplier: s.supplier, carrier: s.carrier, trackingNumber: s.tracking_number, trackingUrl: s.tracking_url, shippedAt: s.shipped_at, deliveredAt: s.delivered_at, shopifySyncState: s.shopify_sync_state, shopifyFulfillmentIds: s.fulfillment_ids ?? [] })),
    timeline: timeline.map((e) => ({ at: e.at, kind: e.kind, actor: e.actor, detail: e.detail, error: e.error }))
  }
}
