// shopify.fulfill: one shipment written back to Shopify as fulfillments with
// its tracking, once per parcel, on the right lines.
// 1. Runs under an advisory lock on the order: two shipments of one order (or
//    two runs of one job) never plan against the same read of Shopify.
// 2. Reads the order fresh (fulfillment orders and fulfillments) every time:
//    the stored snapshot can predate our own fulfillments.
// 3. Before creating, looks for what is already there: fulfillments recorded
//    for this shipment, then unrecorded ones with the same tracking number and
//    lines (an earlier call whose answer was lost). A retry never fulfils twice.
// 4. One fulfillmentCreate per location. A refusal (userErrors) reads the order
//    again and plans again: a moved, split or merged fulfillment order is new
//    ground, not a permanent error. A refusal that survives a fresh read is.
// 5. THROTTLED past the client's own wait reschedules the job (never sleeps);
//    transient failures retry with backoff; the rest goes to needs_attention.
import { sql } from 'kysely'
import type { PgBoss } from 'pg-boss'
import type { Logger } from 'pino'
import type { Config } from '../../config.ts'
import type { Db, Trx } from '../../db/database.ts'
import { sendJob } from '../../queue/boss.ts'
import { queues } from '../../queue/queues.ts'
import { AppError, errorMessage } from '../../lib/errors.ts'
import { failureRung } from '../../lib/failure-ladder.ts'
import { shopifyCarrier } from '../../shopify/carriers.ts'
import { isShopifyUserErrors, type ShopifyAdminClient, type TrackingInput } from '../../shopify/index.ts'
import type { Fulfillment, OrderSnapshot } from '../../shopify/order-snapshot.ts'
import { findAdoptable, fulfillmentOrderOf, planCalls, subtract, trackingDiffers, type LineQuantities, type PlannedCall, type TrackingFacts } from './plan.ts'
import { addReshippedTracking } from './reshipment.ts'
import { shipmentItemsSchema } from '../state/fulfillment-state.ts'
import { refreshOrderState } from '../state/order-state.ts'
import { appendTimeline } from '../timeline.ts'

export interface FulfillDeps {
  readonly db: Db
  readonly boss: PgBoss
  readonly shopify: ShopifyAdminClient | undefined
  readonly config: Config
  readonly log: Logger
}

export type FulfillOutcome = 'synced' | 'tracking_updated' | 'unchanged' | 'nothing_to_do' | 'not_configured' | 'rescheduled' | 'retrying' | 'needs_attention'

/** Fresh reads after a refusal: a fulfillment order moved twice while we plan is already unusual. */
const READS_PER_RUN = 3

interface ShipmentRow {
  id: string
  supplier_order_id: string
  carrier: string | null
  service: string | null
  tracking_number: string | null
  tracking_url: string | null
  items: unknown
  reshipment: boolean
  order_id: string
  shopify_order_id: string
  supplier: string
}

export async function fulfillShipment (deps: FulfillDeps, shipmentId: string, retryCount: number): Promise<FulfillOutcome> {
  const { shopify } = deps
  if (!shopify) {
    deps.log.warn({ shipmentId }, 'shopify.fulfill cannot write fulfillments: no Shopify store or credentials configured')
    return 'not_configured'
  }
  const head = await loadShipment(deps.db, shipmentId)
  if (!head) return 'nothing_to_do'
  const result = await deps.db.transaction().execute(async (trx): Promise<{ outcome: FulfillOutcome, error?: unknown }> => {
    // Held over the Shopify calls: see (1) above. A killed runner's lock dies with its connection.
    await sql`select pg_advisory_xact_lock(hashtextextended(${`fulfill:${head.order_id}`}, 0))`.execute(trx)
    const shipment = await loadShipment(trx, shipmentId)
    if (!shipment) return { outcome: 'nothing_to_do' }
    try {
      return { outcome: await writeBack({ deps, shopify, trx, shipment }) }
    } catch (err) {
      return { outcome: await fail(deps, trx, shipment, err, retryCount), error: err }
    }
  })
  // What this attempt wrote is committed (fulfillments recorded); pg-boss backs off and runs it again.
  if (result.outcome === 'retrying') throw new AppError('upstream_transient', errorMessage(result.error), { cause: result.error })
  return result.outcome
}

