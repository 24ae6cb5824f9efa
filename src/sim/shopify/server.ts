// The simulated store's HTTP server (fastify): the token endpoint, the GraphQL
// endpoint and the control API, around one in-memory store.
import Fastify, { type FastifyInstance } from 'fastify'
import { createTokenStore } from './access-tokens.ts'
import { adminApiVersion } from './graphql/admin-schema.ts'
import { registerControlRoutes } from './control-routes.ts'
import { failureResult, runGraphql, throttledResult, unauthorizedResult, type EndpointResult, type GraphqlRequestBody } from './graphql/graphql-endpoint.ts'
import { createCostBucket, type CostBucket, type CostThrottleSettings } from './graphql/cost-bucket.ts'
import { createStoreControl, type Faults, type ShopifySimStore, type SimRequest } from './store-control.ts'
import { createStoreState, type SimEvent } from './store/store-model.ts'
import { createWebhookSender, topicEnum } from './webhook-sender.ts'

export interface ShopifySimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number
  host?: string
  shopDomain: string
  /** Receives every topic (like subscriptions declared in the app's config); subscriptions made over GraphQL add theirs. */
  webhookUrl?: string
  webhookSecret: string
  clientId?: string
  clientSecret?: string
  accessToken?: string
  tokenTtlSeconds?: number
  /** The store's clock (ms); timestamps are whole seconds and strictly increasing. */
  now?: () => number
  /** Shop.currencyCode, the currency the shop sells in (default USD); `store.setCurrency` changes it later. */
  currencyCode?: string
  /** Shopify's cost-based throttle on from the start (off by default; `store.setCostThrottle` switches it later). */
  costThrottle?: CostThrottleSettings
}

export interface BuiltSimulator { app: FastifyInstance, store: ShopifySimStore, shutdown: () => void }

export function buildShopifySimulator (options: ShopifySimulatorOptions): BuiltSimulator {
  const now = options.now ?? Date.now
  const state = createStoreState(options.shopDomain, now)
  const tokens = createTokenStore({ clientId: options.clientId, clientSecret: options.clientSecret, accessToken: options.accessToken, tokenTtlSeconds: options.tokenTtlSeconds, now })
  let webhookUrl = options.webhookUrl
  const sender = createWebhookSender({
    shopDomain: options.shopDomain,
    secret: options.webhookSecret,
    apiVersion: adminApiVersion,
    targets: (topic) => {
      const urls = new Set<string>(webhookUrl ? [webhookUrl] : [])
      for (const s of state.subscriptions) if (s.topic === topicEnum(topic)) urls.add(s.uri)
      return [...urls]
    }
  })
  const faults: Faults = { throttles: [], failures: [] }
  const requestLog: SimRequest[] = []
  const pending = new Set<Promise<unknown>>()
  const hanging = new Set<() => void>()
  // The bucket runs on real time even when the store's clock (`now`) is injected: it paces requests, not timestamps.
  let costBucket: CostBucket | null = options.costThrottle ? createCostBucket(options.costThrottle) : null
  const store = createStoreControl({
    state,
    sender,
    faults,
    requestLog,
    tokens,
    pending,
    setWebhookUrl: (url) => { webhookUrl = url },
    setCostThrottle: (settings) => { costBucket = settings ? createCostBucket(settings) : null },
    costThrottle: () => costBucket ? { ...costBucket.status(), ...costBucket.counts } : null
  })
  if (options.currencyCode !== undefined) store.setCurrency(options.currencyCode)

  const app = Fastify({ logger: false })
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))))
  })

  app.post('/admin/oauth/access_token', async (request, reply) => {
    const form = request.body && typeof request.body === 'object' ? request.body as Record<string, unknown> : {}
    const result = tokens.exchange(form)
    keepLast(requestLog, { kind: 'token', status: result.status, operationName: null, query: null, variables: null, token: null })
    return reply.code(result.status).send(result.body)
  })

  const emit = (events: SimEvent[]): void => {
    const delivery = sender.send(events, state.lastTick()).then(() => { pending.delete(delivery) })
    pending.add(delivery)
  }

  app.post('/admin/api/:version/graphql.json', async (request, reply) => {
    const { version } = request.params as { version: string }
    const header = request.headers['x-shopify-access-token']
    const token = typeof header === 'string' ? header : undefined
    const body = (request.body && typeof request.body === 'object' ? request.body : {}) as GraphqlRequestBody
    let result: EndpointResult
    if (version !== adminApiVersion) result = { status: 404, body: { errors: `the simulator serves API version ${adminApiVersion} only` } }
    else if (!tokens.valid(token)) result = unauthorizedResult()
    else if (faults.failures[0] === 'answer_lost') {
      faults.failures.shift()
      await runGraphql(state, body, emit, costBucket)
      result = failureResult('answer_lost')
    } else if (faults.failures.length > 0) result = failureResult(faults.failures.shift() ?? 'http_500')
    else if (faults.throttles.length > 0) result = throttledResult(faults.throttles.shift() ?? {})
    else result = await runGraphql(state, body, emit, costBucket)
    keepLast(requestLog, {
      kind: 'graphql',
      status: result.status,
      operationName: typeof body.operationName === 'string' ? body.operationName : operationNameOf(body.query),
      query: typeof body.query === 'string' ? body.query : null,
      variables: body.variables ?? null,
      token: token ?? null
    })
    if (result.reset) {
      request.raw.socket.destroy()
      return reply.hijack()
    }
    if (result.hang) {
      // Answer only once the client has given up (or the simulator closes).
      await new Promise<void>((resolve) => {
        hanging.add(resolve)
        request.raw.socket.once('close', () => { hanging.delete(resolve); resolve() })
      })
    }
    void reply.header('x-shopify-api-version', adminApiVersion)
    return reply.code(result.status).send(result.body)
  })

  registerControlRoutes(app, store)
  return { app, store, shutdown: () => { for (const resolve of hanging) resolve() } }
}

// A long-running `pod-bridge sim` keeps only the recent past in memory.
const logLimit = 5_000

function keepLast<T> (log: T[], entry: T): void {
  log.push(entry)
  if (log.length > logLimit) log.splice(0, log.length - logLimit)
}

function operationNameOf (query: unknown): string | null {
  if (typeof query !== 'string') return null
  return /\b(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? null
}
