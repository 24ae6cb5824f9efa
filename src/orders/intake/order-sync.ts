// order.sync: read the order over the Admin API (the order's truth), store the
// snapshot and its lines, apply the routing policy, record each decision in
// the timeline, and hand the order to the router when it may go. The Shopify
// read happens before the transaction (no row lock is held across the
// network); the write takes the order's row lock, so two syncs of one order
// never interleave, and running it again with the same data changes nothing.
import { sql } from 'kysely'
import type { PgBoss } from 'pg-boss'
import type { Logger } from 'pino'
import type { Config } from '../../config.ts'
import type { Db, Trx } from '../../db/database.ts'
import type { OrderState } from '../../db/schema.ts'
import { sendJob } from '../../queue/boss.ts'
import type { Payload } from '../../queue/queues.ts'
import { AppError } from '../../lib/errors.ts'
import type { ShopifyAdminClient } from '../../shopify/index.ts'
import type { OrderSnapshot } from '../../shopify/order-snapshot.ts'
import { lineDecisions, orderGate, type Gate, type LineDecision } from './policy.ts'
import { recordFirstStart } from '../../settings.ts'
import { appendTimeline } from '../timeline.ts'
import { requestCancellation } from '../submission/cancel.ts'
import { syncLines } from './order-lines.ts'
import { flagChangesAfterSubmission } from '../submission/changes-after-submission.ts'
import type { Registry } from '../../suppliers/registry.ts'

export interface SyncDeps {
  readonly db: Db
  readonly boss: PgBoss
  readonly shopify: ShopifyAdminClient | undefined
  readonly config: Config
  readonly log: Logger
  readonly registry: Registry
}

export type SyncOutcome = 'synced' | 'unchanged' | 'not_found' | 'not_configured' | 'stale'

/** A newer webhook than the read: Shopify's read model may lag its webhooks by moments. */
const STALE_READ_RETRIES = 5

export async function syncOrder (deps: SyncDeps, payload: Payload<'order.sync'>, attempt = 0): Promise<SyncOutcome> {
  const { shopify } = deps
  if (!shopify) {
    deps.log.warn('order.sync cannot read orders: no Shopify store or credentials configured')
    return 'not_configured'
  }
  const gid = payload.shopifyOrderId ?? (payload.fulfillmentOrderId ? await shopify.fulfillmentOrderOwner(payload.fulfillmentOrderId) : undefined)
  if (!gid) {
    deps.log.info({ fulfillmentOrderId: payload.fulfillmentOrderId }, 'Shopify knows no order for this fulfillment order; nothing to sync')
    return 'not_found'
  }
  const snapshot = await shopify.order(gid)
  const cutover = deps.config.env.ROUTE_ORDERS_CREATED_AFTER ? new Date(deps.config.env.ROUTE_ORDERS_CREATED_AFTER) : await recordFirstStart(deps.db)

  const outcome = await deps.db.transaction().execute(async (trx) => {
    if (!snapshot) return markNotFound(trx, payload.shop, gid)
    const existing = await lockOrder(trx, payload.shop, snapshot)
    const known = existing.shopify_updated_at ? existing.shopify_updated_at.getTime() : 0
    const read = Date.parse(snapshot.updatedAt)
    // Never store an older observation over a newer one (DESIGN.md rule 3).
    const storedRead = existing.snapshot_updated_at ? Date.parse(existing.snapshot_updated_at) : 0
    if (read < storedRead) return 'unchanged'
    if (read + 1000 < known && attempt < STALE_READ_RETRIES) return 'stale'
    return applySnapshot(trx, deps, existing, snapshot, cutover, payload.reason)
  })
  if (outcome === 'stale') {
    throw new AppError('upstream_transient', `Shopify returned ${gid} as of ${snapshot?.updatedAt ?? '?'}, older than a webhook already received; reading again`)
  }
  return outcome
}

interface LockedOrder {
  id: string
  state: OrderState
  state_reason: string | null
  shopify_updated_at: Date | null
  approved_at: Date | null
  cancelled_locally_at: Date | null
  cancelled_at: Date | null
  snapshot_updated_at: string | null
}

async function lockOrder (trx: Trx, shop: string, snapshot: OrderSnapshot): Promise<LockedOrder> {
  await trx.insertInto('orders')
    .values({ shop, shopify_order_id: snapshot.id, name: snapshot.name, order_number: String(snapshot.number), email: snapshot.email, shopify_created_at: snapshot.createdAt })
    .onConflict((oc) => oc.constraint('orders_shop_order_key').doNothing())
    .execute()
  return trx.selectFrom('orders')
    .select(['id', 'state', 'state_reason', 'shopify_updated_at', 'approved_at', 'cancelled_locally_at', 'cancelled_at', sql<string | null>`snapshot->>'updatedAt'`.as('snapshot_updated_at')])
    .where('shop', '=', shop).where('shopify_order_id', '=', snapshot.id)
    .forNoKeyUpdate()
    .executeTakeFirstOrThrow()
}

async function markNotFound (trx: Trx, shop: string, gid: string): Promise<SyncOutcome> {
  const order = await trx.selectFrom('orders').select(['id', 'state_reason']).where('shop', '=', shop).where('shopify_order_id', '=', gid).forNoKeyUpdate().executeTakeFirst()
  const reason = 'Shopify has no such order (deleted, or another store\'s)'
  if (order && order.state_reason !== reason) {
    await trx.updateTable('orders').set({ state_reason: reason, updated_at: sql`now()` }).where('id', '=', order.id).execute()
    await appendTimeline(trx, { orderId: order.id, kind: 'sync.not_found', actor: 'worker', detail: reason })
  }
  return 'not_found'
}