async function loadShipment (db: Db | Trx, id: string): Promise<ShipmentRow | undefined> {
  return db.selectFrom('shipments as sh')
    .innerJoin('supplier_orders as s', 's.id', 'sh.supplier_order_id')
    .innerJoin('orders as o', 'o.id', 's.order_id')
    .select(['sh.id', 'sh.supplier_order_id', 'sh.carrier', 'sh.service', 'sh.tracking_number', 'sh.tracking_url', 'sh.items', 'sh.reshipment', 's.order_id', 's.supplier', 'o.shopify_order_id'])
    .where('sh.id', '=', id)
    .executeTakeFirst()
}

interface Run {
  readonly deps: FulfillDeps
  readonly shopify: ShopifyAdminClient
  readonly trx: Trx
  readonly shipment: ShipmentRow
}

async function writeBack (run: Run): Promise<FulfillOutcome> {
  const { shipment, trx } = run
  const required = await requiredLines(trx, shipment)
  const tracking: TrackingFacts = { company: shopifyCarrier(shipment.carrier, shipment.service), number: shipment.tracking_number, url: shipment.tracking_url }
  if (shipment.reshipment) {
    const updated = await addReshippedTracking({ ...run, notifyCustomer: run.deps.config.shopify.notifyCustomer }, tracking, new Set(required.keys()))
    await markSynced(run)
    return updated > 0 ? 'tracking_updated' : 'unchanged'
  }
  let created = 0
  let adopted = 0
  let updated = 0
  for (let read = 1; ; read++) {
    const snapshot = await run.shopify.order(shipment.shopify_order_id)
    if (!snapshot) throw new AppError('not_found', `Shopify has no order ${shipment.shopify_order_id} (deleted?)`)
    const { ours, notOurs } = await recordedFulfillments(trx, shipment.id, snapshot)
    let remainder: LineQuantities = required
    for (const fulfillment of ours) {
      // A fulfillment the merchant cancelled in Shopify keeps its tracking: theirs to redo.
      if (fulfillment.status === 'SUCCESS' && trackingDiffers(fulfillment, tracking)) {
        await correctTracking(run, fulfillment, tracking)
        updated++
      }
      remainder = subtract(remainder, fulfillment)
    }
    for (const fulfillment of findAdoptable(snapshot.fulfillments, remainder, tracking.number, new Set([...ours.map((f) => f.id), ...notOurs]))) {
      const foIds = [...new Set(fulfillment.lineItems.map((item) => fulfillmentOrderOf(snapshot.fulfillmentOrders, item.lineItemId)).filter((id) => id !== undefined))]
      await record(trx, shipment.id, fulfillment.id, foIds)
      await appendTimeline(trx, {
        ...where(shipment), kind: 'fulfillment.adopted', actor: 'shopify',
        detail: `Shopify already has fulfillment ${fulfillment.id} with this parcel's tracking and lines (an earlier answer was lost); not creating another`,
        data: { shipmentId: shipment.id, fulfillmentId: fulfillment.id }
      })
      remainder = subtract(remainder, fulfillment)
      adopted++
    }
    if (remainder.size === 0) {
      await markSynced(run)
      if (created + adopted > 0) return 'synced'
      return updated > 0 ? 'tracking_updated' : 'unchanged'
    }
    const plan = planCalls(snapshot.fulfillmentOrders, remainder)
    if (plan.shortfalls.length > 0) {
      const lines = plan.shortfalls.map((s) => `${lineName(snapshot, s.lineItemId)}: ${s.wanted} shipped, ${s.open} open in Shopify (${s.why})`)
      throw new AppError('conflict', `this parcel does not fit the order in Shopify: ${lines.join('; ')}`)
    }
    try {
      for (const call of plan.calls) {
        await createOne(run, call, tracking)
        created++
      }
    } catch (err) {
      if (!isShopifyUserErrors(err) || read >= READS_PER_RUN) throw err
      await appendTimeline(trx, { ...where(shipment), kind: 'fulfillment.reread', actor: 'shopify', detail: 'Shopify refused the fulfillment as planned (a fulfillment order moved, split or merged?); reading the order again', error: err.message })
      continue
    }
    await markSynced(run)
    return 'synced'
  }
}

