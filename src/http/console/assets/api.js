// The /v1 API with the bearer token kept in this tab's sessionStorage. A 401
// forgets the token and sends the person back to sign in.
const KEY = 'pod-bridge.console.token'

export function token () { return sessionStorage.getItem(KEY) }
export function setToken (value) { sessionStorage.setItem(KEY, value) }
export function forget () { sessionStorage.removeItem(KEY) }

export class ApiError extends Error {
  constructor (status, code, message) { super(message); this.status = status; this.code = code }
}

let onUnauthorized = () => {}
export function whenUnauthorized (fn) { onUnauthorized = fn }

export async function api (path, { method = 'GET', body } = {}) {
  const headers = { authorization: `Bearer ${token() ?? ''}` }
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(`/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const json = await res.json().catch(() => ({}))
  if (res.status === 401) { forget(); onUnauthorized(json.error?.message ?? 'sign in again') }
  if (!res.ok) throw new ApiError(res.status, json.error?.code ?? 'error', json.error?.message ?? `HTTP ${res.status}`)
  return json
}

export function query (params) {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v)
  const text = q.toString()
  return text ? `?${text}` : ''
}
