// GET /v1/orders (filters, cursor pages) and GET /v1/orders/:ref (the order
// with its timeline, DESIGN.md's stable shape).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { orderStates } from '../../db/schema.ts'
import { AppError } from '../../lib/errors.ts'
import { orderDetail } from '../../orders/read/detail.ts'
import { findOrderId } from '../../orders/read/lookup.ts'
import { listOrders } from '../../orders/read/order-list.ts'
import { errorResponses } from './schemas.ts'
import type { Registry } from '../../suppliers/registry.ts'
import type { OpsDeps } from './deps.ts'

const listQuery = (registry: Registry) => z.object({
  state: z.enum(orderStates).optional(),
  supplier: z.string().refine((value) => value === 'none' || registry.names.includes(value), { error: `must be ${registry.names.join(', ')} or none` }).optional(),
  stuck: z.enum(['true', 'false']).optional().describe('true: only orders past their state\'s STUCK_AFTER; false: only the others'),
  q: z.string().trim().min(1).max(200).optional().describe('order name (1001 or #1001), email, our id, Shopify order id, or a shipment tracking number'),
  createdAfter: z.iso.datetime({ offset: true }).optional().describe('orders first seen at or after this time'),
  createdBefore: z.iso.datetime({ offset: true }).optional().describe('orders first seen before this time'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(200).optional().describe('nextCursor of the previous page')
}).strict()

const orderItem = z.object({
  id: z.string(),
  shopifyOrderId: z.string(),
  name: z.string().nullable(),
  state: z.enum(orderStates),
  stateReason: z.string().nullable(),
  stateChangedAt: z.date(),
  financialStatus: z.string().nullable(),
  test: z.boolean(),
  stuck: z.boolean(),
  stuckForSeconds: z.number().nullable(),
  createdAt: z.date(),
  updatedAt: z.date()
})

const listResponse = z.object({ orders: z.array(orderItem), nextCursor: z.string().nullable() })

const detailResponse = z.object({
  // The list's row, with the cancel time in place of the stuck duration.
  order: orderItem.omit({ stuckForSeconds: true }).extend({ cancelledAt: z.date().nullable() }),
  lines: z.array(z.object({ shopifyLineItemId: z.string(), variantId: z.string().nullable(), sku: z.string().nullable(), title: z.string().nullable(), quantity: z.number(), supplier: z.string().nullable(), state: z.string(), reason: z.string().nullable() })),
  supplierOrders: z.array(z.object({ id: z.string(), supplier: z.string(), externalId: z.string(), supplierOrderId: z.string().nullable(), state: z.string(), supplierStatus: z.string().nullable(), reason: z.string().nullable(), lastError: z.string().nullable(), submittedAt: z.date().nullable() })),
  shipments: z.array(z.object({ supplier: z.string(), carrier: z.string().nullable(), trackingNumber: z.string().nullable(), trackingUrl: z.string().nullable(), shippedAt: z.date().nullable(), deliveredAt: z.date().nullable(), shopifySyncState: z.string(), shopifyFulfillmentIds: z.array(z.string()) })),
  timeline: z.array(z.object({ at: z.date(), kind: z.string(), actor: z.string(), detail: z.string().nullable(), error: z.string().nullable() }))
})

export const orderRoutes: FastifyPluginAsyncZod<OpsDeps> = async (app, { db, stuckThresholds, registry }) => {
  app.get('/orders', {
    schema: { summary: 'Orders, newest first, filtered; cursor pages', querystring: listQuery(registry), response: { 200: listResponse, ...errorResponses } }
  }, async (request) => {
    const query = request.query
    return listOrders(db, {
      state: query.state,
      supplier: query.supplier,
      stuck: query.stuck === undefined ? undefined : query.stuck === 'true',
      q: query.q,
      createdAfter: query.createdAfter ? new Date(query.createdAfter) : undefined,
      createdBefore: query.createdBefore ? new Date(query.createdBefore) : undefined,
      limit: query.limit,
      cursor: query.cursor
    }, stuckThresholds, new Date())
  })

  app.get('/orders/:ref', {
    schema: {
      summary: 'One order: lines, supplier orders, shipments and its timeline',
      params: z.object({ ref: z.string().min(1).max(200).describe('our id, the Shopify order id (number or GID), or the name (1001 or %231001)') }),
      response: { 200: detailResponse, ...errorResponses }
    }
  }, async (request) => {
    const id = await findOrderId(db, request.params.ref)
    const detail = id ? await orderDetail(db, id, stuckThresholds, new Date()) : undefined
    if (!detail) throw new AppError('not_found', `no order matches "${request.params.ref}"`)
    return detail
  })
}
