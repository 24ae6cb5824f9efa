// POST /webhooks/:supplier, served from the supplier registry: the supplier's
// descriptor checks the delivery (a secret token in the URL, a signature
// header...) and parses it; the event is stored and is a trigger to re-read
// the order. A bad token or signature is 401 and nothing is stored; a name the
// registry does not know is 404. The documented URLs (/webhooks/<name> of each
// built-in supplier) are this route.
import type { FastifyPluginAsync } from 'fastify'
import type { PgBoss } from 'pg-boss'
import type { Config } from '../../config.ts'
import type { Db } from '../../db/database.ts'
import type { Waker } from '../../queue/waker.ts'
import { withoutNul } from '../no-nul.ts'
import { MAX_KEY_LENGTH } from './shopify.ts'
import { AppError } from '../../lib/errors.ts'
import type { Metrics } from '../../lib/metrics.ts'
import { recordSupplierDelivery, supplierDedupeKey, type SupplierDelivery } from '../../orders/status/supplier-webhooks.ts'
import type { Registry } from '../../suppliers/registry.ts'
import { recordProductDelivery } from '../../products/intake.ts'

/** Supplier events are small (one order, one shipment); 1 MiB is generous. */
const BODY_LIMIT = 1024 * 1024

export interface SupplierWebhookDeps {
  readonly config: Config
  readonly db: Db
  readonly boss: PgBoss | undefined
  readonly metrics: Metrics
  readonly waker: Waker | undefined
  readonly registry: Registry
}

export const supplierWebhooks: FastifyPluginAsync<SupplierWebhookDeps> = async (app, deps) => {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_request, body, done) => { done(null, body) })

  app.post('/webhooks/:supplier', { bodyLimit: BODY_LIMIT, logLevel: 'warn', schema: { hide: true } }, async (request) => {
    const name = (request.params as Record<string, string | undefined>).supplier ?? ''
    const descriptor = deps.registry.supplier(name)
    if (!descriptor) throw new AppError('not_found', `no supplier "${name}" takes webhooks here (there are ${deps.registry.names.join(', ')})`)
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
    const env = deps.config.env
    let outcome = 'refused'
    try {
      descriptor.webhook.verify({ rawBody: raw, headers: request.headers, query: request.query as Record<string, unknown> }, env)
      const event = withoutNul(descriptor.webhook.parse(raw))
      // The type and the dedupe key go into one unique index entry (see shopify.ts); no supplier sends longer ones.
      if (event.type.length > MAX_KEY_LENGTH || supplierDedupeKey(event).length > MAX_KEY_LENGTH * 2) throw new AppError('bad_request', `the event's type or id is over ${MAX_KEY_LENGTH} characters: not one ${descriptor.displayName} sends`)
      if (!deps.boss) throw new AppError('unavailable', 'this replica does not accept webhooks')
      if (event.product) {
        // A product event (issue 18) names no order: it starts the product push instead.
        const result = await recordProductDelivery(deps.db, deps.boss, { supplier: descriptor.name, account: descriptor.webhook.account(env), type: event.type, dedupeKey: supplierDedupeKey(event), eventId: event.eventId, occurredAt: event.occurredAt, rawBody: raw, product: event.product }).catch((err: unknown) => {
          throw new AppError('unavailable', 'the delivery could not be stored; retry later', { cause: err })
        })
        outcome = result.status
        if (result.status === 'accepted') deps.waker?.wake('product.push')
        return result.status === 'duplicate' ? { status: 'duplicate' } : { status: result.status, id: result.eventId }
      }
      const delivery: SupplierDelivery = { supplier: descriptor, event, account: descriptor.webhook.account(env), rawBody: raw, trusted: descriptor.webhook.trusted }
      const result = await recordSupplierDelivery(deps.db, deps.boss, delivery).catch((err: unknown) => {
        throw new AppError('unavailable', 'the delivery could not be stored; retry later', { cause: err })
      })
      outcome = result.status
      if (result.status === 'accepted') deps.waker?.wake('supplier.sync')
      return result.status === 'duplicate' ? { status: 'duplicate' } : { status: result.status, id: result.eventId }
    } finally {
      deps.metrics.webhooks.inc({ source: descriptor.name, topic: 'any', outcome })
    }
  })
}