async function applySnapshot (trx: Trx, deps: SyncDeps, existing: LockedOrder, snapshot: OrderSnapshot, cutover: Date, reason: string): Promise<SyncOutcome> {
  const orderId = existing.id
  const decisions = lineDecisions(snapshot)
  const gate = orderGate(snapshot, decisions, { routeWhen: deps.config.env.ROUTE_WHEN, cutover, approvedAt: existing.approved_at })
  await trx.updateTable('orders').set({
    name: snapshot.name,
    order_number: String(snapshot.number),
    email: snapshot.email,
    financial_status: snapshot.financialStatus,
    test: snapshot.test,
    cancelled_at: snapshot.cancelledAt,
    shopify_created_at: snapshot.createdAt,
    shopify_updated_at: sql`greatest(shopify_updated_at, ${snapshot.updatedAt}::timestamptz)`,
    snapshot: JSON.stringify(snapshot),
    synced_at: sql`now()`,
    updated_at: sql`now()`
  }).where('id', '=', orderId).execute()
  for (const fo of snapshot.fulfillmentOrders) {
    await trx.insertInto('fulfillment_order_refs').values({ fulfillment_order_id: fo.id, order_id: orderId })
      .onConflict((oc) => oc.column('fulfillment_order_id').doNothing()).execute()
  }
  const lines = await syncLines(trx, orderId, decisions)
  const routing = await routingStarted(trx, orderId)
  const changed = lines.changed || existing.snapshot_updated_at !== snapshot.updatedAt
  if (changed) {
    await appendTimeline(trx, { orderId, kind: 'order.synced', actor: 'worker', detail: describeSync(snapshot, decisions, reason), data: { updatedAt: snapshot.updatedAt, reason } })
  }
  await applyGate(trx, deps, orderId, existing, gate, routing, snapshot)
  // Supplier orders already at the supplier are not rebuilt: a change they
  // carry (the address, a removed line) is put in front of a person.
  if (routing && !snapshot.cancelledAt && !existing.cancelled_locally_at) await flagChangesAfterSubmission(trx, orderId, 'worker', deps.registry)
  // An order ops cancelled here stays cancelled, whatever Shopify says next. Any
  // change goes back to the router once it has started: a refund can take away
  // a line it already decided, and a held or pending supplier order is rebuilt
  // with the new address (a re-run over unchanged input writes nothing).
  if (gate.go && (lines.pending > 0 || (changed && (routing || await routerDecided(trx, orderId)))) && !existing.cancelled_locally_at) {
    await sendJob(deps.boss, 'order.route', { orderId }, { trx })
  }
  return changed ? 'synced' : 'unchanged'
}

/** Whether the router has already made supplier orders for this order. */
async function routingStarted (trx: Trx, orderId: string): Promise<boolean> {
  const row = await trx.selectFrom('supplier_orders').select('id').where('order_id', '=', orderId).limit(1).executeTakeFirst()
  return row !== undefined
}

/**
 * Whether the router has decided any line, supplier order or not: lines it
 * found unroutable must be decided again when a refund or an edit changes them.
 */
async function routerDecided (trx: Trx, orderId: string): Promise<boolean> {
  const row = await trx.selectFrom('order_lines').select('id').where('order_id', '=', orderId).where('state', 'in', ['routed', 'unroutable']).limit(1).executeTakeFirst()
  return row !== undefined
}

const gateStates = new Set<OrderState>(['received', 'pending_payment', 'held', 'cancelled'])

async function applyGate (trx: Trx, deps: SyncDeps, orderId: string, existing: LockedOrder, gate: Gate, routing: boolean, snapshot: OrderSnapshot): Promise<void> {
  // Acted on once, when the cancellation is first seen: later syncs of a
  // cancelled order must not ask the suppliers again.
  if (!gate.go && gate.state === 'cancelled' && routing) {
    if (existing.cancelled_at !== null) return
    // Held or pending supplier orders were never created at the supplier: they
    // stop here. Those already sent are asked to cancel by the order.cancel job.
    const local = await requestCancellation(trx, orderId, 'shopify')
    if (local.supplierOrders.some((s) => s.outcome === 'cancel_requested')) {
      await sendJob(deps.boss, 'order.cancel', { orderId, actor: 'shopify' }, { trx })
    }
    return
  }
  // Once supplier orders exist, the router and the suppliers own the order's state.
  if (routing || !gateStates.has(existing.state)) return
  const next = gate.go
    ? { state: 'received' as const, reason: 'ready for routing' }
    : { state: gate.state, reason: gate.reason }
  if (!gate.go && gate.state === 'cancelled') next.reason = `${gate.reason}; nothing was sent to a supplier`
  if (next.state === existing.state && next.reason === existing.state_reason) return
  await trx.updateTable('orders').set({ state: next.state, state_reason: next.reason, state_changed_at: sql`now()` }).where('id', '=', orderId).execute()
  await appendTimeline(trx, { orderId, kind: `order.${next.state}`, actor: 'worker', detail: next.reason, data: { financialStatus: snapshot.financialStatus } })
  deps.log.info({ orderId, state: next.state }, 'order state changed')
}

function describeSync (snapshot: OrderSnapshot, decisions: readonly LineDecision[], reason: string): string {
  const routable = decisions.filter((d) => d.state === 'pending').length
  const skipped = decisions.filter((d) => d.state === 'skipped').map((d) => `${d.line.sku ?? d.line.name}: ${d.reason ?? ''}`)
  const payment = (snapshot.financialStatus ?? 'unknown').toLowerCase()
  return `read from Shopify after ${reason}: ${payment}, ${decisions.length} line(s), ${routable} routable${skipped.length ? `; skipped ${skipped.join('; ')}` : ''}`
}
