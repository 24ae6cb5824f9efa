// GET /v1/webhooks (stored deliveries, without bodies) and
// POST /v1/webhooks/:id/replay: the stored bytes go through the same intake
// path as a live delivery, as a new event marked replay_of. The order's sync
// job is stately, so replaying twice queues no second sync for one order.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { AppError } from '../../lib/errors.ts'
import { parseJsonKeepingBigInts } from '../../lib/json.ts'
import { recordShopifyDelivery } from '../../orders/intake/webhook-intake.ts'
import { listWebhookEvents } from '../../orders/read/webhook-events.ts'
import { errorResponses, errorShape } from './schemas.ts'
import type { Registry } from '../../suppliers/registry.ts'
import type { OpsDeps } from './deps.ts'

const statuses = ['received', 'processed', 'ignored', 'failed', 'redacted'] as const

const listQuery = (registry: Registry) => z.object({
  source: z.string().refine((value) => value === 'shopify' || registry.names.includes(value), { error: `must be shopify, ${registry.names.join(' or ')}` }).optional(),
  topic: z.string().trim().min(1).max(100).optional().describe('e.g. orders/create'),
  status: z.enum(statuses).optional(),
  orderId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(200).optional().describe('nextCursor of the previous page')
}).strict()

const listResponse = z.object({
  webhooks: z.array(z.object({
    id: z.string(),
    source: z.string(),
    shop: z.string(),
    topic: z.string(),
    eventId: z.string().nullable(),
    webhookId: z.string().nullable(),
    status: z.enum(statuses),
    error: z.string().nullable(),
    orderId: z.string().nullable(),
    replayOf: z.string().nullable(),
    bodyBytes: z.number(),
    triggeredAt: z.date().nullable(),
    receivedAt: z.date()
  })),
  nextCursor: z.string().nullable()
})

const replayResponse = z.object({
  replayOf: z.string(),
  status: z.enum(['accepted', 'duplicate', 'ignored', 'failed']),
  id: z.string().optional().describe('the new event\'s id'),
  orderId: z.string().optional(),
  reason: z.string().optional()
})

export const webhookRoutes: FastifyPluginAsyncZod<OpsDeps> = async (app, { db, boss, waker, registry }) => {
  app.get('/webhooks', {
    schema: { summary: 'Stored webhook deliveries, newest first (bodies are never listed)', querystring: listQuery(registry), response: { 200: listResponse, ...errorResponses } }
  }, async (request) => listWebhookEvents(db, request.query))

  app.post('/webhooks/:id/replay', {
    schema: {
      summary: 'Run a stored delivery through intake again, as a new event marked as a replay',
      params: z.object({ id: z.uuid() }),
      response: { 200: replayResponse, 409: errorShape, ...errorResponses }
    }
  }, async (request) => {
    const { id } = request.params
    const event = await db.selectFrom('webhook_events').selectAll().where('id', '=', id).executeTakeFirst()
    if (!event) throw new AppError('not_found', `no webhook event ${id}`)
    if (event.source !== 'shopify') throw new AppError('conflict', `replaying ${event.source} webhooks is not supported yet`)
    if (event.status === 'redacted') throw new AppError('conflict', 'this event\'s body was redacted and cannot be replayed')
    if (!boss) throw new AppError('unavailable', 'this replica does not send jobs')
    let body: unknown
    try {
      body = parseJsonKeepingBigInts(event.raw_body.toString('utf8'))
    } catch {
      throw new AppError('conflict', 'the stored body is not JSON and cannot be replayed')
    }
    const outcome = await recordShopifyDelivery(db, boss, {
      shop: event.shop,
      topic: event.topic,
      eventId: event.event_id ?? undefined,
      webhookId: event.webhook_id ?? undefined,
      apiVersion: event.api_version ?? undefined,
      triggeredAt: event.triggered_at ?? undefined,
      rawBody: event.raw_body,
      body,
      replayOf: id
    })
    if (outcome.status === 'accepted') waker?.wake('order.sync')
    request.log.info({ webhookId: id, outcome: outcome.status }, 'webhook replayed')
    if (outcome.status === 'duplicate') return { replayOf: id, status: outcome.status }
    if (outcome.status === 'accepted') return { replayOf: id, status: outcome.status, id: outcome.eventId, ...(outcome.orderId ? { orderId: outcome.orderId } : {}) }
    return { replayOf: id, status: outcome.status, id: outcome.eventId, reason: outcome.reason }
  })
}
