// Builds Shopify webhook deliveries the way Shopify sends them: the exact body
// bytes signed with HMAC-SHA256 (base64) and the X-Shopify-* headers.
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { signShopifyBody } from '../../src/shopify/webhook-signature.ts'

export const SHOP = 'pod-bridge-test.myshopify.com'
export const SECRET = 'test-webhook-secret'
export const webhookEnv = { SHOPIFY_SHOP_DOMAIN: SHOP, SHOPIFY_WEBHOOK_SECRETS: SECRET }

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'shopify')
export function fixture (name: string): string {
  return readFileSync(path.join(fixtures, name), 'utf8')
}

export interface DeliveryOptions {
  topic?: string
  body: string
  secret?: string
  shop?: string
  eventId?: string
  webhookId?: string
  headers?: Record<string, string | undefined>
}

export function delivery (options: DeliveryOptions): { method: 'POST', url: string, headers: Record<string, string>, payload: string } {
  const headers: Record<string, string | undefined> = {
    'content-type': 'application/json',
    'x-shopify-topic': options.topic ?? 'orders/create',
    'x-shopify-hmac-sha256': signShopifyBody(options.body, options.secret ?? SECRET),
    'x-shopify-shop-domain': options.shop ?? SHOP,
    'x-shopify-api-version': '2026-10',
    'x-shopify-webhook-id': options.webhookId ?? randomUUID(),
    'x-shopify-event-id': options.eventId ?? randomUUID(),
    'x-shopify-triggered-at': new Date().toISOString(),
    ...options.headers
  }
  const defined: Record<string, string> = {}
  for (const [key, value] of Object.entries(headers)) if (value !== undefined) defined[key] = value
  return { method: 'POST', url: '/webhooks/shopify', headers: defined, payload: options.body }
}
