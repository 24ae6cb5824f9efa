// The one queue registry (STYLE.md §7): each queue's name, payload schema and
// pg-boss options. `migrate` creates exactly these; `send` and `work` are
// typed from here, so no queue name appears as a stray string elsewhere.
import { z } from 'zod'
import type { Queue } from 'pg-boss'

const id = z.string().min(1)

// Stately queues keep one queued job per singleton key, and a job sent without
// a key shares one slot with every other keyless job of its queue: the rest are
// dropped without an error. So each stately queue says what its key is (the
// thing the job is about), and sendJob uses it unless told otherwise.

// Retries: transient failures back off exponentially with jitter (pg-boss's
// retryBackoff), capped at 30 min between tries, for about a day in total.
const retrying = { retryLimit: 50, retryDelay: 5, retryBackoff: true, retryDelayMax: 1800 } as const

export const queues = {
  /** Read one order over the Admin API and apply the routing policy. One queued + one active per order. */
  'order.sync': {
    // Either the order, or (from fulfillment_orders/* webhooks about an order
    // not seen yet) one of its fulfillment orders, resolved over the Admin API.
    payload: z.object({ shop: id, shopifyOrderId: id.optional(), fulfillmentOrderId: id.optional(), reason: z.string() })
      .refine((p) => p.shopifyOrderId !== undefined || p.fulfillmentOrderId !== undefined, { error: 'shopifyOrderId or fulfillmentOrderId is required' }),
    key: (p: { shopifyOrderId?: string | undefined, fulfillmentOrderId?: string | undefined }) => p.shopifyOrderId ?? p.fulfillmentOrderId ?? '',
    options: { policy: 'stately', ...retrying }
  },
  /** Route an order's lines to suppliers, creating supplier orders. */
  'order.route': {
    payload: z.object({ orderId: z.uuid() }),
    key: (p: { orderId: string }) => p.orderId,
    options: { policy: 'stately', ...retrying }
  },
  /** Create one supplier order at its supplier, exactly once. */
  'supplier.submit': {
    payload: z.object({ supplierOrderId: z.uuid() }),
    key: (p: { supplierOrderId: string }) => p.supplierOrderId,
    options: { policy: 'stately', ...retrying }
  },
  /** Re-read one supplier order after a supplier webhook. */
  'supplier.sync': {
    // tokenTaken: the sweeper already took this read's rate-budget token.
    payload: z.object({ supplierOrderId: z.uuid(), tokenTaken: z.boolean().optional() }),
    key: (p: { supplierOrderId: string }) => p.supplierOrderId,
    options: { policy: 'stately', ...retrying }
  },
  /** Write one shipment back to Shopify as fulfillments. */
  'shopify.fulfill': {
    payload: z.object({ shipmentId: z.uuid() }),
    key: (p: { shipmentId: string }) => p.shipmentId,
    options: { policy: 'stately', ...retrying }
  },
  /**
   * Carry an order's cancellation to its suppliers (order.sync seeing it cancelled in Shopify,
   * or the ops API). `actor` says who cancelled, for the timeline; default shopify. Send with
   * singletonKey = orderId (stately: without a key, one queued job would stand for every order).
   */
  'order.cancel': {
    payload: z.object({ orderId: z.uuid(), actor: z.enum(['shopify', 'ops']).optional() }),
    key: (p: { orderId: string }) => p.orderId,
    options: { policy: 'stately', ...retrying }
  },
  /** Erase personal data named by a customers/redact or shop/redact delivery. */
  'privacy.redact': {
    payload: z.object({ webhookEventId: z.uuid() }),
    key: (p: { webhookEventId: string }) => p.webhookEventId,
    options: { policy: 'stately', ...retrying }
  },
  /** POST one alert (needs_attention, stuck) to ALERT_WEBHOOK_URL, once; sent with the alert id as singletonKey. */
  'alerts.send': {
    payload: z.object({ alertId: z.uuid() }),
    key: (p: { alertId: string }) => p.alertId,
    // A receiver that is down for a while (a Slack outage) still gets the
    // alert: retries back off to 10 min apart, for about half a day.
    options: { policy: 'stately', retryLimit: 80, retryDelay: 5, retryBackoff: true, retryDelayMax: 600 }
  },
  /** Move delay-held supplier orders whose hold_until has passed to pending (cron, every minute). */
  'orders.release': {
    payload: z.object({}),
    options: { policy: 'singleton', retryLimit: 3, retryDelay: 30 }
  },
  /** Import one supplier's catalog as variant mappings, recording progress in mapping_imports. */
  'mappings.import': {
    payload: z.object({ importId: z.uuid() }),
    key: (p: { importId: string }) => p.importId,
    // A retry starts the import over (upserts make that harmless); a few are enough.
    options: { policy: 'stately', retryLimit: 3, retryDelay: 30, retryBackoff: true }
  },
  /**
   * Product push (issue 18), one job per product and action: `push` writes one supplier product
   * into the store (from a Printify publish request, with the fields it names, or from ops),
   * `push_all` lists a supplier's products and sends a `push` for each, `archive` follows a
   * product deleted at its supplier, `withdraw` one deleted in Shopify. The field names are
   * checked again by the handler against the push's own list.
   */
  'product.push': {
    payload: z.discriminatedUnion('action', [
      z.object({ action: z.literal('push'), supplier: id, productId: id, fields: z.array(z.string()).optional(), trigger: z.enum(['publish', 'ops']) }),
      z.object({ action: z.literal('push_all'), supplier: id, from: z.number().int().nonnegative().optional() }),
      z.object({ action: z.literal('archive'), supplier: id, productId: id }),
      z.object({ action: z.literal('withdraw'), shopifyProductId: id })
    ]),
    key: (p: { action: string, supplier?: string, productId?: string, shopifyProductId?: string, trigger?: string }) =>
      [p.action, p.trigger, p.supplier, p.productId ?? p.shopifyProductId].filter((part) => part !== undefined).join(':'),
    options: { policy: 'stately', ...retrying }
  },
  /** Compare the store's webhook subscriptions with the topics the bridge needs; the result is stored for /readyz and /v1/stats (worker start, then daily). */
  'shopify.subscriptions.check': {
    payload: z.object({}),
    // A failed look-up is stored as the result, so a retry only covers a database hiccup.
    options: { policy: 'singleton', retryLimit: 3, retryDelay: 60 }
  },
  /** List orders updated since the watermark and sync each (the backstop for lost webhooks). */
  'shopify.reconcile': {
    payload: z.object({}),
    options: { policy: 'singleton', retryLimit: 3, retryDelay: 30 }
  }
} as const satisfies Record<string, { payload: z.ZodType, key?: (payload: never) => string, options: Omit<Queue, 'name' | 'heartbeatSeconds' | 'expireInSeconds'> }>

export type QueueName = keyof typeof queues
export type Payload<Q extends QueueName> = z.infer<typeof queues[Q]['payload']>
export const queueNames = Object.keys(queues) as QueueName[]
