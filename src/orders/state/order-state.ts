// The order's one-word state (DESIGN.md "State model"), derived from its lines
// and supplier orders rather than stored by each step, so every writer agrees.
// `deriveOrderState` is pure; `refreshOrderState` loads, derives and writes it
// (only when it changes) with a timeline row, inside the caller's transaction.
import { sql } from 'kysely'
import type { Trx } from '../../db/database.ts'
import type { OrderState, SubmissionState } from '../../db/schema.ts'
import { appendTimeline, type Actor } from '../timeline.ts'
import { combineStates, deriveFromShipments, shipmentItemsSchema, type SentLine, type ShipmentFacts } from './fulfillment-state.ts'

export interface StateLine {
  readonly state: 'pending' | 'routed' | 'skipped' | 'unroutable' | 'removed'
  readonly reason: string | null
}

export interface StateSupplierOrder {
  readonly supplier: string
  readonly externalId: string
  readonly state: SubmissionState
  readonly reason: string | null
  /** Our normalized SupplierStatus, last observed; null before the first observation. */
  readonly supplierStatus: string | null
  readonly supplierStatusReason?: string | null
  /** Every shipment's tracking is in Shopify and the supplier shipped everything. */
  readonly fulfilledInShopify?: boolean
}

export interface StateInput {
  readonly current: OrderState
  readonly currentReason: string | null
  /** Cancelled in Shopify, or locally by ops. */
  readonly cancelled: boolean
  readonly cancelReason?: string
  readonly lines: readonly StateLine[]
  readonly supplierOrders: readonly StateSupplierOrder[]
}

export interface DerivedState { readonly state: OrderState, readonly reason: string | null }

const progress = ['received', 'submitted', 'in_production', 'partially_shipped', 'shipped', 'fulfilled'] as const
type Progress = typeof progress[number]

function progressOf (order: StateSupplierOrder): Progress {
  if (order.state === 'pending' || order.state === 'submitting') return 'received'
  if (order.fulfilledInShopify) return 'fulfilled'
  switch (order.supplierStatus) {
    case 'in_production': return 'in_production'
    case 'partially_shipped': return 'partially_shipped'
    case 'shipped': return 'shipped'
    default: return 'submitted'
  }
}

function problemOf (order: StateSupplierOrder): string | undefined {
  const name = `${order.supplier} order ${order.externalId}`
  if (order.state === 'needs_attention') return `${name}: ${order.reason ?? 'needs attention'}`
  if (order.state === 'cancelled') return undefined
  if (order.supplierStatus === 'failed') return `${name} failed at ${order.supplier}${order.supplierStatusReason ? `: ${order.supplierStatusReason}` : ''}`
  if (order.supplierStatus === 'cancelled' && order.state !== 'cancel_requested') return `${name} was cancelled at ${order.supplier}`
  if (order.supplierStatus === 'returned') return `${name}: a parcel was returned to ${order.supplier} (confirm the address there)`
  return undefined
}

export function deriveOrderState (input: StateInput): DerivedState {
  if (input.cancelled) return { state: 'cancelled', reason: input.cancelReason ?? (input.current === 'cancelled' ? input.currentReason : null) }
  const problems = [
    ...input.lines.filter((l) => l.state === 'unroutable').map((l) => l.reason ?? 'a line has no supplier'),
    ...input.supplierOrders.map(problemOf).filter((p): p is string => p !== undefined)
  ]
  if (problems.length > 0) return { state: 'needs_attention', reason: problems.join('; ') }
  const active = input.supplierOrders.filter((o) => o.state !== 'cancelled')
  if (active.length === 0 && input.supplierOrders.length > 0) return { state: 'cancelled', reason: 'every supplier order is cancelled' }
  if (active.length === 0) {
    // The router has not decided yet (or there are no lines): nothing to derive from.
    if (input.lines.length === 0 || input.lines.some((l) => l.state === 'pending' || l.state === 'routed')) return { state: input.current, reason: input.currentReason }
    return { state: 'fulfilled', reason: 'no line is sent to a supplier' }
  }
  const held = active.find((o) => o.state === 'held')
  if (held) return { state: 'held', reason: held.reason }
  const ranks = active.map((o) => progress.indexOf(progressOf(o)))
  const lowest = Math.min(...ranks)
  const shippedRank = progress.indexOf('partially_shipped')
  if (lowest < shippedRank && ranks.some((r) => r >= shippedRank)) return { state: 'partially_shipped', reason: null }
  const state = progress[lowest] ?? 'received'
  return { state, reason: state === 'received' ? 'waiting to be sent to the supplier' : null }
}

