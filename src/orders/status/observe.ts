// What a supplier says about one of its orders (a status read or a webhook),
// applied with DESIGN.md rule 3: an older observation never replaces a newer
// one (the supplier's own timestamps decide), while real reversals are
// followed and shown: back to draft after a supplier's cost calculation,
// failed and resubmitted, returned and reshipped. Holds, failures and a
// supplier's own cancellation put the order in front of a person.
import { sql } from 'kysely'
import type { Trx } from '../../db/database.ts'
import type { SupplierDescriptor } from '../../suppliers/common/descriptor.ts'
import type { SupplierName, SupplierObservation, SupplierStatus } from '../../suppliers/common/supplier.ts'
import { recordShipments } from './shipments.ts'
import { appendTimeline } from '../timeline.ts'

export interface ObservedRow {
  readonly id: string
  readonly order_id: string
  readonly supplier: SupplierName
  readonly state: string
  readonly supplier_status: string | null
  readonly supplier_updated_at: Date | null
  readonly reason: string | null
}

export interface ObservationResult {
  /** Shipments that are new or whose tracking changed: the Shopify write-back's work. */
  readonly shipmentIds: readonly string[]
  /** The supplier put a confirmed order back to draft: it must be confirmed again. */
  readonly needsConfirm: boolean
  readonly stale: boolean
  /** The supplier's status is final: no need to poll any more. */
  readonly settled: boolean
}

const attentionStatuses = new Set<SupplierStatus>(['failed', 'on_hold', 'cancelled'])
const settledStatuses = new Set<SupplierStatus>(['shipped', 'cancelled'])

/** `name`: the supplier's display name. */
export function statusAttention (name: string, status: SupplierStatus, reason: string | undefined): string | undefined {
  const why = reason ? `: ${reason}` : ''
  if (status === 'failed') return `${name} reports the order failed${why}`
  if (status === 'on_hold') return `${name} put the order on hold${why}`
  if (status === 'cancelled') return `${name} cancelled the order${why}`
  return undefined
}

/** `descriptor`: the registry's for row.supplier (undefined for a supplier no longer registered: its name is shown, its items matched by line and SKU only). */
export async function applyObservation (trx: Trx, row: ObservedRow, observation: SupplierObservation, descriptor: SupplierDescriptor | undefined): Promise<ObservationResult> {
  const observedAt = new Date(observation.observedAt)
  const known = row.supplier_updated_at
  if (known && observedAt.getTime() < known.getTime()) {
    return { shipmentIds: [], needsConfirm: false, stale: true, settled: false }
  }
  const base = { orderId: row.order_id, supplierOrderId: row.id, actor: row.supplier }
  const statusChanged = observation.status !== row.supplier_status
  const shipmentIds = await recordShipments(trx, row, observation.shipments, { lines: observation.lines, wholeOrder: observation.status === 'shipped', itemRef: descriptor?.itemRef })
  const update: { supplier_status: string, supplier_status_reason: string | null, supplier_updated_at: Date, state?: 'submitted' | 'needs_attention' | 'cancelled', reason?: string | null } = {
    supplier_status: observation.status,
    supplier_status_reason: observation.statusReason ?? null,
    supplier_updated_at: observedAt
  }
  const attention = statusAttention(descriptor?.displayName ?? row.supplier, observation.status, observation.statusReason)
  if (row.state === 'cancel_requested' && observation.status === 'cancelled') {
    update.state = 'cancelled'
    update.reason = 'cancelled at the supplier, as asked'
  } else if (attention && attentionStatuses.has(observation.status) && row.state !== 'needs_attention' && row.state !== 'cancelled') {
    update.state = 'needs_attention'
    update.reason = attention
  } else if (row.state === 'needs_attention' && !attention && row.supplier_status && attentionStatuses.has(row.supplier_status as SupplierStatus)) {
    // The supplier resolved it (hold released, failed order resubmitted): back on track.
    update.state = 'submitted'
    update.reason = null
  }
  await trx.updateTable('supplier_orders').set({ ...update, updated_at: sql`now()` }).where('id', '=', row.id).execute()
  if (statusChanged) {
    const from = row.supplier_status ? ` (was ${row.supplier_status.replaceAll('_', ' ')})` : ''
    await appendTimeline(trx, { ...base, kind: `supplier.${observation.status}`, detail: `${observation.status.replaceAll('_', ' ')} at ${row.supplier}${from}${observation.statusReason ? `: ${observation.statusReason}` : ''}`, data: { observedAt: observation.observedAt } })
  }
  // A cost calculation can send a confirmed order back to draft (Printful, suppliers.md §1.4).
  const needsConfirm = observation.status === 'draft' && row.supplier_status !== null && row.supplier_status !== 'draft' && row.state === 'submitted'
  return { shipmentIds, needsConfirm, stale: false, settled: settledStatuses.has(observation.status) && update.state !== 'needs_attention' }
}
