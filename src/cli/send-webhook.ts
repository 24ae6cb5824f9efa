// `pod-bridge send-webhook <topic> <file> [--url]`: signs a JSON file with the
// first configured secret and posts it the way Shopify does, printing the
// answer. For trying the service out and replaying a saved delivery by hand.
import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type { Config } from '../config.ts'
import { signShopifyBody } from '../shopify/webhook-signature.ts'

export interface SendWebhookOptions {
  readonly topic: string
  readonly file: string
  readonly url: string | undefined
  readonly shop: string | undefined
}

export async function sendWebhook (config: Config, options: SendWebhookOptions, print: (line: string) => void): Promise<number> {
  const secret = config.shopify.webhookSecrets[0]
  if (!secret) throw new Error('no webhook secret to sign with: set SHOPIFY_WEBHOOK_SECRETS or SHOPIFY_CLIENT_SECRET')
  const shop = options.shop ?? config.shopify.shopDomain
  if (!shop) throw new Error('no shop domain: set SHOPIFY_SHOP_DOMAIN or pass --shop')
  const body = await readFile(options.file)
  const url = options.url ?? `http://127.0.0.1:${config.http.port}/webhooks/shopify`
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': options.topic,
      'x-shopify-hmac-sha256': signShopifyBody(body, secret),
      'x-shopify-shop-domain': shop,
      'x-shopify-api-version': config.shopify.apiVersion,
      'x-shopify-webhook-id': randomUUID(),
      'x-shopify-event-id': randomUUID(),
      'x-shopify-triggered-at': new Date().toISOString()
    },
    body,
    signal: AbortSignal.timeout(10_000)
  })
  print(`${response.status} ${await response.text()}`)
  return response.ok ? 0 : 1
}
