// The store's side of authentication: a static admin token (legacy custom app)
// and tokens issued by the client credentials grant, each with its lifetime.
import { z } from 'zod'

export interface TokenOptions {
  clientId?: string | undefined
  clientSecret?: string | undefined
  accessToken?: string | undefined
  /** Shopify's client-credentials tokens last 24 h (expires_in 86399). */
  tokenTtlSeconds?: number | undefined
  now: () => number
}

export interface TokenStore {
  /** The token endpoint: { status, body } as Shopify answers. */
  exchange (form: Record<string, unknown>): { status: number, body: unknown }
  valid (token: string | undefined): boolean
  revokeAll (): void
}

// The grant's error body follows OAuth 2.0 (RFC 6749 §5.2: invalid_request, invalid_client) [unverified against Shopify].
const grantSchema = z.object({ grant_type: z.literal('client_credentials'), client_id: z.string(), client_secret: z.string() })

export function createTokenStore (options: TokenOptions): TokenStore {
  const issued = new Map<string, number>()
  const ttl = options.tokenTtlSeconds ?? 86_399
  let count = 0
  const open = !options.accessToken && !options.clientId
  return {
    exchange (form) {
      const grant = grantSchema.safeParse(form)
      if (!grant.success) return { status: 400, body: { error: 'invalid_request', error_description: 'grant_type=client_credentials, client_id and client_secret are required' } }
      if (!options.clientId || grant.data.client_id !== options.clientId || grant.data.client_secret !== options.clientSecret) {
        return { status: 400, body: { error: 'invalid_client', error_description: 'Client authentication failed' } }
      }
      count += 1
      const token = `shpat_sim${String(count).padStart(23, '0')}`
      issued.set(token, options.now() + ttl * 1000)
      return { status: 200, body: { access_token: token, scope: 'read_orders,read_all_orders,read_merchant_managed_fulfillment_orders,write_merchant_managed_fulfillment_orders,read_products,write_products,write_publications', expires_in: ttl } }
    },
    valid (token) {
      if (!token) return false
      if (open) return true
      if (options.accessToken && token === options.accessToken) return true
      const expiresAt = issued.get(token)
      return expiresAt !== undefined && options.now() < expiresAt
    },
    revokeAll () {
      issued.clear()
    }
  }
}
