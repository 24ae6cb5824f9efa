// The router (job order.route): every line order.sync left routable gets
// exactly one destination, and each supplier gets one open supplier order per
// order (DESIGN.md "Routing policy"). Supplier orders not yet sent are rebuilt
// from the current lines, mappings and address on every run; sent ones keep
// their lines, and lines added later go to a follow-up. Runs under the order's
// row lock, and a re-run over unchanged input writes nothing.
import { sql } from 'kysely'
import type { PgBoss } from 'pg-boss'
import type { Config } from '../../config.ts'
import type { Trx } from '../../db/database.ts'
import type { OrderState, SupplierName } from '../../db/schema.ts'
import { orderSnapshotSchema } from '../../shopify/order-snapshot.ts'
import type { Registry } from '../../suppliers/registry.ts'
import { cancelUnsentSupplierOrders, sentSupplierOrders } from '../submission/cancel-unsent.ts'
import { buildDraft, externalId, orderProblems, type DraftLine } from '../submission/draft.ts'
import { withPendingFiles } from '../submission/personalize.ts'
import { decideLine, lineColumns, lineName, routerOwns, type LineDecision, type RouterLine } from './line-decisions.ts'
import { loadMatcher } from './mappings.ts'
import { refreshOrderState } from '../state/order-state.ts'
import { writeSupplierOrder, type OpenSupplierOrder, type SupplierOrderPlan } from './supplier-order-writer.ts'
import { appendTimeline } from '../timeline.ts'

export interface RouteDeps {
  readonly boss: PgBoss
  readonly approval: Config['env']['APPROVAL_MODE']
  readonly shippingMethods: Config['env']['SHIPPING_METHODS']
  /** Suppliers with a client configured: a line for another one needs attention. */
  readonly configured: ReadonlySet<SupplierName>
  /** Line properties that may hold a personalization id, in order, per file provider (its settings). */
  readonly personalizationProperties: Readonly<Record<string, readonly string[]>>
  readonly registry: Registry
  readonly now?: () => Date
}

export type RouteOutcome =
  | { readonly status: 'not_found' | 'no_snapshot' }
  | { readonly status: 'cancelled' | 'routed', readonly changed: boolean, readonly state: OrderState }

