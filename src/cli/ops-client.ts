// The CLI's ops commands talk to a running service over its /v1 API, with
// OPS_API_TOKEN, so they see exactly what the API shows and need no database
// access of their own.
import { formatDuration } from '../lib/duration.ts'

export interface OpsClientOptions {
  readonly url: string
  readonly token: string | undefined
}

export class OpsRequestError extends Error {}

export async function getJson (options: OpsClientOptions, path: string, query: Record<string, string | undefined> = {}): Promise<unknown> {
  return requestJson(options, 'GET', path, query)
}

/** POST a JSON body; `timeoutMs` for the calls that do their work before answering (a dry run). */
export async function postJson (options: OpsClientOptions, path: string, body: unknown, timeoutMs = 15_000): Promise<unknown> {
  return requestJson(options, 'POST', path, {}, body, timeoutMs)
}

async function requestJson (options: OpsClientOptions, method: 'GET' | 'POST', path: string, query: Record<string, string | undefined>, body?: unknown, timeoutMs = 15_000): Promise<unknown> {
  if (!options.token) throw new OpsRequestError('OPS_API_TOKEN is not set: the ops commands need it to call the service\'s /v1 API')
  const url = new URL(path, options.url.endsWith('/') ? options.url : `${options.url}/`)
  for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, value)
  let response: Response
  try {
    response = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${options.token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs)
    })
  } catch (err) {
    throw new OpsRequestError(`could not reach the service at ${options.url} (${(err as Error).message}); is it running? (--url)`)
  }
  const text = await response.text()
  let answer: unknown
  try {
    answer = JSON.parse(text)
  } catch {
    throw new OpsRequestError(`${url.pathname} answered HTTP ${response.status} with a body that is not JSON`)
  }
  if (!response.ok) {
    const message = (answer as { error?: { message?: unknown } }).error?.message
    throw new OpsRequestError(`${url.pathname} answered HTTP ${response.status}: ${typeof message === 'string' ? message : text}`)
  }
  return answer
}

/** Plain text columns, padded to the widest cell. */
export function table (headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)))
  const line = (cells: readonly string[]): string => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()
  return [line(headers), ...rows.map(line)]
}

/** "3d 4h ago" from an ISO time. */
export function since (iso: string | null | undefined, now = new Date()): string {
  if (!iso) return '-'
  return `${formatDuration(now.getTime() - Date.parse(iso))} ago`
}

export function shortTime (iso: string | null | undefined): string {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-'
}
