// Printify webhooks: X-Pfy-Signature: sha256=<hex HMAC-SHA256 of the raw body,
// keyed with the webhook's secret>, compared in constant time (§2.5).
import { createHmac, timingSafeEqual } from 'node:crypto'
import { AppError } from '../../lib/errors.ts'
import { productFields, type ProductField } from '../common/product.ts'
import type { ProductEvent, SupplierEvent } from '../common/supplier.ts'
import { printifyStatus } from './mapper.ts'
import { printifyTimeToIso, pyWebhookSchema } from './wire.ts'

/** True when the signature header matches the raw body. The official format has the "sha256=" prefix; a bare hex digest is accepted too. */
export function verifyPrintifyWebhook (rawBody: Buffer | string, signatureHeader: string | undefined, secret: string): boolean {
  if (!signatureHeader || !secret) return false
  const given = signatureHeader.trim().replace(/^sha256=/i, '')
  if (!/^[0-9a-f]{64}$/i.test(given)) return false
  const expected = createHmac('sha256', secret).update(rawBody).digest()
  return timingSafeEqual(expected, Buffer.from(given, 'hex'))
}

export function parsePrintifyWebhook (rawBody: Buffer | string): SupplierEvent {
  let json: unknown
  try {
    json = JSON.parse(typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8'))
  } catch (err) {
    throw new AppError('bad_request', 'Printify webhook: body is not JSON', { cause: err })
  }
  const parsed = pyWebhookSchema.safeParse(json)
  if (!parsed.success) throw new AppError('bad_request', 'Printify webhook: not an event envelope', { cause: parsed.error })
  const event = parsed.data
  const data = event.resource.data
  const occurredAt = printifyTimeToIso(event.created_at) ?? new Date(0).toISOString()
  const carrier = data?.carrier
  const shippedAt = printifyTimeToIso(data?.shipped_at)
  const deliveredAt = printifyTimeToIso(data?.delivered_at)
  const tracking = carrier?.tracking_number === null || carrier?.tracking_number === undefined ? '' : String(carrier.tracking_number)
  const product = event.resource.type === 'product' ? productEvent(event.type, event.resource.id, data) : undefined
  return {
    supplier: 'printify',
    eventId: event.id,
    type: event.type,
    occurredAt,
    ...(event.resource.type === 'order' ? { supplierOrderId: event.resource.id } : {}),
    ...(product ? { product } : {}),
    ...(data?.status ? { status: printifyStatus(data.status).status } : {}),
    ...(carrier
      ? {
          shipment: {
            carrier: carrier.code,
            ...(tracking ? { trackingNumber: tracking } : {}),
            ...(carrier.tracking_url ? { trackingUrl: carrier.tracking_url } : {}),
            // Shipment webhooks name items by SKU only, without quantities (§2.5).
            shippedAt: shippedAt ?? deliveredAt ?? occurredAt,
            ...(deliveredAt ? { deliveredAt } : {}),
            items: (data?.skus ?? []).map((sku) => ({ sku }))
          }
        }
      : {})
  }
}

/**
 * product:publish:started → a publish request; product:deleted → the product
 * is gone at Printify (https://developers.printify.com/ Events, "Product
 * events"). The publish event carries `publish_details`, one boolean per
 * field to sync (title, description, images, variants, tags, key_features,
 * shipping_template), and `action` "create"; the fields we write are the
 * first five. Without `publish_details` every field is synced: publish.json's
 * fields all default to true. An `action` of "delete" (one public typing has
 * it, the docs do not say what it means) is not read as a publish request.
 */
function productEvent (type: string, productId: string, data: { publish_details?: Record<string, boolean> | null | undefined, action?: string | null | undefined } | null | undefined): ProductEvent | undefined {
  if (type === 'product:deleted') return { kind: 'deleted', productId }
  if (type !== 'product:publish:started' || data?.action === 'delete') return undefined
  const details = data?.publish_details
  const fields: ProductField[] = details ? productFields.filter((field) => details[field] === true) : [...productFields]
  return { kind: 'publish', request: { productId, fields } }
}