export async function routeOrder (trx: Trx, deps: RouteDeps, orderId: string): Promise<RouteOutcome> {
  const order = await trx.selectFrom('orders').select(['id', 'snapshot', 'cancelled_at', 'cancelled_locally_at', 'approved_at'])
    .where('id', '=', orderId).forNoKeyUpdate().executeTakeFirst()
  if (!order) return { status: 'not_found' }
  if (order.cancelled_at || order.cancelled_locally_at) {
    const cancelled = await cancelUnsentSupplierOrders(trx, orderId, order.cancelled_locally_at ? 'cancelled by ops' : 'the order was cancelled in Shopify', 'worker')
    const derived = await refreshOrderState(trx, orderId, 'worker')
    return { status: 'cancelled', changed: cancelled > 0, state: derived.state }
  }
  const parsed = orderSnapshotSchema.safeParse(order.snapshot)
  if (!parsed.success) return { status: 'no_snapshot' }
  const snapshot = parsed.data

  const lines = await trx.selectFrom('order_lines')
    .select(['id', 'shopify_line_item_id', 'variant_id', 'sku', 'vendor', 'title', 'routable_quantity', 'state', 'supplier', 'mapping_id', 'reason'])
    .where('order_id', '=', orderId).execute() as RouterLine[]
  const position = (line: RouterLine) => { const i = snapshot.lines.findIndex((l) => l.id === line.shopify_line_item_id); return i < 0 ? Number.MAX_SAFE_INTEGER : i }
  lines.sort((a, b) => position(a) - position(b) || a.shopify_line_item_id.localeCompare(b.shopify_line_item_id))

  // Lock the supplier orders too: supplier.submit claims one with an update, which waits for this transaction.
  const allSupplierOrders = await trx.selectFrom('supplier_orders').select(['id', 'supplier', 'sequence', 'external_id', 'state', 'reason', 'draft', 'hold_until', 'supplier_order_id', 'attempts'])
    .where('order_id', '=', orderId).orderBy('sequence').forNoKeyUpdate().execute()
  const sent = new Set((await sentSupplierOrders(trx, orderId)).map((o) => o.id))
  const soLines = allSupplierOrders.length === 0
    ? []
    : await trx.selectFrom('supplier_order_lines').select(['supplier_order_id', 'order_line_id', 'quantity']).where('supplier_order_id', 'in', allSupplierOrders.map((o) => o.id)).execute()
  const sentLineIds = new Set(soLines.filter((l) => sent.has(l.supplier_order_id)).map((l) => l.order_line_id))
  const open: OpenSupplierOrder[] = allSupplierOrders.filter((o) => o.state !== 'cancelled' && !sent.has(o.id))
    .map((o) => ({ ...o, lines: soLines.filter((l) => l.supplier_order_id === o.id) }))

  let changed = false
  const decisions = new Map<string, LineDecision>()
  const candidates = lines.filter((l) => routerOwns(l) && !sentLineIds.has(l.id))
  const matcher = await loadMatcher(trx, candidates.map((l) => ({ variantId: l.variant_id, sku: l.sku, vendor: l.vendor })))
  for (const line of lines) {
    // Lines in a sent supplier order keep it (order.sync may have marked them pending again).
    if (sentLineIds.has(line.id)) {
      if (line.state !== 'routed' && line.state !== 'removed' && line.routable_quantity > 0) changed = await setLine(trx, orderId, line, { state: 'routed', supplier: line.supplier, mapping_id: line.mapping_id, reason: null }, 'kept in the supplier order it was sent with') || changed
      continue
    }
    if (!routerOwns(line)) continue
    const properties = snapshot.lines.find((l) => l.id === line.shopify_line_item_id)?.properties ?? []
    const decision = decideLine(line, matcher({ variantId: line.variant_id, sku: line.sku, vendor: line.vendor }), { properties, personalizationNames: deps.personalizationProperties, registry: deps.registry })
    decisions.set(line.id, decision)
    changed = await setLine(trx, orderId, line, lineColumns(decision), describeDecision(decision, deps.registry)) || changed
  }

  // Per supplier: the draft of its open supplier order and what is wrong with it.
  const legacyId = snapshot.legacyId
  const planned: { plan: Omit<SupplierOrderPlan, 'state' | 'reason' | 'holdUntil'>, problems: string[], existing: OpenSupplierOrder | undefined }[] = []
  for (const descriptor of deps.registry.suppliers) {
    const supplier: SupplierName = descriptor.name
    const routed = lines.filter((l) => { const d = decisions.get(l.id); return d?.state === 'routed' && d.supplier === supplier })
    const existing = open.filter((o) => o.supplier === supplier)
    const target = existing[0]
    for (const extra of existing.slice(1)) changed = await cancelOpen(trx, orderId, extra, 'merged into the open supplier order') || changed
    if (routed.length === 0) {
      if (target) changed = await cancelOpen(trx, orderId, target, `no line is sent to ${supplier} any more`) || changed
      continue
    }
    const sequence = target?.sequence ?? Math.max(-1, ...allSupplierOrders.filter((o) => o.supplier === supplier).map((o) => o.sequence)) + 1
    const id = target?.external_id ?? externalId(legacyId, descriptor.externalIdLetter, 1, sequence)
    const draftLines: DraftLine[] = routed.map((l) => {
      const d = decisions.get(l.id)
      if (d?.state !== 'routed') throw new Error(`line ${l.id} is not routed`)
      return {
        id: l.id, shopifyLineItemId: l.shopify_line_item_id, sku: l.sku, title: l.title, quantity: l.routable_quantity,
        ...(d.ref === undefined ? {} : { ref: d.ref }),
        ...(d.personalization ? { personalization: d.personalization } : {})
      }
    })
    const draft = buildDraft({ snapshot, supplier, externalId: id, lines: draftLines, shippingMethods: deps.shippingMethods })
    const problems = [
      ...(deps.configured.has(supplier) ? [] : [deps.registry.notConfigured(supplier)]),
      ...[...orderProblems(snapshot), ...descriptor.check(withPendingFiles(draft, descriptor.itemRef))].map((p) => `${p.field}: ${p.message}`),
      ...routed.map((l) => decisions.get(l.id)).flatMap((d) => d?.state === 'routed' && d.problem ? [d.problem] : [])
    ]
    planned.push({ plan: { supplier, sequence, externalId: id, draft, lines: draftLines.map((l) => ({ order_line_id: l.id, quantity: l.quantity })) }, problems, existing: target })
  }

  // The first submission is all or nothing: clean supplier orders wait while another part needs attention.
  const blockers = [
    ...lines.filter((l) => decisions.get(l.id)?.state === 'unroutable').map((l) => lineName(l)),
    ...planned.filter((p) => p.problems.length > 0).map((p) => `the ${p.plan.supplier} order`)
  ]
  const now = deps.now?.() ?? new Date()
  for (const { plan, problems, existing } of planned) {
    const state = decide(problems, blockers, deps.approval, order.approved_at !== null, existing, now)
    changed = await writeSupplierOrder(trx, deps.boss, orderId, existing, { ...plan, ...state }) || changed
  }
  await syncOrderHold(trx, orderId)
  const derived = await refreshOrderState(trx, orderId, 'worker')
  return { status: 'routed', changed, state: derived.state }
}

