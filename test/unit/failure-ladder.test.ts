// The one failure ladder submit, fulfill and cancel share: pure.
import t from 'tap'
import { AppError } from '../../src/lib/errors.ts'
import { DEFAULT_RETRY_AFTER_MS, failureRung } from '../../src/lib/failure-ladder.ts'

const now = Date.parse('2026-12-05T10:00:00Z')
const first = { retryCount: 0, retryLimit: 5 }

t.test('when the service answers 429, then the job waits for its Retry-After, or a minute when it names none, whatever the try', async (t) => {
  t.same(failureRung(new AppError('upstream_rate_limited', 'slow down', { retryAfterMs: 7_000 }), first, now), { rung: 'wait', until: new Date(now + 7_000), message: 'slow down' })
  t.same(failureRung(new AppError('upstream_rate_limited', 'slow down'), { retryCount: 4, retryLimit: 5 }, now), { rung: 'wait', until: new Date(now + DEFAULT_RETRY_AFTER_MS), message: 'slow down' })
})

t.test('when the failure is transient, then the job retries until its last try, then gives up naming the attempts and the message', async (t) => {
  const err = new AppError('upstream_transient', 'Printful answered 502')
  t.same(failureRung(err, first, now), { rung: 'retry', message: 'Printful answered 502' })
  t.same(failureRung(err, { retryCount: 4, retryLimit: 5 }, now), { rung: 'give_up', message: 'Printful answered 502', reason: 'gave up after 5 attempts: Printful answered 502' })
  t.match(failureRung(err, { retryCount: 4, retryLimit: 5, attempts: 7 }, now), { reason: /^gave up after 7 attempts/ }, 'the job\'s own count where it keeps one')
})

t.test('when the failure is permanent, or not ours at all, then the job gives up at once with the provider\'s message as it is', async (t) => {
  t.same(failureRung(new AppError('upstream_rejected', 'OR-4 INVALID_SHIPPING_METHOD'), first, now), { rung: 'give_up', message: 'OR-4 INVALID_SHIPPING_METHOD', reason: 'OR-4 INVALID_SHIPPING_METHOD' })
  t.same(failureRung(new Error('boom'), first, now), { rung: 'give_up', message: 'boom', reason: 'boom' })
})
