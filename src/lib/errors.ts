// One error type for the whole service (STYLE.md §6). The `code` is a closed
// union so every caller can switch on it exhaustively; `retryable` is what job
// handlers use to decide between a retry with backoff and `needs_attention`.

export const errorCodes = {
  bad_request: { status: 400, retryable: false },
  unauthorized: { status: 401, retryable: false },
  forbidden: { status: 403, retryable: false },
  not_found: { status: 404, retryable: false },
  conflict: { status: 409, retryable: false },
  payload_too_large: { status: 413, retryable: false },
  too_many_requests: { status: 429, retryable: true },
  unsupported_media_type: { status: 415, retryable: false },
  not_configured: { status: 503, retryable: false },
  unavailable: { status: 503, retryable: true },
  // Outside services: network failures, 5xx and throttling are worth retrying;
  // a refusal of what we sent (validation, unknown variant) is not.
  upstream_transient: { status: 502, retryable: true },
  upstream_rate_limited: { status: 503, retryable: true },
  upstream_rejected: { status: 502, retryable: false },
  upstream_invalid_response: { status: 502, retryable: true },
  config: { status: 500, retryable: false },
  internal: { status: 500, retryable: false }
} as const satisfies Record<string, { status: number, retryable: boolean }>

export type ErrorCode = keyof typeof errorCodes

export interface AppErrorOptions {
  cause?: unknown
  /** Overrides the code's default, e.g. an upstream error of unknown kind. */
  retryable?: boolean
  /** When the outside service said when to come back (Retry-After, a throttle bucket). */
  retryAfterMs?: number
  /** Safe, structured detail for logs and the timeline (never secrets or bodies). */
  detail?: Record<string, unknown>
}

export class AppError extends Error {
  readonly code: ErrorCode
  readonly status: number
  readonly retryable: boolean
  readonly retryAfterMs: number | undefined
  readonly detail: Record<string, unknown> | undefined

  constructor (code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.status = errorCodes[code].status
    this.retryable = options.retryable ?? errorCodes[code].retryable
    this.retryAfterMs = options.retryAfterMs
    this.detail = options.detail
  }
}

export function isAppError (err: unknown): err is AppError {
  return err instanceof AppError
}

/** The message of anything thrown, for logs and timeline rows. */
export function errorMessage (err: unknown): string {
  if (err instanceof Error) return err.message
  return String(err)
}
