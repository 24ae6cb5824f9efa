// Printful v1 webhooks are unsigned (§1.8): parse only, and protect the URL
// another way (a secret path token; re-read the order before acting).
import { AppError } from '../../lib/errors.ts'
import type { SupplierEvent } from '../common/supplier.ts'
import { printfulStatus, toShipment, unixToIso } from './mapper.ts'
import { pfWebhookSchema } from './wire.ts'

export function parsePrintfulWebhook (rawBody: Buffer | string): SupplierEvent {
  let json: unknown
  try {
    json = JSON.parse(typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8'))
  } catch (err) {
    throw new AppError('bad_request', 'Printful webhook: body is not JSON', { cause: err })
  }
  const parsed = pfWebhookSchema.safeParse(json)
  if (!parsed.success) throw new AppError('bad_request', 'Printful webhook: not a v1 event envelope', { cause: parsed.error })
  const event = parsed.data
  const order = event.data?.order
  const shipment = event.data?.shipment
  return {
    supplier: 'printful',
    type: event.type,
    occurredAt: unixToIso(event.created),
    ...(order ? { supplierOrderId: String(order.id) } : {}),
    ...(order?.external_id ? { externalId: order.external_id } : {}),
    // package_returned leaves the order's status as it was; the event itself is the return (§1.8).
    ...(event.type === 'package_returned' ? { status: 'returned' as const } : order?.status ? { status: printfulStatus({ status: order.status, shipments: order.shipments }) } : {}),
    ...(event.data?.reason ? { reason: event.data.reason } : {}),
    ...(shipment ? { shipment: toShipment(shipment, order?.items ? { items: order.items } : undefined) } : {})
  }
}
