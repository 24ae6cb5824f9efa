// The one HTTP path every supplier client uses: undici with explicit timeouts,
// JSON bodies, and one classification of failures into AppError codes
// (DESIGN.md rule 5). Supplier-specific error bodies are read by each client.
import { AsyncLocalStorage } from 'node:async_hooks'
import { request, type Dispatcher } from 'undici'
import type { z } from 'zod'
import { AppError, isAppError, type ErrorCode } from '../../lib/errors.ts'

export interface HttpClientOptions {
  /** Origin (and optional path prefix) of the API, without a trailing slash. */
  readonly baseUrl: string
  /** Whole-request budget (connect, headers, body). */
  readonly timeoutMs?: number
  /** An undici Agent or Pool of the caller's (connection limits, keep-alive); the global one otherwise. */
  readonly dispatcher?: Dispatcher
  /** Names the supplier in error messages and detail. */
  readonly service: string
}

export interface HttpCall {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  readonly path: string
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: unknown
}

export interface HttpResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly text: string
}

export const defaultTimeoutMs = 15_000

/** Called before each request made inside withRequestGate; throws to stop the request from being sent. */
export type RequestGate = (service: string, call: HttpCall) => Promise<void>

const gates = new AsyncLocalStorage<RequestGate>()

/**
 * Runs `fn` with every supplier request it makes passing `gate` first. The
 * submit job charges one budget token per request this way (a submit is two
 * Printify requests, a look-up as many as it reads pages) without the
 * clients, which the sweeper shares, knowing about budgets.
 */
export function withRequestGate<T> (gate: RequestGate, fn: () => Promise<T>): Promise<T> {
  return gates.run(gate, fn)
}

export async function sendRequest (options: HttpClientOptions, call: HttpCall): Promise<HttpResponse> {
  await gates.getStore()?.(options.service, call)
  const url = new URL(options.baseUrl + call.path)
  for (const [key, value] of Object.entries(call.query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value))
  }
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs
  const headers: Record<string, string> = { accept: 'application/json', ...call.headers }
  let body: string | null = null
  if (call.body !== undefined) {
    body = JSON.stringify(call.body)
    headers['content-type'] = 'application/json'
  }
  try {
    const response = await request(url, {
      method: call.method,
      headers,
      body,
      signal: AbortSignal.timeout(timeoutMs),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {})
    })
    const text = await response.body.text()
    const flat: Record<string, string> = {}
    for (const [key, value] of Object.entries(response.headers)) {
      if (value !== undefined) flat[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
    }
    return { status: response.statusCode, headers: flat, text }
  } catch (err) {
    // A write whose answer never came may have been applied: say so, so the
    // caller looks the order up before creating it again (DESIGN.md rule 2).
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError' || /timeout/i.test(err.name) || /timeout/i.test(err.message))
    throw new AppError('upstream_transient', `${options.service}: ${timedOut ? 'no answer within ' + String(timeoutMs) + ' ms' : 'network error'} on ${call.method} ${call.path}`, {
      cause: err,
      detail: { service: options.service, method: call.method, path: call.path, timedOut, outcome: call.method === 'GET' ? 'none' : 'unknown' }
    })
  }
}

/** The body as JSON, or upstream_invalid_response (a truncated or non-JSON answer). */
export function parseJson (service: string, response: HttpResponse): unknown {
  try {
    return JSON.parse(response.text) as unknown
  } catch (err) {
    throw new AppError('upstream_invalid_response', `${service}: answered ${String(response.status)} with a body that is not JSON`, {
      cause: err,
      detail: { service, status: response.status, outcome: 'unknown' }
    })
  }
}

/** Validates a supplier body against its wire schema (STYLE.md §4). */
export function parseWire<S extends z.ZodType> (service: string, schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  throw new AppError('upstream_invalid_response', `${service}: unexpected ${what}: ${issue ? issue.path.join('.') + ' ' + issue.message : 'invalid'}`, {
    cause: result.error,
    detail: { service, what }
  })
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs (headers: Readonly<Record<string, string>>, now: number = Date.now()): number | undefined {
  const value = headers['retry-after']
  if (value === undefined || value.trim() === '') return undefined
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.ceil(Number(value) * 1000)
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

export interface RateLimitState {
  readonly limit: number
  readonly remaining: number
  /** Milliseconds until the budget is full again. */
  readonly resetMs: number
}

/** X-Ratelimit-Limit / -Remaining / -Reset (seconds), as Printful sends them (suppliers.md §1.3). */
export function readRateLimit (headers: Readonly<Record<string, string>>): RateLimitState | undefined {
  const limit = Number(headers['x-ratelimit-limit'])
  const remaining = Number(headers['x-ratelimit-remaining'])
  const reset = Number(headers['x-ratelimit-reset'] ?? '0')
  if (!Number.isFinite(limit) || !Number.isFinite(remaining) || headers['x-ratelimit-limit'] === undefined) return undefined
  return { limit, remaining, resetMs: Number.isFinite(reset) ? Math.ceil(reset * 1000) : 0 }
}

/**
 * The supplier is not ready for this request yet, and says so (Printify's 8502
 * on an order still `pending` right after creation): ask again later. Not a
 * refusal of what we sent, so never a reason for `needs_attention` by itself.
 */
export function notYetError (service: string, call: HttpCall, response: HttpResponse, message: string, extra: Record<string, unknown> = {}): AppError {
  return new AppError('upstream_transient', `${service}: ${message}`, { detail: { service, method: call.method, path: call.path, status: response.status, notYet: true, ...extra } })
}

export function isNotYet (err: unknown): err is AppError {
  return isAppError(err) && err.detail?.notYet === true
}

/** The AppError for a non-2xx answer; `message` is the supplier's own explanation. */
export function errorForStatus (service: string, call: HttpCall, response: HttpResponse, message: string, extra: Record<string, unknown> = {}): AppError {
  const status = response.status
  const detail = { service, method: call.method, path: call.path, status, ...extra }
  let code: ErrorCode
  if (status === 401) code = 'unauthorized'
  else if (status === 403) code = 'forbidden'
  else if (status === 404) code = 'not_found'
  else if (status === 429 || status === 419) code = 'upstream_rate_limited'
  else if (status === 408 || status === 409 || status >= 500) code = 'upstream_transient'
  else if (status >= 400) code = 'upstream_rejected'
  else code = 'upstream_invalid_response'
  const wait = retryAfterMs(response.headers)
  return new AppError(code, `${service}: ${message}`, { detail, ...(wait === undefined ? {} : { retryAfterMs: wait }) })
}
