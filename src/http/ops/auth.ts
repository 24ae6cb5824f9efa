// Bearer auth for /v1/*: constant-time comparison of digests (so neither the
// content nor the length of the token leaks through timing), and a brake on
// repeated failures from one client address (auth-failures.ts). The address is
// the socket's, or with TRUST_PROXY the one the trusted proxies forwarded.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../../lib/errors.ts'
import { createFailureLimiter, type FailureLimiter } from './auth-failures.ts'

function digest (value: string): Buffer {
  return createHash('sha256').update(value).digest()
}

export function bearerAuth (token: string | undefined, limiter: FailureLimiter = createFailureLimiter()) {
  const expected = token === undefined ? undefined : digest(token)
  return async function checkBearer (request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (!expected) throw new AppError('not_configured', 'the ops API is disabled: set OPS_API_TOKEN to enable /v1')
    const waitMs = limiter.blockedFor(request.ip)
    if (waitMs > 0) {
      throw new AppError('too_many_requests', 'too many refused tokens from this address: try again later', { retryAfterMs: waitMs })
    }
    const header = request.headers.authorization ?? ''
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
    if (!match?.[1] || !timingSafeEqual(digest(match[1]), expected)) {
      limiter.recordFailure(request.ip)
      void reply.header('www-authenticate', 'Bearer realm="pod-bridge"')
      throw new AppError('unauthorized', header ? 'the bearer token is not valid' : 'missing Authorization: Bearer <OPS_API_TOKEN>')
    }
  }
}
