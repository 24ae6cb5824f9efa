// The machinery every simulator shares: a Fastify server on loopback with the
// request log, faults on demand, the fixed-window rate limiter, the supplier's
// own error body for anything that goes wrong, and the generic /_control/
// routes. Each simulator adds its API routes and its order control on top.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import { z } from 'zod'
import { FaultQueue, faultSpecSchema, type Fault, type FaultSpec } from './faults.ts'
import { RequestLog, type LoggedRequest } from './request-log.ts'
import { FixedWindowLimiter, type RateDecision, type RateLimitSettings } from './rate-limit.ts'
import type { WebhookDelivery, WebhookRetryPolicy, WebhookSender } from './webhook-sender.ts'

export interface SimServerOptions {
  readonly name: string
  /** The supplier's error body for a status (its own envelope). */
  readonly errorBody: (status: number, message: string) => unknown
  /** The supplier's own answer for an error thrown by a route (its refusal types), if it has one. */
  readonly mapError?: (err: unknown) => { status: number, body: unknown } | undefined
  readonly rateLimit: RateLimitSettings
  /** What the budget is counted per: token, store, account. */
  readonly rateKey: (request: FastifyRequest) => string
  /** Headers describing the budget on every answer (Printful's X-Ratelimit-*); none by default. */
  readonly rateHeaders?: (decision: RateDecision) => Record<string, string>
  readonly now?: () => number
  readonly webhooks: WebhookSender
}

export interface SimCore {
  readonly app: FastifyInstance
  readonly faults: FaultQueue
  readonly log: RequestLog
  readonly limiter: FixedWindowLimiter
  readonly webhooks: WebhookSender
}

/** A started simulator: its base URL, its typed control, and how to stop it. */
export interface RunningSimulator<C> {
  readonly url: string
  readonly control: C
  close (): Promise<void>
}

/** The control every simulator offers, typed, for in-process tests. */
export interface BaseControl {
  injectFault (spec: FaultSpec): void
  clearFaults (): void
  pendingFaults (): readonly Fault[]
  requests (filter?: { method?: string, path?: string }): LoggedRequest[]
  clearRequests (): void
  setRateLimit (settings: RateLimitSettings): void
  setWebhookUrl (url: string | undefined): void
  setWebhookRetry (policy: WebhookRetryPolicy): void
  webhookDeliveries (): readonly WebhookDelivery[]
  /** Awaits webhooks in flight and every scheduled retry. */
  drainWebhooks (): Promise<void>
}

const controlPrefix = '/_control/'

interface RequestState { fault?: Fault, decision?: RateDecision, entry?: LoggedRequest }

export function createSimServer (options: SimServerOptions): SimCore {
  // forceCloseConnections: close() must not wait for a request held by a `timeout` fault.
  const app = Fastify({ logger: false, forceCloseConnections: true })
  const faults = new FaultQueue()
  const log = new RequestLog()
  const limiter = new FixedWindowLimiter(options.rateLimit, options.now)
  const states = new WeakMap<FastifyRequest, RequestState>()
  const now = options.now ?? Date.now

  app.setErrorHandler((err: { statusCode?: number, message: string }, _request, reply) => {
    const mapped = options.mapError?.(err)
    if (mapped) return reply.code(mapped.status).send(mapped.body)
    const status = err.statusCode !== undefined && err.statusCode >= 400 ? err.statusCode : 500
    return reply.code(status).send(options.errorBody(status, status >= 500 ? 'Internal Server Error' : err.message))
  })
  app.setNotFoundHandler((_request, reply) => reply.code(404).send(options.errorBody(404, 'Not Found')))

  app.addHook('preHandler', async (request, reply) => {
    if (request.url.startsWith(controlPrefix)) return
    const path = request.url.split('?')[0] ?? request.url
    const entry = log.record({
      at: new Date(now()).toISOString(),
      method: request.method,
      path,
      query: { ...(request.query as Record<string, string>) },
      headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)])),
      body: request.body ?? null
    })
    const state: RequestState = { entry }
    states.set(request, state)
    const fault = faults.take(request.method, path)
    if (fault) {
      entry.fault = fault.kind
      state.fault = fault
      const handled = await applyFault(fault, request, reply, options)
      if (handled) return reply
    }
    const decision = limiter.take(options.rateKey(request))
    state.decision = decision
    if (!decision.allowed) {
      return reply.code(429).header('retry-after', String(Math.max(1, Math.ceil(decision.resetMs / 1000))))
        .send(options.errorBody(429, 'Too Many Requests'))
    }
  })

  app.addHook('onSend', async (request, reply, payload) => {
    const state = states.get(request)
    if (!state) return payload
    if (state.decision && options.rateHeaders) reply.headers(options.rateHeaders(state.decision))
    if (state.fault?.kind === 'malformed_json') {
      // The request was applied; the answer is cut in half, as a proxy dropping the connection mid-body would.
      const text = typeof payload === 'string' ? payload : JSON.stringify(payload ?? {})
      return text.slice(0, Math.max(1, Math.floor(text.length / 2)))
    }
    if (state.fault?.kind === 'answer_lost') {
      // Applied and stored, but the client never hears back.
      request.raw.socket.destroy()
    }
    return payload
  })

  app.addHook('onResponse', async (request, reply) => {
    const state = states.get(request)
    if (state?.entry) state.entry.status = reply.statusCode
  })

  registerBaseControlRoutes(app, { faults, log, limiter, webhooks: options.webhooks })
  return { app, faults, log, limiter, webhooks: options.webhooks }
}