/** The shipment's lines as Shopify LineItem GIDs and quantities. */
async function requiredLines (trx: Trx, shipment: ShipmentRow): Promise<Map<string, number>> {
  const parsed = shipmentItemsSchema.safeParse(shipment.items)
  if (!parsed.success || parsed.data.length === 0) throw new AppError('bad_request', 'the shipment names no order lines, so it cannot be placed on the order in Shopify')
  const ids = [...new Set(parsed.data.map((item) => item.orderLineId))]
  const lines = await trx.selectFrom('order_lines').select(['id', 'shopify_line_item_id']).where('order_id', '=', shipment.order_id).where('id', 'in', ids).execute()
  const gidOf = new Map(lines.map((line) => [line.id, line.shopify_line_item_id]))
  const required = new Map<string, number>()
  for (const item of parsed.data) {
    const gid = gidOf.get(item.orderLineId)
    if (!gid) throw new AppError('bad_request', `the shipment names order line ${item.orderLineId}, which is not a line of this order`)
    required.set(gid, (required.get(gid) ?? 0) + item.quantity)
  }
  return required
}

/** Shopify's fulfillments recorded for this shipment, and the ids other shipments own. */
async function recordedFulfillments (trx: Trx, shipmentId: string, snapshot: OrderSnapshot): Promise<{ ours: Fulfillment[], notOurs: Set<string> }> {
  const ids = snapshot.fulfillments.map((f) => f.id)
  if (ids.length === 0) return { ours: [], notOurs: new Set() }
  const rows = await trx.selectFrom('shipment_fulfillments').select(['shipment_id', 'shopify_fulfillment_id']).where('shopify_fulfillment_id', 'in', ids).execute()
  const mine = new Set(rows.filter((r) => r.shipment_id === shipmentId).map((r) => r.shopify_fulfillment_id))
  return {
    ours: snapshot.fulfillments.filter((f) => mine.has(f.id)),
    notOurs: new Set(rows.filter((r) => r.shipment_id !== shipmentId).map((r) => r.shopify_fulfillment_id))
  }
}

async function createOne (run: Run, call: PlannedCall, tracking: TrackingFacts): Promise<void> {
  const { shipment, trx } = run
  const fulfillment = await run.shopify.createFulfillment({
    lineItemsByFulfillmentOrder: call.lineItemsByFulfillmentOrder,
    ...(tracking.number === null ? {} : { tracking: trackingInput(tracking) }),
    notifyCustomer: run.deps.config.shopify.notifyCustomer
  })
  // Recorded in this transaction at once: a failure of a later call still commits it.
  await record(trx, shipment.id, fulfillment.id, call.lineItemsByFulfillmentOrder.map((g) => g.fulfillmentOrderId))
  const items = call.lineItemsByFulfillmentOrder.flatMap((g) => g.lineItems).reduce((sum, item) => sum + item.quantity, 0)
  await appendTimeline(trx, {
    ...where(shipment), kind: 'fulfillment.created', actor: 'shopify',
    detail: `${items} item(s) fulfilled in Shopify from ${call.locationName}, ${tracking.number === null ? 'without tracking (the supplier gave no number)' : `tracking ${[tracking.company, tracking.number].filter(Boolean).join(' ')}`}`,
    data: { shipmentId: shipment.id, fulfillmentId: fulfillment.id, fulfillmentOrderIds: call.lineItemsByFulfillmentOrder.map((g) => g.fulfillmentOrderId), notifyCustomer: run.deps.config.shopify.notifyCustomer }
  })
}

