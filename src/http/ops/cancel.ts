// POST /v1/orders/:ref/cancel: stop an order at its suppliers.
// What needs no supplier (held and pending supplier orders) is cancelled in
// the request; what does is committed as `cancel_requested` together with an
// order.cancel job, in one transaction, and the answer is 202. The supplier
// calls run in the worker, not here: they can wait for a rate budget, be
// retried with backoff, and must wait for a submission in flight (the
// advisory lock), none of which belongs in an HTTP request; and an api-only
// replica has no supplier clients at all. GET /v1/orders/:ref shows the end.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { sendJob } from '../../queue/boss.ts'
import { AppError } from '../../lib/errors.ts'
import { requestCancellation } from '../../orders/submission/cancel.ts'
import { findOrderId } from '../../orders/read/lookup.ts'
import type { OpsDeps } from './deps.ts'

const cancelResponse = z.object({
  order: z.object({ id: z.string(), state: z.string(), stateReason: z.string().nullable() }),
  supplierOrders: z.array(z.object({
    id: z.string(),
    supplier: z.string(),
    externalId: z.string(),
    /** cancelled (here, never sent), already_cancelled, or cancel_requested (the supplier is being asked). */
    outcome: z.string(),
    reason: z.string().nullable()
  }))
})

export const cancelRoutes: FastifyPluginAsyncZod<OpsDeps> = async (app, { db, boss }) => {
  app.post('/orders/:ref/cancel', {
    schema: {
      summary: 'Cancel an order at its suppliers',
      description: 'Supplier orders never sent are cancelled at once (200); submitted ones are asked to cancel by a job (202), confirmed by reading them back, or marked needs_attention when already in production. The Shopify order itself is not changed.',
      params: z.object({ ref: z.string().min(1) }),
      response: { 200: cancelResponse, 202: cancelResponse }
    }
  }, async (request, reply) => {
    const orderId = await findOrderId(db, request.params.ref)
    if (!orderId) throw new AppError('not_found', `no order ${request.params.ref}`)
    const result = await db.transaction().execute(async (trx) => {
      const local = await requestCancellation(trx, orderId, 'ops')
      if (local.supplierOrders.length === 0) {
        throw new AppError('conflict', 'nothing has been routed to a supplier yet: cancel the order in Shopify and it will never be sent')
      }
      if (local.supplierOrders.some((s) => s.outcome === 'cancel_requested')) {
        if (!boss) throw new AppError('unavailable', 'the job queue is not available to carry the cancellation to the suppliers')
        await sendJob(boss, 'order.cancel', { orderId, actor: 'ops' }, { trx })
      }
      const order = await trx.selectFrom('orders').select(['id', 'state', 'state_reason']).where('id', '=', orderId).executeTakeFirstOrThrow()
      return { order: { id: order.id, state: order.state, stateReason: order.state_reason }, supplierOrders: local.supplierOrders }
    })
    const waiting = result.supplierOrders.some((s) => s.outcome === 'cancel_requested')
    return reply.code(waiting ? 202 : 200).send(result)
  })
}
