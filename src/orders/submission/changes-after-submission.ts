// Changes after submission: the customer's shipping address edited, or a line
// removed or reduced (an order edit, a refund with restock), once a supplier
// order is at the supplier. pod-bridge does not rewrite a supplier's order (a
// confirmed Printful order cannot be updated over the API; Printify's
// cannot be edited once sent to production), so the supplier order goes to
// `needs_attention` saying exactly what changed; a person fixes it in the
// supplier's dashboard and then approves or retries the order, which marks it
// fixed without sending anything again. Supplier orders not yet sent (held,
// pending) are simply rebuilt by the router with the new data.
//
// What the supplier has is the stored draft's recipient and the supplier
// order's lines (what was sent); acknowledging a change writes the new
// recipient and quantities there, so a later sync compares against what the
// supplier has now. The diff functions are pure; the rest runs under the
// order's row lock (src/orders/lock.ts) in the caller's transaction.
import { sql } from 'kysely'
import type { Trx } from '../../db/database.ts'
import type { SupplierName } from '../../db/schema.ts'
import { orderSnapshotSchema, type OrderSnapshot } from '../../shopify/order-snapshot.ts'
import type { SupplierRecipient } from '../../suppliers/common/supplier.ts'
import type { Registry } from '../../suppliers/registry.ts'
import { recipientOf } from './draft.ts'
import { refreshOrderState } from '../state/order-state.ts'
import { appendTimeline, type Actor } from '../timeline.ts'

/** The recipient fields a supplier prints on the label or hands to the carrier. Email is not: it only gets the supplier's notices. */
const labelFields = ['name', 'company', 'address1', 'address2', 'city', 'stateCode', 'zip', 'countryCode', 'phone'] as const
type LabelField = typeof labelFields[number]
const fieldNames: Record<LabelField, string> = {
  name: 'name', company: 'company', address1: 'address1', address2: 'address2', city: 'city', stateCode: 'state', zip: 'zip', countryCode: 'country', phone: 'phone'
}

export interface AddressChange { readonly field: LabelField, readonly from: string, readonly to: string }
export interface SentLine {
  /** order_lines.id (the draft item's lineRef). */
  readonly orderLineId: string
  readonly shopifyLineItemId: string
  readonly sku: string | null
  readonly title: string | null
  /** Units the supplier has of this line. */
  readonly quantity: number
}
export interface LineChange { readonly line: SentLine, readonly to: number }
export interface Changes { readonly address: readonly AddressChange[], readonly lines: readonly LineChange[] }

/** Differences in what goes on the label. Empty and absent are the same (the draft leaves out empty fields). */
export function addressChanges (sent: Partial<SupplierRecipient>, current: SupplierRecipient): AddressChange[] {
  const changes: AddressChange[] = []
  for (const field of labelFields) {
    const from = sent[field] ?? ''
    const to = current[field] ?? ''
    if (from !== to) changes.push({ field, from, to })
  }
  return changes
}

/** Sent lines the customer no longer wants as many of: quantities only go down after an order (edits add new lines). */
export function lineChanges (sent: readonly SentLine[], snapshot: Pick<OrderSnapshot, 'lines'>): LineChange[] {
  const changes: LineChange[] = []
  for (const line of sent) {
    const current = snapshot.lines.find((l) => l.id === line.shopifyLineItemId)?.currentQuantity ?? 0
    if (current < line.quantity) changes.push({ line, to: current })
  }
  return changes
}

export function hasChanges (changes: Changes): boolean {
  return changes.address.length > 0 || changes.lines.length > 0
}

// Every reason written here contains this phrase: it is how a later sync, an
// approve or a retry tells this flag from a supplier's own hold or failure.
const marker = ' changed after it was sent to '

export function isChangeReason (reason: string | null): boolean {
  return reason?.includes(marker) ?? false
}

/**
 * E.g. "shipping address changed after it was sent to printful as order 100000001: city Chatsworth → Reseda,
 * zip 91311 → 91335; change it in Printful's dashboard, then approve or retry the order"; `dashboard` is
 * where the supplier's descriptor says a person changes an order.
 */
export function describeChanges (supplier: SupplierName, dashboard: string, supplierOrderId: string, changes: Changes): string {
  const what = [changes.address.length > 0 ? 'shipping address' : undefined, changes.lines.length > 0 ? (changes.lines.length > 1 ? 'lines' : 'a line') : undefined].filter(Boolean).join(' and ')
  return `${what}${marker}${supplier} as order ${supplierOrderId}: ${changeSummary(changes)}; change it in ${dashboard}, then approve or retry the order`
}

/** The changes alone: "city Chatsworth → Reseda, zip 91311 → 91335; line SKU TEE-M removed (was 2)". */
export function changeSummary (changes: Changes): string {
  return [
    ...(changes.address.length > 0 ? [changes.address.map((c) => `${fieldNames[c.field]} ${shown(c.from)} → ${shown(c.to)}`).join(', ')] : []),
    ...changes.lines.map(({ line, to }) => `${lineLabel(line)} ${to === 0 ? `removed (was ${String(line.quantity)})` : `quantity ${String(line.quantity)} → ${String(to)}`}`)
  ].join('; ')
}