async function applyFault (fault: Fault, request: FastifyRequest, reply: FastifyReply, options: SimServerOptions): Promise<boolean> {
  switch (fault.kind) {
    case 'error_500':
      await reply.code(500).send(options.errorBody(500, 'Internal Server Error'))
      return true
    case 'rate_limited':
      await reply.code(429).header('retry-after', String(fault.retryAfterSeconds)).send(options.errorBody(429, 'Too Many Requests'))
      return true
    case 'connection_reset':
      reply.hijack()
      request.raw.socket.destroy()
      return true
    case 'timeout': {
      // Say nothing: the client's own timeout is what is under test. The socket
      // is closed when the client gives up, after delayMs, or at close().
      reply.hijack()
      const socket = request.raw.socket
      await new Promise<void>((resolve) => {
        const timer = fault.delayMs === undefined ? undefined : setTimeout(resolve, fault.delayMs)
        socket.once('close', () => { if (timer) clearTimeout(timer); resolve() })
      })
      socket.destroy()
      return true
    }
    case 'slow':
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 1_000))
      return false
    case 'malformed_json':
    case 'answer_lost':
      return false
  }
}

function registerBaseControlRoutes (app: FastifyInstance, core: Omit<SimCore, 'app'>): void {
  const control = baseControl(core)
  app.get('/_control/requests', (request, reply) => {
    const query = z.object({ method: z.string().optional(), path: z.string().optional() }).parse(request.query)
    return reply.send(control.requests({ ...(query.method ? { method: query.method } : {}), ...(query.path ? { path: query.path } : {}) }))
  })
  app.delete('/_control/requests', async (_request, reply) => { control.clearRequests(); return reply.code(204).send() })
  app.get('/_control/faults', (_request, reply) => reply.send(control.pendingFaults()))
  app.post('/_control/faults', async (request, reply) => { control.injectFault(faultSpecSchema.parse(request.body)); return reply.code(204).send() })
  app.delete('/_control/faults', async (_request, reply) => { control.clearFaults(); return reply.code(204).send() })
  app.put('/_control/rate-limit', async (request, reply) => {
    control.setRateLimit(z.object({ limit: z.number().int().min(1), windowMs: z.number().int().min(1) }).parse(request.body))
    return reply.code(204).send()
  })
  app.put('/_control/webhook', async (request, reply) => {
    const body = z.object({ url: z.url().optional() }).parse(request.body)
    control.setWebhookUrl(body.url)
    return reply.code(204).send()
  })
  app.put('/_control/webhook-retry', (request, reply) => {
    const body = z.object({ delaysMs: z.array(z.number().int().min(0)), blockForMs: z.number().int().min(0).optional() }).parse(request.body)
    control.setWebhookRetry(body.blockForMs === undefined ? { delaysMs: body.delaysMs } : { delaysMs: body.delaysMs, blockForMs: body.blockForMs })
    return reply.code(204).send()
  })
  app.get('/_control/webhooks', (_request, reply) => reply.send(control.webhookDeliveries()))
}

export function baseControl (core: Omit<SimCore, 'app'>): BaseControl {
  return {
    injectFault: (spec) => { core.faults.add(spec) },
    clearFaults: () => { core.faults.clear() },
    pendingFaults: () => core.faults.pending(),
    requests: (filter) => core.log.all(filter),
    clearRequests: () => { core.log.clear() },
    setRateLimit: (settings) => { core.limiter.set(settings) },
    setWebhookUrl: (url) => { core.webhooks.setUrl(url) },
    setWebhookRetry: (policy) => { core.webhooks.setRetryPolicy(policy) },
    webhookDeliveries: () => core.webhooks.deliveries(),
    drainWebhooks: () => core.webhooks.drain()
  }
}

/** Listens on loopback (port 0 = any free port) and returns the base URL. */
export async function listenOnLoopback (app: FastifyInstance, port = 0, host = '127.0.0.1'): Promise<string> {
  await app.listen({ port, host })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('simulator: no TCP address')
  return `http://${host}:${String(address.port)}`
}

/**
 * Listens on loopback and hands back the running simulator; its close stops the
 * webhook sender (after the deliveries under way settle), then `stop` (the
 * simulator's own timers), then the server.
 */
export async function serveSimulator<C> (core: SimCore, control: C, webhooks: WebhookSender, options: { readonly port?: number | undefined, readonly host?: string | undefined }, stop: () => void = () => {}): Promise<RunningSimulator<C>> {
  const url = await listenOnLoopback(core.app, options.port ?? 0, options.host)
  return {
    url,
    control,
    close: async () => {
      stop()
      webhooks.close()
      await webhooks.settle()
      await core.app.close()
    }
  }
}

/** Seconds since the epoch, as Printful v1 writes times. */
export function unixSeconds (ms: number): number {
  return Math.floor(ms / 1000)
}
