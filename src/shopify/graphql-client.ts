// The Admin GraphQL transport: one POST per document, the token from
// access-token.ts, Shopify's cost-based throttling, and every failure turned
// into an AppError with the right code. Response data is validated by the
// caller's zod schema; this file knows nothing of orders.
import { setTimeout as sleepFor } from 'node:timers/promises'
import { Agent, request, type Dispatcher } from 'undici'
import { z } from 'zod'
import { AppError } from '../lib/errors.ts'
import { createAccessTokenSource, type ShopifyAuth } from './access-token.ts'

export interface ShopifyClientOptions {
  /** Origin of the store's API, e.g. https://my-store.myshopify.com (Config['shopify'].apiUrl). */
  readonly apiUrl: string
  /** e.g. 2026-10; the same version as the webhooks (shopify.md §3.5). */
  readonly apiVersion: string
  readonly auth: ShopifyAuth
  readonly timeouts?: { readonly connectMs?: number, readonly requestMs?: number }
  /** The composition root's shared agent; without one the client owns an Agent and close() ends it. */
  readonly dispatcher?: Dispatcher
  readonly throttle?: {
    /** THROTTLED answers retried per request before giving up with upstream_rate_limited. */
    readonly maxRetries?: number
    /** Longest wait for the bucket inside one call; a longer one is handed back as retryAfterMs. */
    readonly maxWaitMs?: number
  }
  /** Order lines per page (default 25); the order query's cost grows with it. */
  readonly pageSize?: number
  readonly now?: () => number
  readonly sleep?: (ms: number) => Promise<void>
}

export interface GraphqlTransport {
  execute<S extends z.ZodType> (document: string, variables: Readonly<Record<string, unknown>>, dataSchema: S): Promise<z.output<S>>
  close (): Promise<void>
}

const throttleStatusSchema = z.object({ maximumAvailable: z.number(), currentlyAvailable: z.number(), restoreRate: z.number().positive() })
const costSchema = z.object({
  requestedQueryCost: z.number().nullish(),
  actualQueryCost: z.number().nullish(),
  throttleStatus: throttleStatusSchema
})
const graphqlErrorSchema = z.object({
  message: z.string(),
  extensions: z.object({ code: z.string().optional() }).loose().optional()
}).loose()
const envelopeSchema = z.object({
  data: z.unknown().optional(),
  errors: z.array(graphqlErrorSchema).optional(),
  extensions: z.object({ cost: costSchema.optional() }).loose().optional()
})

type Envelope = z.infer<typeof envelopeSchema>
type ThrottleStatus = z.infer<typeof throttleStatusSchema>

const defaults = { connectMs: 5_000, requestMs: 30_000, maxRetries: 5, maxWaitMs: 20_000 }