function shown (value: string): string {
  if (value === '') return '(none)'
  return /[\s,;→]/.test(value) ? JSON.stringify(value) : value
}

function lineLabel (line: SentLine): string {
  const title = line.title ? JSON.stringify(line.title) : undefined
  if (line.sku) return `line SKU ${line.sku}${title ? ` ${title}` : ''}`
  return `line ${title ?? line.shopifyLineItemId}`
}

// ---------------------------------------------------------------------------
// In the database.

/** Supplier statuses after which the label is printed and the parcel gone: an address change is too late to matter. */
const pastTheLabel = ['shipped', 'cancelled', 'returned']

interface WatchedSupplierOrder {
  readonly id: string
  readonly supplier: SupplierName
  readonly external_id: string
  readonly supplier_order_id: string
  readonly state: 'submitted' | 'needs_attention'
  readonly reason: string | null
  readonly supplier_status: string | null
  readonly draft: unknown
  readonly lines: SentLine[]
}

/** The order's supplier orders that are at the supplier and not shipped yet, locked (after the order row, which the caller holds). */
async function watchedSupplierOrders (trx: Trx, orderId: string): Promise<WatchedSupplierOrder[]> {
  const rows = await trx.selectFrom('supplier_orders')
    .select(['id', 'supplier', 'external_id', 'supplier_order_id', 'state', 'reason', 'supplier_status', 'draft'])
    .where('order_id', '=', orderId).where('state', 'in', ['submitted', 'needs_attention']).where('supplier_order_id', 'is not', null)
    .where((eb) => eb.or([eb('supplier_status', 'is', null), eb('supplier_status', 'not in', pastTheLabel)]))
    .orderBy('supplier').orderBy('sequence').forNoKeyUpdate().execute()
  if (rows.length === 0) return []
  const lines = await trx.selectFrom('supplier_order_lines as sl').innerJoin('order_lines as l', 'l.id', 'sl.order_line_id')
    .select(['sl.supplier_order_id', 'l.id', 'l.shopify_line_item_id', 'l.sku', 'l.title', 'sl.quantity'])
    .where('sl.supplier_order_id', 'in', rows.map((r) => r.id)).orderBy('l.created_at').orderBy('l.shopify_line_item_id').execute()
  return rows.map((row) => ({
    ...row,
    supplier_order_id: row.supplier_order_id ?? '',
    state: row.state as 'submitted' | 'needs_attention',
    lines: lines.filter((l) => l.supplier_order_id === row.id && l.quantity > 0)
      .map((l) => ({ orderLineId: l.id, shopifyLineItemId: l.shopify_line_item_id, sku: l.sku, title: l.title, quantity: l.quantity }))
  }))
}

function changesOf (so: WatchedSupplierOrder, snapshot: OrderSnapshot): Changes {
  // A redacted draft (customers/redact) has no recipient: nothing left to compare.
  const sentRecipient = (so.draft as { recipient?: Partial<SupplierRecipient> } | null)?.recipient
  return {
    address: sentRecipient && snapshot.shippingAddress ? addressChanges(sentRecipient, recipientOf(snapshot)) : [],
    lines: lineChanges(so.lines, snapshot)
  }
}

async function loadSnapshot (trx: Trx, orderId: string): Promise<OrderSnapshot | undefined> {
  const order = await trx.selectFrom('orders').select('snapshot').where('id', '=', orderId).executeTakeFirst()
  const parsed = orderSnapshotSchema.safeParse(order?.snapshot)
  return parsed.success ? parsed.data : undefined
}

/**
 * Compares each sent, unshipped supplier order with the order as stored now:
 * a change flags it `needs_attention` (once: the same change again writes
 * nothing), a further change rewrites the reason, and a change undone in
 * Shopify puts it back to `submitted`. A supplier order needing attention for
 * another reason (a supplier's hold, a failure) is left to that reason.
 * Refreshes the order's state when something changed. Needs the order row lock.
 */
