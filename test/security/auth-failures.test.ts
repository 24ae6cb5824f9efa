// The failed-auth brake's clock and memory, with a fake clock.
import t from 'tap'
import { createFailureLimiter, MAX_FAILURES, MAX_TRACKED, WINDOW_MS } from '../../src/http/ops/auth-failures.ts'

t.test('when the window ends, then the address may try again with a fresh count', async (t) => {
  let now = 1_000_000
  const limiter = createFailureLimiter(() => now)
  for (let i = 0; i < MAX_FAILURES - 1; i++) limiter.recordFailure('a')
  t.equal(limiter.blockedFor('a'), 0, `${MAX_FAILURES - 1} failures do not block`)
  limiter.recordFailure('a')
  t.equal(limiter.blockedFor('a'), WINDOW_MS, 'the last failure closes the window')
  now += WINDOW_MS - 1
  t.equal(limiter.blockedFor('a'), 1)
  now += 1
  t.equal(limiter.blockedFor('a'), 0, 'open again when the window ends')
  limiter.recordFailure('a')
  t.equal(limiter.blockedFor('a'), 0, 'and the count starts over')
})

t.test('when very many addresses fail, then memory stays bounded, the oldest windows go first, and recording stays fast', async (t) => {
  let now = 0
  const limiter = createFailureLimiter(() => now)
  for (let i = 0; i < MAX_FAILURES; i++) limiter.recordFailure('guesser')
  for (let i = 0; i < 5_000; i++) limiter.recordFailure(`addr-${i}`)
  t.ok(limiter.blockedFor('guesser') > 0)
  now += WINDOW_MS - 1
  const started = performance.now()
  for (let i = 0; i < 200_000; i++) limiter.recordFailure(`spray-${i}`)
  const ms = performance.now() - started
  t.ok(limiter.tracked() <= MAX_TRACKED, `never more than MAX_TRACKED addresses (${limiter.tracked()})`)
  t.ok(ms < 2000, `200,000 new addresses recorded in ${Math.round(ms)} ms (making room is not a scan per failure)`)
})
