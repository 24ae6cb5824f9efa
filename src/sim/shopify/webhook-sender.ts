// Delivers the store's webhooks the way Shopify does (shopify.md §1.2-1.4): a POST
// of the REST body, signed with HMAC-SHA256 base64 over the exact bytes, with the
// X-Shopify-* headers, and 5 seconds to answer. Every delivery is recorded.
import { createHmac } from 'node:crypto'
import { request } from 'undici'
import type { SimEvent } from './store/store-model.ts'

export interface WebhookDelivery {
  webhookId: string
  eventId: string
  topic: string
  /** null when no URL was configured or subscribed for the topic: recorded, not sent. */
  url: string | null
  /** The exact bytes sent, as text. */
  body: string
  headers: Record<string, string>
  status: number | null
  error: string | null
}

export interface WebhookSenderOptions {
  shopDomain: string
  secret: string
  apiVersion: string
  /** Where a topic goes: the configured URL and any subscription for it. */
  targets: (topic: string) => string[]
}

export interface WebhookSender {
  /** Sends one merchant action's webhooks; they share one event id (DESIGN.md: one action can fire several topics under one event id). */
  send (events: SimEvent[], triggeredAt: string): Promise<WebhookDelivery[]>
  /** Sends a recorded delivery again, byte for byte: a duplicate, as Shopify sometimes sends (shopify.md §4.3). */
  redeliver (webhookId: string): Promise<WebhookDelivery>
  /** The most recent deliveries (a long-running simulator forgets the oldest). */
  readonly deliveries: readonly WebhookDelivery[]
}

const deliveryLimit = 5_000

function keepLast (log: WebhookDelivery[], entry: WebhookDelivery): void {
  log.push(entry)
  if (log.length > deliveryLimit) log.splice(0, log.length - deliveryLimit)
}

/** orders/paid → ORDERS_PAID, the WebhookSubscriptionTopic enum's spelling. */
export function topicEnum (topic: string): string {
  return topic.replace('/', '_').toUpperCase()
}

export function signBody (secret: string, body: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('base64')
}

// Ids shaped like Shopify's UUIDs, from a counter so runs are repeatable.
function uuidFrom (prefix: string, n: number): string {
  return `${prefix}-0000-4000-8000-${String(n).padStart(12, '0')}`
}

export function createWebhookSender (options: WebhookSenderOptions): WebhookSender {
  const deliveries: WebhookDelivery[] = []
  let events = 0
  let hooks = 0

  async function post (delivery: WebhookDelivery): Promise<WebhookDelivery> {
    if (delivery.url === null) return { ...delivery, error: 'no webhook URL for this topic' }
    try {
      const response = await request(delivery.url, {
        method: 'POST',
        headers: delivery.headers,
        body: delivery.body,
        // shopify.md §1.4: 5 seconds in total; anything slower is a failed delivery.
        signal: AbortSignal.timeout(5_000)
      })
      await response.body.dump()
      return { ...delivery, status: response.statusCode, error: null }
    } catch (err) {
      return { ...delivery, status: null, error: err instanceof Error ? err.message : String(err) }
    }
  }

  return {
    deliveries,
    async send (batch, triggeredAt) {
      if (batch.length === 0) return []
      events += 1
      const eventId = uuidFrom('e0000000', events)
      // One after another, so tests see a repeatable order (Shopify itself promises none: shopify.md §1.7).
      const done: WebhookDelivery[] = []
      for (const event of batch) {
        const body = JSON.stringify(event.body)
        const targets = options.targets(event.topic)
        for (const url of targets.length > 0 ? targets : [null]) {
          hooks += 1
          const webhookId = uuidFrom('b0000000', hooks)
          done.push(await post({
            webhookId,
            eventId,
            topic: event.topic,
            url,
            body,
            status: null,
            error: null,
            headers: {
              'content-type': 'application/json',
              'x-shopify-topic': event.topic,
              'x-shopify-hmac-sha256': signBody(options.secret, body),
              'x-shopify-shop-domain': options.shopDomain,
              'x-shopify-api-version': options.apiVersion,
              'x-shopify-webhook-id': webhookId,
              'x-shopify-event-id': eventId,
              'x-shopify-triggered-at': triggeredAt
            }
          }))
        }
      }
      for (const delivery of done) keepLast(deliveries, delivery)
      return done
    },
    async redeliver (webhookId) {
      const original = deliveries.find((d) => d.webhookId === webhookId)
      if (!original) throw new Error(`no delivery ${webhookId}`)
      const again = await post({ ...original, status: null, error: null })
      keepLast(deliveries, again)
      return again
    }
  }
}