/** Loads what the state derives from, derives it, and writes it when it changed. Needs the order row lock. */
export async function refreshOrderState (trx: Trx, orderId: string, actor: Actor): Promise<DerivedState> {
  const order = await trx.selectFrom('orders').select(['state', 'state_reason', 'cancelled_at', 'cancelled_locally_at']).where('id', '=', orderId).executeTakeFirstOrThrow()
  const lines = await trx.selectFrom('order_lines').select(['state', 'reason']).where('order_id', '=', orderId).execute()
  const supplierOrders = await trx.selectFrom('supplier_orders as so')
    .select(['so.supplier', 'so.external_id', 'so.state', 'so.reason', 'so.supplier_status', 'so.supplier_status_reason'])
    .select(sql<boolean>`exists (select 1 from shipments s where s.supplier_order_id = so.id) and not exists (select 1 from shipments s where s.supplier_order_id = so.id and s.shopify_sync_state <> 'synced')`.as('all_synced'))
    .where('so.order_id', '=', orderId).orderBy('so.supplier').orderBy('so.sequence').execute()
  const cancelled = order.cancelled_at !== null || order.cancelled_locally_at !== null
  const fromSuppliers = deriveOrderState({
    current: order.state,
    currentReason: order.state_reason,
    cancelled,
    ...(cancelled ? { cancelReason: order.cancelled_locally_at ? 'cancelled by ops' : 'cancelled in Shopify' } : {}),
    lines,
    supplierOrders: supplierOrders.map((o) => ({
      supplier: o.supplier,
      externalId: o.external_id,
      state: o.state,
      reason: o.reason,
      supplierStatus: o.supplier_status,
      supplierStatusReason: o.supplier_status_reason,
      fulfilledInShopify: o.all_synced && o.supplier_status === 'shipped'
    }))
  })
  // What the Shopify write-back did: `fulfilled` once every sent line is written, or a failed write-back.
  const derived = combineStates(fromSuppliers, deriveFromShipments(...await shipmentFacts(trx, orderId))) ?? fromSuppliers
  if (derived.state !== order.state || derived.reason !== order.state_reason) {
    await trx.updateTable('orders').set({
      state: derived.state,
      state_reason: derived.reason,
      ...(derived.state !== order.state ? { state_changed_at: sql<Date>`now()` } : {}),
      updated_at: sql<Date>`now()`
    }).where('id', '=', orderId).execute()
    if (derived.state !== order.state) {
      await appendTimeline(trx, { orderId, kind: 'order.state', actor, detail: `${order.state} → ${derived.state}${derived.reason ? `: ${derived.reason}` : ''}`, data: { from: order.state, to: derived.state } })
    }
  }
  return derived
}

/** What the write-back has done for the order: lines sent to live supplier orders, and their shipments. */
async function shipmentFacts (trx: Trx, orderId: string): Promise<[SentLine[], ShipmentFacts[]]> {
  const sent = await trx.selectFrom('supplier_order_lines as l').innerJoin('supplier_orders as s', 's.id', 'l.supplier_order_id')
    .select(['l.order_line_id as orderLineId', sql<number>`sum(l.quantity)::int`.as('quantity')])
    .where('s.order_id', '=', orderId).where('s.state', '!=', 'cancelled')
    .groupBy('l.order_line_id').execute()
  const shipments = await trx.selectFrom('shipments as sh').innerJoin('supplier_orders as s', 's.id', 'sh.supplier_order_id')
    .select(['sh.shopify_sync_state', 'sh.shopify_sync_error', 'sh.items'])
    .where('s.order_id', '=', orderId).where('s.state', '!=', 'cancelled').execute()
  return [sent, shipments.map((row) => {
    const items = shipmentItemsSchema.safeParse(row.items)
    return { syncState: row.shopify_sync_state, error: row.shopify_sync_error, items: items.success ? items.data : [] }
  })]
}
