// Who may do what under /v1: OPS_READ_TOKEN looks (GET and HEAD only; any
// change answers 403), anything else goes to the full token's bearer check.
// The read token's comparison is constant-time like the full one's.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../../lib/errors.ts'
import { bearerAuth } from './auth.ts'

export type OpsAccess = 'full' | 'read'

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the /v1 frame once the bearer token is checked. */
    opsAccess?: OpsAccess
  }
}

const readMethods = new Set(['GET', 'HEAD'])

function digest (value: string): Buffer {
  return createHash('sha256').update(value).digest()
}

export function opsAccess (fullToken: string | undefined, readToken: string | undefined) {
  const checkFull = bearerAuth(fullToken)
  const readDigest = readToken === undefined ? undefined : digest(readToken)
  return async function checkAccess (request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const given = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1]
    if (readDigest && given && timingSafeEqual(digest(given), readDigest)) {
      if (!readMethods.has(request.method)) throw new AppError('forbidden', `the read-only token (OPS_READ_TOKEN) cannot ${request.method} ${request.routeOptions.url ?? request.url}: use OPS_API_TOKEN`)
      request.opsAccess = 'read'
      return
    }
    await checkFull(request, reply)
    request.opsAccess = 'full'
  }
}
