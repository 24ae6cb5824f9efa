// Gelato webhooks (https://dashboard.gelato.com/docs/webhooks/): JSON events
// posted to the URL set in Gelato's dashboard, retried 3 times 5 s apart, and
// not signed. The dashboard can add one fixed header to every delivery: its
// value is GELATO_WEBHOOK_SECRET, compared here in constant time (header
// X-Webhook-Secret, or ?token= in the URL where the header cannot be set).
// An unsigned event is a trigger to re-read the order, never a fact by itself.
import { createHash, timingSafeEqual } from 'node:crypto'
import { AppError } from '../../lib/errors.ts'
import type { SupplierEvent } from '../common/supplier.ts'
import { gelatoCarrier, gelatoStatus, toIso } from './mapper.ts'
import { gtWebhookSchema } from './wire.ts'

export const gelatoWebhookHeader = 'x-webhook-secret'

/** True when `given` is the secret; hashing first makes the comparison constant-time whatever the lengths. */
export function sameGelatoSecret (given: string | undefined, secret: string): boolean {
  if (!given || !secret) return false
  const a = createHash('sha256').update(given).digest()
  const b = createHash('sha256').update(secret).digest()
  return timingSafeEqual(a, b)
}

export function verifyGelatoWebhook (headers: Readonly<Record<string, string | string[] | undefined>>, query: Readonly<Record<string, unknown>>, secret: string): boolean {
  const header = headers[gelatoWebhookHeader]
  const given = typeof header === 'string' ? header : typeof query.token === 'string' ? query.token : undefined
  return sameGelatoSecret(given, secret)
}

export function parseGelatoWebhook (rawBody: Buffer | string, receivedAt: Date = new Date()): SupplierEvent {
  let json: unknown
  try {
    json = JSON.parse(typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8'))
  } catch (err) {
    throw new AppError('bad_request', 'Gelato webhook: body is not JSON', { cause: err })
  }
  const parsed = gtWebhookSchema.safeParse(json)
  if (!parsed.success) throw new AppError('bad_request', 'Gelato webhook: not an order event', { cause: parsed.error })
  const event = parsed.data
  // The item events carry `created`; order_status_updated does not: the time of receipt stands in.
  const occurredAt = event.created ? toIso(event.created) : receivedAt.toISOString()
  const status = event.event === 'order_status_updated' && event.fulfillmentStatus ? gelatoStatus(event.fulfillmentStatus) : undefined
  const method = event.shipmentMethodName ?? event.shipmentMethodUid ?? ''
  const { carrier, service } = gelatoCarrier(method)
  return {
    supplier: 'gelato',
    eventId: event.id,
    type: event.event,
    supplierOrderId: event.orderId,
    ...(event.orderReferenceId ? { externalId: event.orderReferenceId } : {}),
    occurredAt,
    ...(status ? { status: status.status, ...(status.reason ? { reason: status.reason } : {}) } : {}),
    ...(event.event === 'order_item_tracking_code_updated' && event.trackingCode
      ? {
          shipment: {
            carrier,
            ...(service ? { service } : {}),
            trackingNumber: event.trackingCode,
            ...(event.trackingUrl ? { trackingUrl: event.trackingUrl } : {}),
            shippedAt: occurredAt,
            items: event.itemReferenceId ? [{ lineRef: event.itemReferenceId }] : []
          }
        }
      : {})
  }
}