async function correctTracking (run: Run, fulfillment: Fulfillment, tracking: TrackingFacts): Promise<void> {
  await run.shopify.updateTracking({ fulfillmentId: fulfillment.id, tracking: trackingInput(tracking), notifyCustomer: run.deps.config.shopify.notifyCustomer })
  await appendTimeline(run.trx, {
    ...where(run.shipment), kind: 'fulfillment.tracking_updated', actor: 'shopify',
    detail: `tracking of fulfillment ${fulfillment.id} corrected to ${[tracking.company, tracking.number ?? '(no number)'].filter(Boolean).join(' ')}`,
    data: { shipmentId: run.shipment.id, fulfillmentId: fulfillment.id, was: fulfillment.tracking[0] ?? null }
  })
}

async function record (trx: Trx, shipmentId: string, fulfillmentId: string, fulfillmentOrderIds: readonly string[]): Promise<void> {
  for (const fulfillmentOrderId of fulfillmentOrderIds) {
    await trx.insertInto('shipment_fulfillments').values({ shipment_id: shipmentId, fulfillment_order_id: fulfillmentOrderId, shopify_fulfillment_id: fulfillmentId })
      .onConflict((oc) => oc.constraint('shipment_fulfillments_pkey').doNothing()).execute()
  }
}

async function markSynced (run: Run): Promise<void> {
  await run.trx.updateTable('shipments').set({ shopify_sync_state: 'synced', shopify_sync_error: null, shopify_synced_at: sql`now()`, updated_at: sql`now()` }).where('id', '=', run.shipment.id).execute()
  await refreshOrderState(run.trx, run.shipment.order_id, 'worker')
}

async function fail (deps: FulfillDeps, trx: Trx, shipment: ShipmentRow, err: unknown, retryCount: number): Promise<FulfillOutcome> {
  const step = failureRung(err, { retryCount, retryLimit: queues['shopify.fulfill'].options.retryLimit })
  if (step.rung === 'wait') {
    await appendTimeline(trx, { ...where(shipment), kind: 'fulfillment.rate_limited', actor: 'shopify', detail: `Shopify's API bucket is empty; writing again after ${step.until.toISOString()}`, error: step.message })
    await sendJob(deps.boss, 'shopify.fulfill', { shipmentId: shipment.id }, { trx, startAfter: step.until })
    return 'rescheduled'
  }
  if (step.rung === 'retry') {
    await appendTimeline(trx, { ...where(shipment), kind: 'fulfillment.retry', actor: 'worker', detail: 'will look at Shopify again and write what is missing', error: step.message })
    return 'retrying'
  }
  const reason = step.reason
  await trx.updateTable('shipments').set({ shopify_sync_state: 'failed', shopify_sync_error: reason, updated_at: sql`now()` }).where('id', '=', shipment.id).execute()
  await appendTimeline(trx, { ...where(shipment), kind: 'fulfillment.failed', actor: 'shopify', detail: `the ${shipment.supplier} parcel${shipment.tracking_number ? ` ${shipment.tracking_number}` : ''} could not be written to Shopify`, error: reason, data: { shipmentId: shipment.id } })
  await refreshOrderState(trx, shipment.order_id, 'worker')
  deps.log.warn({ shipmentId: shipment.id, orderId: shipment.order_id }, `fulfillment write-back needs attention: ${reason}`)
  return 'needs_attention'
}

function where (shipment: ShipmentRow): { orderId: string, supplierOrderId: string } {
  return { orderId: shipment.order_id, supplierOrderId: shipment.supplier_order_id }
}

function trackingInput (tracking: TrackingFacts): TrackingInput {
  return {
    ...(tracking.company === null ? {} : { company: tracking.company }),
    ...(tracking.number === null ? {} : { number: tracking.number }),
    ...(tracking.url === null ? {} : { url: tracking.url })
  }
}

function lineName (snapshot: OrderSnapshot, lineItemId: string): string {
  const line = snapshot.lines.find((l) => l.id === lineItemId)
  return line ? line.sku ?? line.name : lineItemId
}
