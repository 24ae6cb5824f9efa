// One error handler for every route: DESIGN.md's `{"error":{"code","message"}}`,
// with 5xx internals hidden from the caller (they are logged instead).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { AppError, isAppError, type ErrorCode } from '../lib/errors.ts'

export interface ErrorBody { error: { code: ErrorCode, message: string } }

export function errorBody (code: ErrorCode, message: string): ErrorBody {
  return { error: { code, message } }
}

const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'bad_request',
  FST_ERR_CTP_INVALID_JSON_BODY: 'bad_request'
}

function toAppError (err: FastifyError, request: FastifyRequest): AppError {
  if (isAppError(err)) return err
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new AppError('payload_too_large', `the body is over this route's limit of ${request.routeOptions.bodyLimit ?? 'unknown'} bytes`, { cause: err })
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = err.validationContext ?? 'request'
    const message = err.validation.map((issue) => {
      const field = issue.instancePath.replace(/^\//, '').replaceAll('/', '.')
      return `${where}${field ? `.${field}` : ''}: ${issue.message}`
    }).join('; ')
    return new AppError('bad_request', message, { cause: err })
  }
  const mapped = err.code ? fastifyCodes[err.code] : undefined
  if (mapped) return new AppError(mapped, err.message, { cause: err })
  if (err instanceof SyntaxError || (err.statusCode === 400)) return new AppError('bad_request', err.message, { cause: err })
  if (err.statusCode === 413) return new AppError('payload_too_large', err.message, { cause: err })
  return new AppError('internal', 'internal error', { cause: err })
}

export function installErrorHandlers (app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const appError = toAppError(err, request)
    if (appError.status >= 500) {
      request.log.error({ err }, 'request failed')
    } else {
      request.log.info({ code: appError.code, message: appError.message }, 'request refused')
    }
    const message = appError.code === 'internal' ? 'internal error' : appError.message
    if (appError.retryAfterMs !== undefined) void reply.header('retry-after', String(Math.ceil(appError.retryAfterMs / 1000)))
    return reply.status(appError.status).send(errorBody(appError.code, message))
  })
  app.setNotFoundHandler((request, reply) => {
    return reply.status(404).send(errorBody('not_found', `no route ${request.method} ${request.url.split('?')[0] ?? ''}`))
  })
}
