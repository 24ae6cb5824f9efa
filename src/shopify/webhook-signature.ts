// Shopify signs each delivery with HMAC-SHA256 over the exact body bytes,
// base64-encoded, in X-Shopify-Hmac-Sha256 (shopify.md §1.3; Shopify's own
// library compares with safeCompare). Any configured secret may match, so a
// secret can be rotated without dropping deliveries.
import { createHmac, timingSafeEqual } from 'node:crypto'

export type SignatureCheck = 'ok' | 'missing' | 'malformed' | 'mismatch' | 'no_secret'

const SHA256_BYTES = 32

export function signShopifyBody (body: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64')
}

export function verifyShopifySignature (body: Buffer, header: string | undefined, secrets: readonly string[]): SignatureCheck {
  if (secrets.length === 0) return 'no_secret'
  if (!header) return 'missing'
  const given = Buffer.from(header.trim(), 'base64')
  // Length first: timingSafeEqual throws on unequal lengths, and a wrong
  // length says nothing about any secret.
  if (given.length !== SHA256_BYTES) return 'malformed'
  let matched = false
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(body).digest()
    // Check every secret, so the time taken does not tell which one matched.
    if (timingSafeEqual(given, expected)) matched = true
  }
  return matched ? 'ok' : 'mismatch'
}