export async function flagChangesAfterSubmission (trx: Trx, orderId: string, actor: Actor, registry: Registry): Promise<number> {
  const snapshot = await loadSnapshot(trx, orderId)
  if (!snapshot || snapshot.cancelledAt) return 0
  let written = 0
  for (const so of await watchedSupplierOrders(trx, orderId)) {
    const changes = changesOf(so, snapshot)
    const ours = so.state === 'needs_attention' && isChangeReason(so.reason)
    const base = { orderId, supplierOrderId: so.id, actor }
    if (hasChanges(changes)) {
      const reason = describeChanges(so.supplier, registry.supplier(so.supplier)?.dashboard ?? `${so.supplier}'s dashboard`, so.supplier_order_id, changes)
      if (so.state === 'needs_attention' && (!ours || so.reason === reason)) continue
      await trx.updateTable('supplier_orders').set({ state: 'needs_attention', reason, updated_at: sql<Date>`now()` }).where('id', '=', so.id).execute()
      await appendTimeline(trx, { ...base, kind: 'supplier_order.changed', detail: `${so.supplier} order ${so.external_id}: ${reason}`, data: changeData(changes) })
      written++
    } else if (ours) {
      await trx.updateTable('supplier_orders').set({ state: 'submitted', reason: null, updated_at: sql<Date>`now()` }).where('id', '=', so.id).execute()
      await appendTimeline(trx, { ...base, kind: 'supplier_order.change_undone', detail: `${so.supplier} order ${so.external_id}: the order in Shopify matches what ${so.supplier} has again` })
      written++
    }
  }
  if (written > 0) await refreshOrderState(trx, orderId, actor)
  return written
}

export interface AcknowledgedChange { readonly id: string, readonly supplier: SupplierName, readonly externalId: string }

/**
 * A person says the supplier has the change now (fixed in its dashboard):
 * each supplier order flagged by a change goes back to `submitted`, nothing is
 * sent again, and its stored recipient and line quantities take the order's
 * current ones, so the next sync finds nothing to flag. Needs the order row lock.
 */
export async function acknowledgeChanges (trx: Trx, orderId: string, by: string): Promise<AcknowledgedChange[]> {
  const snapshot = await loadSnapshot(trx, orderId)
  const flagged = (await watchedSupplierOrders(trx, orderId)).filter((so) => so.state === 'needs_attention' && isChangeReason(so.reason))
  const done: AcknowledgedChange[] = []
  for (const so of flagged) {
    const changes = snapshot ? changesOf(so, snapshot) : { address: [], lines: [] }
    const draft = so.draft as { recipient?: SupplierRecipient, items?: { lineRef: string, quantity: number }[] } | null
    if (draft && snapshot) {
      const to = new Map(changes.lines.map((c) => [c.line.orderLineId, c.to]))
      const items = draft.items?.map((item) => to.has(item.lineRef) ? { ...item, quantity: to.get(item.lineRef) ?? 0 } : item).filter((item) => item.quantity > 0)
      const recipient = changes.address.length > 0 ? recipientOf(snapshot) : draft.recipient
      await trx.updateTable('supplier_orders').set({ draft: JSON.stringify({ ...draft, ...(recipient ? { recipient } : {}), ...(items ? { items } : {}) }) }).where('id', '=', so.id).execute()
    }
    // Lowered, never deleted: the router keeps a line in the supplier order it was sent with.
    for (const { line, to } of changes.lines) {
      await trx.updateTable('supplier_order_lines').set({ quantity: to }).where('supplier_order_id', '=', so.id).where('order_line_id', '=', line.orderLineId).execute()
    }
    await trx.updateTable('supplier_orders').set({ state: 'submitted', reason: null, updated_at: sql<Date>`now()` }).where('id', '=', so.id).execute()
    await appendTimeline(trx, {
      orderId, supplierOrderId: so.id, kind: 'supplier_order.change_acknowledged', actor: 'ops',
      detail: `${so.supplier} order ${so.external_id}: ${by} confirmed ${so.supplier} has the change (nothing sent again)${hasChanges(changes) ? `: ${changeSummary(changes)}` : ''}`,
      data: { by, ...changeData(changes) }
    })
    done.push({ id: so.id, supplier: so.supplier, externalId: so.external_id })
  }
  if (done.length > 0) await refreshOrderState(trx, orderId, 'ops')
  return done
}

function changeData (changes: Changes): Record<string, unknown> {
  return {
    address: changes.address.map((c) => ({ field: c.field, from: c.from, to: c.to })),
    lines: changes.lines.map((c) => ({ lineId: c.line.orderLineId, shopifyLineItemId: c.line.shopifyLineItemId, sku: c.line.sku, from: c.line.quantity, to: c.to }))
  }
}

const erased = '(erased at the shop\'s request: it named the customer\'s address)'

/** Privacy redaction: reasons and timeline rows of changes after submission quote the old and new address. */
export async function eraseChangeDetails (trx: Trx, orderId: string): Promise<void> {
  const like = `%${marker}%`
  await trx.updateTable('order_events').set({ detail: erased, data: null })
    .where('order_id', '=', orderId)
    .where((eb) => eb.or([eb('detail', 'like', like), eb('kind', '=', 'supplier_order.change_acknowledged')]))
    .execute()
  await trx.updateTable('supplier_orders').set({ reason: erased }).where('order_id', '=', orderId).where('reason', 'like', like).execute()
  await trx.updateTable('orders').set({ state_reason: erased }).where('id', '=', orderId).where('state_reason', 'like', like).execute()
  await trx.updateTable('alerts').set({ reason: erased }).where('order_id', '=', orderId).where('reason', 'like', like).execute()
}