function decide (problems: readonly string[], blockers: readonly string[], approval: RouteDeps['approval'], approved: boolean, existing: OpenSupplierOrder | undefined, now: Date): Pick<SupplierOrderPlan, 'state' | 'reason' | 'holdUntil'> {
  if (problems.length > 0) return { state: 'needs_attention', reason: problems.join('; '), holdUntil: null }
  if (blockers.length > 0) return { state: 'held', reason: `waiting until ${blockers.join(', ')} ${blockers.length > 1 ? 'are' : 'is'} fixed`, holdUntil: null }
  if (approved || approval.kind === 'auto') return { state: 'pending', reason: null, holdUntil: null }
  if (approval.kind !== 'delay') return { state: 'held', reason: 'waiting for approval (APPROVAL_MODE=manual)', holdUntil: null }
  // The delay counts from the first hold: re-runs (an edit, an upsell) do not push it back.
  const holdUntil = existing?.hold_until ?? new Date(now.getTime() + approval.minutes * 60_000)
  return { state: 'held', reason: `held until ${holdUntil.toISOString()} (APPROVAL_MODE=delay:${String(approval.minutes)})`, holdUntil }
}

async function setLine (trx: Trx, orderId: string, line: RouterLine, columns: ReturnType<typeof lineColumns>, detail: string): Promise<boolean> {
  if (line.state === columns.state && line.supplier === columns.supplier && line.mapping_id === columns.mapping_id && line.reason === columns.reason) return false
  await trx.updateTable('order_lines').set({ ...columns, updated_at: sql<Date>`now()` }).where('id', '=', line.id).execute()
  await appendTimeline(trx, { orderId, kind: `line.${columns.state}`, actor: 'worker', detail: `${lineName(line)}: ${detail}`, data: { lineId: line.id, shopifyLineItemId: line.shopify_line_item_id, supplier: columns.supplier, mappingId: columns.mapping_id } })
  return true
}

function describeDecision (decision: LineDecision, registry: Registry): string {
  switch (decision.state) {
    case 'routed': return `to ${decision.supplier} (mapping by ${decision.by})${decision.personalization ? `, print file from ${registry.fileProvider(decision.personalization.provider)?.displayName ?? decision.personalization.provider} personalization ${decision.personalization.id} at "${decision.personalization.placement}"` : ''}`
    case 'skipped': return `skipped, ${decision.reason}`
    case 'unroutable': return decision.reason
  }
}

async function cancelOpen (trx: Trx, orderId: string, order: OpenSupplierOrder, reason: string): Promise<boolean> {
  await trx.updateTable('supplier_orders').set({ state: 'cancelled', reason, hold_until: null, updated_at: sql<Date>`now()` }).where('id', '=', order.id).execute()
  await appendTimeline(trx, { orderId, supplierOrderId: order.id, kind: 'supplier_order.cancelled', actor: 'worker', detail: `${order.supplier} order ${order.external_id} cancelled before it was sent: ${reason}` })
  return true
}

/** orders.hold_until: when the earliest delay hold ends (shown to ops; the sweep reads supplier orders). */
async function syncOrderHold (trx: Trx, orderId: string): Promise<void> {
  await trx.updateTable('orders')
    .set({ hold_until: sql<Date | null>`(select min(hold_until) from supplier_orders where order_id = ${orderId} and state = 'held')` })
    .where('id', '=', orderId)
    .where(sql<boolean>`hold_until is distinct from (select min(hold_until) from supplier_orders where order_id = ${orderId} and state = 'held')`)
    .execute()
}

