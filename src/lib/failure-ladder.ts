// The one failure ladder of every job that calls an outside service
// (supplier.submit, shopify.fulfill, order.cancel): a 429 waits for the
// service's Retry-After; a transient failure is retried with pg-boss's
// backoff (the outcome may be unknown, so the next try looks first); a
// permanent one, or the last try, goes to a person with the service's own
// message. Pure: each job records the rung it is on its own rows.
import { errorMessage, isAppError } from './errors.ts'

/** When a 429 names no Retry-After. */
export const DEFAULT_RETRY_AFTER_MS = 60_000

export type Rung =
  | { readonly rung: 'wait', readonly until: Date, readonly message: string }
  | { readonly rung: 'retry', readonly message: string }
  /** `reason`: the message, prefixed with the attempts made when the tries ran out. */
  | { readonly rung: 'give_up', readonly message: string, readonly reason: string }

export interface Attempt {
  /** pg-boss's retry count of this run (0 on the first). */
  readonly retryCount: number
  /** The queue's retryLimit. */
  readonly retryLimit: number
  /** Attempts to name when giving up, where the job counts them itself; default retryCount + 1. */
  readonly attempts?: number
}

export function failureRung (err: unknown, attempt: Attempt, now: number = Date.now()): Rung {
  const message = errorMessage(err)
  if (isAppError(err) && err.code === 'upstream_rate_limited') return { rung: 'wait', until: new Date(now + (err.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS)), message }
  const lastTry = attempt.retryCount + 1 >= attempt.retryLimit
  if (isAppError(err) && err.retryable && !lastTry) return { rung: 'retry', message }
  return { rung: 'give_up', message, reason: lastTry ? `gave up after ${String(attempt.attempts ?? attempt.retryCount + 1)} attempts: ${message}` : message }
}
