// POST /webhooks/printful and /webhooks/printify. Printful's v1 webhooks carry
// no signature and no custom header, so the URL holds a secret token
// (PRINTFUL_WEBHOOK_SECRET) and the event is only a trigger to re-read the
// order from Printful. Printify signs: X-Pfy-Signature: sha256=<hex HMAC>.
// A bad token or signature is 401 and nothing is stored.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { PgBoss } from 'pg-boss'
import type { Config } from '../../config.ts'
import type { Db } from '../../db/database.ts'
import type { Waker } from '../../queue/waker.ts'
import { withoutNul } from '../no-nul.ts'
import { MAX_KEY_LENGTH } from './shopify.ts'
import { AppError } from '../../lib/errors.ts'
import type { Metrics } from '../../lib/metrics.ts'
import { recordSupplierDelivery, supplierDedupeKey, type SupplierDelivery } from '../../orders/status/supplier-webhooks.ts'
import { parsePrintfulWebhook, parsePrintifyWebhook, verifyPrintifyWebhook } from '../../suppliers/index.ts'
import type { SupplierEvent, SupplierName } from '../../suppliers/common/supplier.ts'

/** Supplier events are small (one order, one shipment); 1 MiB is generous. */
const BODY_LIMIT = 1024 * 1024

export interface SupplierWebhookDeps {
  readonly config: Config
  readonly db: Db
  readonly boss: PgBoss | undefined
  readonly metrics: Metrics
  readonly waker: Waker | undefined
}

function sameSecret (given: string, expected: string): boolean {
  const digest = (value: string): Buffer => createHash('sha256').update(value).digest()
  return timingSafeEqual(digest(given), digest(expected))
}

export const supplierWebhooks: FastifyPluginAsync<SupplierWebhookDeps> = async (app, deps) => {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_request, body, done) => { done(null, body) })

  const receive = async (supplier: SupplierName, request: FastifyRequest, verify: (raw: Buffer) => void, parse: (raw: Buffer) => SupplierEvent, trusted: boolean) => {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
    let outcome = 'refused'
    try {
      verify(raw)
      const event = withoutNul(parse(raw))
      // The type and the dedupe key go into one unique index entry (see shopify.ts); no supplier sends longer ones.
      if (event.type.length > MAX_KEY_LENGTH || supplierDedupeKey(event).length > MAX_KEY_LENGTH * 2) throw new AppError('bad_request', `the event's type or id is over ${MAX_KEY_LENGTH} characters: not one ${supplier} sends`)
      if (!deps.boss) throw new AppError('unavailable', 'this replica does not accept webhooks')
      const account = supplier === 'printful' ? deps.config.env.PRINTFUL_STORE_ID ?? 'printful' : deps.config.env.PRINTIFY_SHOP_ID ?? 'printify'
      const delivery: SupplierDelivery = { event, account, rawBody: raw, trusted }
      const result = await recordSupplierDelivery(deps.db, deps.boss, delivery).catch((err: unknown) => {
        throw new AppError('unavailable', 'the delivery could not be stored; retry later', { cause: err })
      })
      outcome = result.status
      if (result.status === 'accepted') deps.waker?.wake('supplier.sync')
      return result.status === 'duplicate' ? { status: 'duplicate' } : { status: result.status, id: result.eventId }
    } finally {
      deps.metrics.webhooks.inc({ source: supplier, topic: 'any', outcome })
    }
  }

  app.post('/webhooks/printful', { bodyLimit: BODY_LIMIT, logLevel: 'warn', schema: { hide: true } }, async (request) => {
    const secret = deps.config.env.PRINTFUL_WEBHOOK_SECRET
    const token = (request.query as Record<string, unknown>).token
    return receive('printful', request, () => {
      if (!secret) throw new AppError('not_configured', 'PRINTFUL_WEBHOOK_SECRET is not set: Printful webhooks are refused')
      if (typeof token !== 'string' || !sameSecret(token, secret)) throw new AppError('unauthorized', 'missing or wrong token in the webhook URL')
    }, parsePrintfulWebhook, false)
  })

  app.post('/webhooks/printify', { bodyLimit: BODY_LIMIT, logLevel: 'warn', schema: { hide: true } }, async (request) => {
    const secret = deps.config.env.PRINTIFY_WEBHOOK_SECRET
    const signature = request.headers['x-pfy-signature']
    return receive('printify', request, (raw) => {
      if (!secret) throw new AppError('not_configured', 'PRINTIFY_WEBHOOK_SECRET is not set: Printify webhooks are refused')
      if (!verifyPrintifyWebhook(raw, typeof signature === 'string' ? signature : undefined, secret)) throw new AppError('unauthorized', 'the X-Pfy-Signature does not match the body')
    }, parsePrintifyWebhook, true)
  })
}
