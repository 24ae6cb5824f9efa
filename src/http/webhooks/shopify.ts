// POST /webhooks/shopify: one URL for every topic. The body parser is scoped
// to this plugin and keeps the exact bytes: the HMAC is verified on them
// before anything is parsed (DESIGN.md, "Raw body"). Each refusal has its own
// status and says why; nothing from a refused payload is stored.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { PgBoss } from 'pg-boss'
import type { Config } from '../../config.ts'
import type { Db } from '../../db/database.ts'
import { AppError } from '../../lib/errors.ts'
import { parseJsonKeepingBigInts } from '../../lib/json.ts'
import { withoutNul } from '../no-nul.ts'
import type { Metrics } from '../../lib/metrics.ts'
import { createIntakeBatcher } from '../../orders/intake/batch.ts'
import { verifyShopifySignature } from '../../shopify/webhook-signature.ts'
import { SHOPIFY_WEBHOOK_PATH } from '../../shopify/subscriptions.ts'
import type { Waker } from '../../queue/waker.ts'

// A 250-line order as REST JSON is about 1 MB (each line item with its tax
// lines, discount allocations and properties runs 2-4 KB); 4 MiB leaves room
// for large notes and attributes without inviting abuse.
export const SHOPIFY_WEBHOOK_BODY_LIMIT = 4 * 1024 * 1024

export interface ShopifyWebhookDeps {
  readonly config: Config
  readonly db: Db
  readonly boss: PgBoss | undefined
  readonly metrics: Metrics
  readonly waker: Waker | undefined
}

declare module 'fastify' {
  interface FastifyRequest { webhookOutcome?: string | undefined, webhookTopic?: string | undefined }
}

/** Shopify's classic X-Shopify-* headers, or the unprefixed shopify-* of events webhooks (shopify.md §1.2). */
// Shop, topic and the dedupe id make one unique index entry, which Postgres caps at 2704 bytes:
// four values of up to 150 characters (4 bytes each at most) fit. Shopify's are under 100.
export const MAX_KEY_LENGTH = 150

function header (request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[`x-shopify-${name}`] ?? request.headers[`shopify-${name}`]
  const text = Array.isArray(value) ? value[0] : value
  return text?.trim() || undefined
}

function refuse (request: FastifyRequest, outcome: string, error: AppError): never {
  request.webhookOutcome = outcome
  request.log.warn({ outcome, topic: request.webhookTopic, shop: header(request, 'shop-domain'), webhookId: header(request, 'webhook-id') }, `shopify webhook refused: ${error.message}`)
  throw error
}

export const shopifyWebhooks: FastifyPluginAsync<ShopifyWebhookDeps> = async (app, deps) => {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: SHOPIFY_WEBHOOK_BODY_LIMIT }, (_request, body, done) => { done(null, body) })
  // Deliveries arriving while one is being stored are stored together (group commit, orders/intake/batch.ts).
  const intake = deps.boss
    ? createIntakeBatcher(deps.db, deps.boss, {
        onCommit: (size) => { deps.metrics.intakeBatchSize.observe(size) },
        onFallback: (err, size) => { app.log.warn({ err, size }, 'a batch of Shopify webhooks could not be stored together; storing them one by one') }
      })
    : undefined

  app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    const topic = request.webhookTopic ?? 'unknown'
    deps.metrics.webhooks.inc({ source: 'shopify', topic, outcome: request.webhookOutcome ?? (reply.statusCode === 413 ? 'too_large' : `http_${reply.statusCode}`) })
    deps.metrics.ingestSeconds.observe({ source: 'shopify' }, reply.elapsedTime / 1000)
  })

  // Access logs stay at warn on this route: every accepted delivery is already
  // a row (webhook_events, the timeline), and at hundreds per second two log
  // lines per request cost a third of the throughput (BENCHMARKS.md).
  app.post(SHOPIFY_WEBHOOK_PATH, { bodyLimit: SHOPIFY_WEBHOOK_BODY_LIMIT, logLevel: 'warn', schema: { hide: true } }, async (request, reply) => {
    const topic = header(request, 'topic')
    request.webhookTopic = topic
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
    const check = verifyShopifySignature(raw, header(request, 'hmac-sha256'), deps.config.shopify.webhookSecrets)
    if (check === 'no_secret') refuse(request, 'not_configured', new AppError('not_configured', 'no Shopify webhook secret is configured (SHOPIFY_WEBHOOK_SECRETS or SHOPIFY_CLIENT_SECRET)'))
    if (check === 'missing') refuse(request, 'unsigned', new AppError('unauthorized', 'missing X-Shopify-Hmac-Sha256 signature'))
    if (check !== 'ok') refuse(request, 'bad_signature', new AppError('unauthorized', 'the X-Shopify-Hmac-Sha256 signature does not match the body'))

    const shop = header(request, 'shop-domain')?.toLowerCase()
    const expectedShop = deps.config.shopify.shopDomain
    if (!shop) refuse(request, 'no_shop', new AppError('unauthorized', 'missing X-Shopify-Shop-Domain'))
    if (expectedShop && shop !== expectedShop) refuse(request, 'wrong_shop', new AppError('unauthorized', `webhooks from ${shop} are not accepted here (SHOPIFY_SHOP_DOMAIN is ${expectedShop})`))
    if (!topic) refuse(request, 'no_topic', new AppError('bad_request', 'missing X-Shopify-Topic'))
    const eventId = header(request, 'event-id')
    const webhookId = header(request, 'webhook-id')
    if (!eventId && !webhookId) refuse(request, 'no_id', new AppError('bad_request', 'missing X-Shopify-Event-Id and X-Shopify-Webhook-Id: the delivery cannot be deduplicated'))
    const overlong = ([['topic', topic], ['shop domain', shop], ['event id', eventId], ['webhook id', webhookId]] as const).find(([, value]) => (value?.length ?? 0) > MAX_KEY_LENGTH)
    if (overlong) refuse(request, 'malformed', new AppError('bad_request', `the ${overlong[0]} header is over ${MAX_KEY_LENGTH} characters: not one Shopify sends`))

    let body: unknown
    try {
      body = withoutNul(parseJsonKeepingBigInts(raw.toString('utf8')))
    } catch (err) {
      refuse(request, 'malformed_json', new AppError('bad_request', `the body is not valid JSON: ${(err as Error).message}`))
    }
    if (!intake) throw new AppError('unavailable', 'this replica does not accept webhooks')

    const triggered = header(request, 'triggered-at')
    const triggeredAt = triggered && !Number.isNaN(Date.parse(triggered)) ? new Date(triggered) : undefined
    let outcome
    try {
      outcome = await intake.record({
        shop, topic, eventId, webhookId, apiVersion: header(request, 'api-version'), triggeredAt, rawBody: raw, body
      })
    } catch (err) {
      // Nothing was committed: a 503 makes Shopify retry the delivery later.
      request.webhookOutcome = 'unavailable'
      request.log.error({ err, topic, webhookId }, 'could not record a Shopify webhook')
      throw new AppError('unavailable', 'the delivery could not be stored; retry later', { cause: err })
    }
    request.webhookOutcome = outcome.status
    if (outcome.status === 'accepted') deps.waker?.wake('order.sync')
    if (outcome.status === 'failed') request.log.warn({ topic, eventId: outcome.eventId, reason: outcome.reason }, `shopify webhook ${outcome.status}`)
    return reply.status(200).send(outcome.status === 'duplicate' ? { status: 'duplicate' } : { status: outcome.status, id: outcome.eventId })
  })
}
