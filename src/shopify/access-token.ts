// Where the Admin API token comes from. A Dev Dashboard app exchanges its client id
// and secret for a token that lasts 24 hours (client credentials grant at
// /admin/oauth/access_token); a legacy admin-created custom app has one static token.
// Callers only ask for "the current token" and report a token Shopify refused.
import { request, type Dispatcher } from 'undici'
import { z } from 'zod'
import { AppError } from '../lib/errors.ts'

export type ShopifyAuth =
  | { readonly kind: 'client_credentials', readonly clientId: string, readonly clientSecret: string }
  | { readonly kind: 'static', readonly accessToken: string }

export interface AccessTokenSource {
  /** A token believed valid now; exchanges or refreshes when needed (one exchange at a time). */
  get (): Promise<string>
  /** Shopify answered 401 with this token: forget it so the next get() exchanges again. Returns whether a new token can be had. */
  refused (token: string): boolean
}

export interface AccessTokenSourceOptions {
  readonly apiUrl: string
  readonly auth: ShopifyAuth
  readonly dispatcher: Dispatcher
  readonly timeoutMs: number
  /** Refresh this long before the announced expiry, so a token never dies mid-request. */
  readonly refreshMarginMs?: number
  readonly now?: () => number
}

// Shopify's answer to the client credentials grant: { access_token, scope, expires_in } (seconds).
const tokenResponse = z.object({
  access_token: z.string().min(1),
  scope: z.string().optional(),
  expires_in: z.number().int().positive().optional()
})

// Tokens last 24 h; when expires_in is missing, assume that rather than "forever".
const defaultLifetimeMs = 24 * 3_600_000
const defaultRefreshMarginMs = 10 * 60_000

export function createAccessTokenSource (options: AccessTokenSourceOptions): AccessTokenSource {
  const auth = options.auth
  if (auth.kind === 'static') {
    return {
      get: () => Promise.resolve(auth.accessToken),
      refused: () => false
    }
  }
  const credentials = auth
  const now = options.now ?? Date.now
  const margin = options.refreshMarginMs ?? defaultRefreshMarginMs
  let current: { token: string, refreshAt: number } | undefined
  let pending: Promise<string> | undefined

  async function exchange (): Promise<string> {
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: credentials.clientId, client_secret: credentials.clientSecret }).toString()
    let response: Dispatcher.ResponseData
    try {
      response = await request(`${options.apiUrl}/admin/oauth/access_token`, {
        method: 'POST',
        dispatcher: options.dispatcher,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(options.timeoutMs)
      })
    } catch (err) {
      throw new AppError('upstream_transient', 'Shopify token exchange failed: network error or timeout', { cause: err })
    }
    const text = await response.body.text()
    if (response.statusCode >= 500) throw new AppError('upstream_transient', `Shopify token exchange answered ${response.statusCode}`)
    if (response.statusCode === 429) throw new AppError('upstream_rate_limited', 'Shopify token exchange answered 429')
    if (response.statusCode !== 200) {
      // 400/401 here means the client id or secret is wrong, or the app is not installed on the store.
      throw new AppError('unauthorized', `Shopify refused the client credentials (HTTP ${response.statusCode}): check SHOPIFY_CLIENT_ID, SHOPIFY_CLIENT_SECRET and that the app is installed on the store`)
    }
    let parsed: z.infer<typeof tokenResponse>
    try {
      parsed = tokenResponse.parse(JSON.parse(text))
    } catch (err) {
      throw new AppError('upstream_invalid_response', 'Shopify token exchange answered an unexpected body', { cause: err })
    }
    const lifetime = parsed.expires_in === undefined ? defaultLifetimeMs : parsed.expires_in * 1000
    current = { token: parsed.access_token, refreshAt: now() + Math.max(0, lifetime - Math.min(margin, lifetime / 2)) }
    return parsed.access_token
  }

  return {
    get () {
      if (current && now() < current.refreshAt) return Promise.resolve(current.token)
      pending ??= exchange().finally(() => { pending = undefined })
      return pending
    },
    refused (token) {
      if (current?.token === token) current = undefined
      return true
    }
  }
}