export function createGraphqlTransport (options: ShopifyClientOptions): GraphqlTransport {
  const connectMs = options.timeouts?.connectMs ?? defaults.connectMs
  const requestMs = options.timeouts?.requestMs ?? defaults.requestMs
  let ownAgent: Agent | undefined
  let dispatcher: Dispatcher
  if (options.dispatcher) {
    dispatcher = options.dispatcher
  } else {
    ownAgent = new Agent({ connect: { timeout: connectMs }, headersTimeout: requestMs, bodyTimeout: requestMs })
    dispatcher = ownAgent
  }
  const now = options.now ?? Date.now
  const sleep = options.sleep ?? ((ms: number) => sleepFor(ms).then(() => undefined))
  const maxRetries = options.throttle?.maxRetries ?? defaults.maxRetries
  const maxWaitMs = options.throttle?.maxWaitMs ?? defaults.maxWaitMs
  const tokens = createAccessTokenSource({ apiUrl: options.apiUrl, auth: options.auth, dispatcher, timeoutMs: requestMs, now })
  const endpoint = `${options.apiUrl}/admin/api/${options.apiVersion}/graphql.json`

  // The leaky bucket as Shopify last described it, and what each document cost, so a
  // request that would not fit waits before it is sent instead of being refused.
  let bucket: { status: ThrottleStatus, at: number } | undefined
  const costOf = new Map<string, number>()

  function msUntilAvailable (points: number): number {
    if (!bucket) return 0
    const restored = (now() - bucket.at) / 1000 * bucket.status.restoreRate
    const available = Math.min(bucket.status.maximumAvailable, bucket.status.currentlyAvailable + restored)
    return available >= points ? 0 : Math.ceil((points - available) / bucket.status.restoreRate * 1000)
  }

  async function waitFor (ms: number): Promise<void> {
    if (ms <= 0) return
    if (ms > maxWaitMs) throw new AppError('upstream_rate_limited', `Shopify's API bucket needs ${ms} ms to refill`, { retryAfterMs: ms })
    await sleep(ms)
  }

  async function post (document: string, variables: Readonly<Record<string, unknown>>, token: string): Promise<{ status: number, text: string, retryAfter: string | undefined }> {
    try {
      const response = await request(endpoint, {
        method: 'POST',
        dispatcher,
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-shopify-access-token': token },
        body: JSON.stringify({ query: document, variables }),
        signal: AbortSignal.timeout(requestMs)
      })
      const text = await response.body.text()
      const retryAfter = response.headers['retry-after']
      return { status: response.statusCode, text, retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined }
    } catch (err) {
      throw new AppError('upstream_transient', 'Shopify Admin API unreachable or too slow', { cause: err })
    }
  }

  async function execute<S extends z.ZodType> (document: string, variables: Readonly<Record<string, unknown>>, dataSchema: S): Promise<z.output<S>> {
    let refreshedAfter401 = false
    for (let throttled = 0; ; ) {
      await waitFor(msUntilAvailable(costOf.get(document) ?? 0))
      const token = await tokens.get()
      const response = await post(document, variables, token)
      if (response.status === 401) {
        // A client-credentials token can die before its announced expiry (app reinstalled, secret rotated): exchange once more.
        if (!refreshedAfter401 && options.auth.kind === 'client_credentials' && tokens.refused(token)) {
          refreshedAfter401 = true
          continue
        }
        throw new AppError('unauthorized', options.auth.kind === 'static'
          ? 'Shopify refused SHOPIFY_ADMIN_ACCESS_TOKEN (401)'
          : 'Shopify refused a freshly exchanged access token (401)')
      }
      if (response.status === 429) {
        const seconds = Number(response.retryAfter)
        const retry = Number.isFinite(seconds) ? { retryAfterMs: seconds * 1000 } : {}
        // Once a store has 50,000 variants it may create 1,000 a day; past that Shopify answers 429
        // "Daily variant creation limit reached" (https://shopify.dev/changelog/api-call-limits-will-be-applied-to-variant-creation,
        // body as https://matrixify.app/whats-new/shopify-variant-creation-limit/ reports it): named, so the push can wait a day.
        if (/variant creation limit/i.test(response.text)) {
          throw new AppError('upstream_rate_limited', 'Shopify\'s daily variant creation limit is reached (1,000 new variants a day once a store has 50,000)', { ...retry, detail: { limit: 'daily_variant_creation' } })
        }
        throw new AppError('upstream_rate_limited', 'Shopify answered 429', retry)
      }
      if (response.status >= 500) throw new AppError('upstream_transient', `Shopify answered ${response.status}`)
      if (response.status !== 200) throw new AppError('upstream_rejected', `Shopify answered ${response.status}`, { detail: { body: response.text.slice(0, 500) } })
      const envelope = parseEnvelope(response.text)
      const cost = envelope.extensions?.cost
      if (cost) {
        bucket = { status: cost.throttleStatus, at: now() }
        if (typeof cost.requestedQueryCost === 'number') costOf.set(document, cost.requestedQueryCost)
      }
      const errors = envelope.errors ?? []
      if (errors.some((e) => e.extensions?.code === 'THROTTLED')) {
        // shopify.md §3.6: detect throttling by extensions.code, not the HTTP status; wait what the bucket needs.
        const needed = cost ? Math.max(1, (cost.requestedQueryCost ?? 1) - cost.throttleStatus.currentlyAvailable) : 1
        const waitMs = cost ? Math.ceil(needed / cost.throttleStatus.restoreRate * 1000) : 1000
        throttled += 1
        if (throttled > maxRetries) throw new AppError('upstream_rate_limited', 'Shopify kept answering THROTTLED', { retryAfterMs: waitMs })
        await waitFor(waitMs)
        continue
      }
      if (errors.length > 0) throw classifyErrors(errors)
      const data = dataSchema.safeParse(envelope.data)
      if (!data.success) {
        throw new AppError('upstream_invalid_response', 'Shopify answered data of an unexpected shape', { cause: data.error, detail: { issues: data.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`) } })
      }
      return data.data
    }
  }

  return {
    execute,
    close: async () => { await ownAgent?.close() }
  }
}

function parseEnvelope (text: string): Envelope {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new AppError('upstream_invalid_response', 'Shopify answered a body that is not JSON', { cause: err })
  }
  const envelope = envelopeSchema.safeParse(json)
  if (!envelope.success) throw new AppError('upstream_invalid_response', 'Shopify answered an unexpected GraphQL envelope', { cause: envelope.error })
  return envelope.data
}

function classifyErrors (errors: Envelope['errors'] & object): AppError {
  const messages = errors.map((e) => e.message).join('; ')
  const codes = errors.map((e) => e.extensions?.code).filter((c): c is string => c !== undefined)
  const detail = { codes, messages: errors.map((e) => e.message).slice(0, 5) }
  if (codes.includes('INTERNAL_SERVER_ERROR')) return new AppError('upstream_transient', `Shopify GraphQL internal error: ${messages}`, { detail })
  // ACCESS_DENIED names the missing scope in its message; a wrong document is our bug. Neither gets better by retrying.
  return new AppError('upstream_rejected', `Shopify GraphQL error: ${messages}`, { detail })
}
