// Store variants whose mapping was removed (the product push: the variant left
// the supplier's product, or the product left either side), and the open
// orders that still need them. A line routed into a supplier order not sent
// yet (pending, held) would be sent with a variant the supplier no longer
// sells: that supplier order goes to `needs_attention` naming the variant and
// what to do, so it is not submitted and shows in ops' needs_attention list
// (the order's state refreshed with it). A line not routed yet, or one whose
// supplier order is already flagged, only gets a note on its timeline: routing
// names an unmapped line unroutable when it runs.
import { sql } from 'kysely'
import type { Trx } from '../../db/database.ts'
import { lockOrder } from '../lock.ts'
import { refreshOrderState } from '../state/order-state.ts'
import { appendTimeline, type Actor } from '../timeline.ts'
import { lineName } from './line-decisions.ts'

/** Supplier orders with nothing at the supplier yet; needs_attention ones are already in front of a person. */
const unsentStates = ['pending', 'held', 'needs_attention'] as const

/** What to do about a line whose variant lost its mapping; PUT /v1/mappings routes the waiting orders again. */
const fix = 'map it by hand (PUT /v1/mappings, which routes the order again) or remove the line from the order in Shopify'

/** Flags the open orders that need one of these store variants (gids); returns their ids. Takes each order's row lock. */
export async function flagOrdersForRemovedVariants (trx: Trx, storeVariantIds: readonly string[], why: string, actor: Actor): Promise<string[]> {
  if (storeVariantIds.length === 0) return []
  const open = await trx.selectFrom('order_lines as l').innerJoin('orders as o', 'o.id', 'l.order_id')
    .select(['o.id as orderId', 'l.id as lineId', 'l.variant_id', 'l.sku', 'l.title', 'l.state'])
    .where('l.variant_id', 'in', [...storeVariantIds])
    .where('o.cancelled_at', 'is', null).where('o.cancelled_locally_at', 'is', null)
    .where((eb) => eb.or([
      eb('l.state', 'in', ['pending', 'unroutable']),
      eb.and([eb('l.state', '=', 'routed'), eb.exists(eb.selectFrom('supplier_order_lines as sol').innerJoin('supplier_orders as so', 'so.id', 'sol.supplier_order_id')
        .select(sql`1`.as('x')).whereRef('sol.order_line_id', '=', 'l.id').where('so.supplier_order_id', 'is', null).where('so.state', 'in', unsentStates))])
    ]))
    .orderBy('o.id').orderBy('l.id')
    .execute()
  const orderIds = [...new Set(open.map((l) => l.orderId))]
  for (const orderId of orderIds) {
    await lockOrder(trx, orderId)
    for (const line of open.filter((l) => l.orderId === orderId)) {
      const variant = `store variant ${(line.variant_id ?? '').split('/').pop() ?? ''}`
      // Under the order's lock: a submission that claimed the supplier order meanwhile took it out of reach.
      const unsent = line.state === 'routed'
        ? await trx.selectFrom('supplier_order_lines as sol').innerJoin('supplier_orders as so', 'so.id', 'sol.supplier_order_id')
          .select(['so.id', 'so.state', 'so.supplier', 'so.external_id'])
          .where('sol.order_line_id', '=', line.lineId).where('so.supplier_order_id', 'is', null).where('so.state', 'in', unsentStates)
          .forNoKeyUpdate('so').execute()
        : []
      const stoppable = unsent.filter((so) => so.state === 'pending' || so.state === 'held')
      for (const so of stoppable) {
        const reason = `${lineName(line)} needs ${variant}, which lost its ${so.supplier} mapping (${why}): sent, it would order a variant ${so.supplier} no longer sells; ${fix}`
        await trx.updateTable('supplier_orders').set({ state: 'needs_attention', reason, hold_until: null, updated_at: sql<Date>`now()` }).where('id', '=', so.id).execute()
        await appendTimeline(trx, { orderId, supplierOrderId: so.id, kind: 'product.variant_removed', actor, detail: `not sent: ${reason}`, data: { variantId: line.variant_id, lineId: line.lineId } })
      }
      if (stoppable.length === 0) {
        await appendTimeline(trx, { orderId, kind: 'product.variant_removed', actor, detail: `${lineName(line)} needs ${variant}, which lost its pushed mapping (${why}): ${fix}`, data: { variantId: line.variant_id, lineId: line.lineId } })
      }
    }
    await refreshOrderState(trx, orderId, actor)
  }
  return orderIds
}
