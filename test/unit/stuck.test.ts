import t from 'tap'
import { defaultStuckAfter } from '../../src/config.ts'
import { formatDuration } from '../../src/lib/duration.ts'
import { isStuck, stuckFor, stuckThresholds } from '../../src/orders/read/stuck.ts'

const thresholds = stuckThresholds({ ...defaultStuckAfter, submitted: 3 * 86_400_000, received: 10 * 60_000 })
const now = new Date('2026-11-27T12:00:00.000Z')
const before = (ms: number): Date => new Date(now.getTime() - ms)

t.test('when an order is exactly at its state\'s threshold, then it is not stuck; one millisecond later, it is', async (t) => {
  t.equal(isStuck(thresholds, 'received', before(10 * 60_000), now), false, 'at 10 min: not yet')
  t.equal(isStuck(thresholds, 'received', before(10 * 60_000 - 1), now), false, 'just under')
  t.equal(isStuck(thresholds, 'received', before(10 * 60_000 + 1), now), true, 'just over')
  t.equal(stuckFor(thresholds, 'received', before(10 * 60_000 + 1), now), 1, 'overdue by the excess')
  t.equal(isStuck(thresholds, 'submitted', before(3 * 86_400_000), now), false)
  t.equal(isStuck(thresholds, 'submitted', before(3 * 86_400_000 + 1000), now), true)
})

t.test('when a state has no expected time (final states, needs_attention), then it never counts as stuck', async (t) => {
  for (const state of ['fulfilled', 'cancelled', 'needs_attention'] as const) {
    t.equal(isStuck(thresholds, state, before(365 * 86_400_000), now), false, state)
  }
})

t.test('when STUCK_AFTER names submitting (a supplier order state), then the order thresholds leave it out', async (t) => {
  t.notOk([...thresholds.keys()].includes('submitting' as never))
  t.equal(thresholds.get('in_production'), defaultStuckAfter.in_production)
})

t.test('when a duration is formatted, then it shows the two largest units', async (t) => {
  t.equal(formatDuration(0), '0s')
  t.equal(formatDuration(45_000), '45s')
  t.equal(formatDuration(10 * 60_000), '10m')
  t.equal(formatDuration(3 * 86_400_000 + 4 * 3_600_000 + 5 * 60_000), '3d 4h')
  t.equal(formatDuration(3 * 86_400_000 + 5 * 60_000), '3d')
  t.equal(formatDuration(-5), '0s')
})
