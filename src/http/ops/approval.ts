// POST /v1/orders/:ref/approve and /retry: the ops person's decisions. Approving
// an order that is not held answers 409 (DESIGN.md), unless a change after
// submission waits to be marked fixed at the supplier; retry re-runs what failed.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { AppError } from '../../lib/errors.ts'
import { approveOrder } from '../../orders/routing/approval.ts'
import { findOrderId } from '../../orders/read/lookup.ts'
import { retryOrder } from '../../orders/submission/retry.ts'
import type { OpsDeps } from './deps.ts'

const params = z.object({ ref: z.string().min(1).max(100) })
const body = z.object({
  /** Who decided, for the timeline (the ops API has one shared token). */
  by: z.string().trim().min(1).max(100).optional()
}).strict().nullish()
const errorShape = z.object({ error: z.object({ code: z.string(), message: z.string() }) })

const approveResponse = z.object({
  orderId: z.uuid(),
  state: z.string(),
  result: z.enum(['released', 'sync_requested', 'acknowledged']),
  supplierOrders: z.array(z.object({ id: z.uuid(), supplier: z.string(), externalId: z.string() })),
  /** Supplier orders flagged by a change after submission, now marked fixed at the supplier (nothing sent again). */
  acknowledged: z.array(z.object({ id: z.uuid(), supplier: z.string(), externalId: z.string() }))
})

const retryResponse = z.object({
  orderId: z.uuid(),
  retried: z.array(z.object({ job: z.string(), target: z.string() }))
})

export const approvalRoutes: FastifyPluginAsyncZod<OpsDeps> = async (app, { db, boss, waker }) => {
  const orderIdOf = async (ref: string) => {
    const id = await findOrderId(db, ref)
    if (!id) throw new AppError('not_found', `no order matches ${ref}`)
    return id
  }
  const stateOf = async (orderId: string) => (await db.selectFrom('orders').select('state').where('id', '=', orderId).executeTakeFirstOrThrow()).state

  app.post('/orders/:ref/approve', {
    schema: {
      summary: 'Approve a held order: its supplier orders are sent (or, held before the cut-over, it is routed); a change after submission is marked fixed at the supplier',
      params,
      body,
      response: { 200: approveResponse, 404: errorShape, 409: errorShape }
    }
  }, async (request) => {
    if (!boss) throw new AppError('not_configured', 'this replica cannot send jobs')
    const orderId = await orderIdOf(request.params.ref)
    const outcome = await db.transaction().execute((trx) => approveOrder(trx, boss, orderId, request.body?.by ?? 'ops'))
    return {
      orderId,
      state: await stateOf(orderId),
      result: outcome.kind,
      supplierOrders: outcome.kind === 'released' ? [...outcome.supplierOrders] : [],
      acknowledged: [...outcome.acknowledged]
    }
  })

  app.post('/orders/:ref/retry', {
    schema: {
      summary: 'Re-run the failed step of an order (submission, supplier read, Shopify write-back, routing)',
      params,
      response: { 200: retryResponse, 404: errorShape, 409: errorShape }
    }
  }, async (request) => {
    if (!boss) throw new AppError('not_configured', 'this replica cannot send jobs')
    const orderId = await orderIdOf(request.params.ref)
    const retried = await db.transaction().execute((trx) => retryOrder(trx, boss, orderId))
    waker?.wake('*')
    return { orderId, retried }
  })
}
