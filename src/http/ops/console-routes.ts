// The /v1 routes the console needs beyond the CLI's: who am I (full or
// read-only), the stuck list and the last reconciliation, bulk retry of
// needs_attention orders, and the two pictures' series.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { orderStates } from '../../db/schema.ts'
import { AppError } from '../../lib/errors.ts'
import { bulkRetry, BULK_RETRY_LIMIT } from '../../orders/ops/bulk-retry.ts'
import { orderLinks } from '../../orders/read/console-links.ts'
import { findOrderId } from '../../orders/read/lookup.ts'
import { lastReconciliation, needsAttentionOrders, stuckOrders } from '../../orders/read/console-queries.ts'
import { shipTimesPerWeek, stateEntriesPerHour } from '../../orders/read/console-rollups.ts'
import { errorResponses, errorShape } from './schemas.ts'
import type { OpsDeps } from './deps.ts'

export const consoleRoutes: FastifyPluginAsyncZod<OpsDeps> = async (app, { db, boss, waker, stuckThresholds, registry }) => {
  const bulkFilter = z.object({
    supplier: z.string().refine((value) => registry.names.includes(value), { error: `must be ${registry.names.join(' or ')}` }).optional().describe('only orders with a supplier order of this supplier in needs_attention'),
    reason: z.string().trim().min(1).max(200).optional().describe('only orders whose reason contains this text')
  }).strict()

  app.get('/session', {
    schema: { summary: 'What the bearer token may do: full (OPS_API_TOKEN) or read (OPS_READ_TOKEN)', response: { 200: z.object({ access: z.enum(['full', 'read']) }), ...errorResponses } }
  }, async (request) => ({ access: request.opsAccess ?? 'full' }))

  app.get('/overview', {
    schema: {
      summary: 'The stuck orders, oldest first, each with the threshold it passed; the last reconciliation',
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict(),
      response: {
        200: z.object({
          stuck: z.array(z.object({ id: z.string(), name: z.string().nullable(), state: z.enum(orderStates), reason: z.string().nullable(), stateChangedAt: z.date(), ageSeconds: z.number(), thresholdSeconds: z.number() })),
          reconciliation: z.object({ through: z.date(), ranAt: z.date() }).nullable()
        }),
        ...errorResponses
      }
    }
  }, async (request) => {
    const [stuck, reconciliation] = await Promise.all([stuckOrders(db, stuckThresholds, new Date(), request.query.limit), lastReconciliation(db)])
    return { stuck, reconciliation }
  })

  app.get('/orders/:ref/links', {
    schema: {
      summary: 'Where to look next: the order in the Shopify admin, each supplier order in its dashboard',
      params: z.object({ ref: z.string().min(1).max(200) }),
      response: { 200: z.object({ shopifyAdmin: z.string().nullable(), suppliers: z.array(z.object({ supplier: z.string(), externalId: z.string(), supplierOrderId: z.string().nullable(), url: z.string().nullable() })) }), ...errorResponses }
    }
  }, async (request) => {
    const id = await findOrderId(db, request.params.ref)
    if (!id) throw new AppError('not_found', `no order matches "${request.params.ref}"`)
    const links = await orderLinks(db, registry, id)
    return { shopifyAdmin: links.shopifyAdmin, suppliers: [...links.suppliers] }
  })

  app.get('/orders/needs-attention/count', {
    schema: { summary: 'How many needs_attention orders a bulk retry with this filter would retry', querystring: bulkFilter, response: { 200: z.object({ count: z.number(), limit: z.number() }), ...errorResponses } }
  }, async (request) => ({ count: (await needsAttentionOrders(db, request.query, 0)).count, limit: BULK_RETRY_LIMIT }))

  app.post('/orders/retry', {
    schema: {
      summary: `Retry every needs_attention order matching the filter (at most ${BULK_RETRY_LIMIT} per request, oldest first)`,
      body: bulkFilter,
      response: { 200: z.object({ matched: z.number(), retried: z.number(), refused: z.array(z.object({ orderId: z.string(), reason: z.string() })) }), 403: errorShape, ...errorResponses }
    }
  }, async (request) => {
    if (!boss) throw new AppError('not_configured', 'this replica cannot send jobs')
    const result = await bulkRetry(db, boss, request.body)
    waker?.wake('*')
    return { ...result, refused: [...result.refused] }
  })

  app.get('/stats/state-entries', {
    schema: {
      summary: 'Orders entering each state per hour (UTC), oldest first; the current hour counted so far',
      querystring: z.object({ hours: z.coerce.number().int().min(1).max(24 * 31).default(168) }).strict(),
      response: { 200: z.object({ hours: z.array(z.object({ hour: z.date(), state: z.string(), entered: z.number() })) }), ...errorResponses }
    }
  }, async (request) => ({ hours: await stateEntriesPerHour(db, new Date(), request.query.hours) }))

  app.get('/stats/ship-times', {
    schema: {
      summary: 'Time from order to shipment per supplier and week (Monday, UTC): p50 and p90 in seconds, from a histogram (within about 5 %)',
      querystring: z.object({ weeks: z.coerce.number().int().min(1).max(52).default(12) }).strict(),
      response: { 200: z.object({ weeks: z.array(z.object({ week: z.string(), supplier: z.string(), shipments: z.number(), p50Seconds: z.number(), p90Seconds: z.number() })) }), ...errorResponses }
    }
  }, async (request) => ({ weeks: await shipTimesPerWeek(db, new Date(), request.query.weeks) }))
}
