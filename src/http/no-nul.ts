// Postgres text and jsonb cannot hold the NUL character: a NUL in a path
// parameter, query value or JSON string would reach the database and fail
// there as a 500. Refused here instead, as the client's mistake it is.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AppError } from '../lib/errors.ts'

/** Where in `value` (params, query, a parsed JSON body) a string holds NUL, or undefined. */
function nulAt (value: unknown, where: string, depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? where : undefined
  // Deeper than any body we accept; JSON.parse already bounded it.
  if (!value || typeof value !== 'object' || Buffer.isBuffer(value) || depth > 1000) return undefined
  for (const [key, inner] of Object.entries(value)) {
    const found = key.includes('\u0000') ? where : nulAt(inner, `${where}.${key}`, depth + 1)
    if (found) return found
  }
  return undefined
}

export function refuseNul (app: FastifyInstance): void {
  app.addHook('preValidation', async (request: FastifyRequest) => {
    const where = nulAt(request.params, 'params') ?? nulAt(request.query, 'querystring') ?? nulAt(request.body, 'body')
    if (where) throw new AppError('bad_request', `${where}: text may not contain the NUL character (\\u0000)`)
  })
}

/**
 * A signed webhook is the provider's word and must be taken (a refusal would be
 * retried until the provider gives up on the subscription), so its strings lose
 * their NULs instead; the raw bytes are stored as they came (bytea).
 */
export function withoutNul<T> (value: T, depth = 0): T {
  if (typeof value === 'string') return (value.includes('\u0000') ? value.replaceAll('\u0000', '') : value) as T
  if (!value || typeof value !== 'object' || depth > 1000) return value
  if (Array.isArray(value)) return value.map((inner: unknown) => withoutNul(inner, depth + 1)) as T
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [withoutNul(key), withoutNul(inner, depth + 1)])) as T
}
