// The chaos run's short form, kept in CI so the proof stays true: the api and
// two workers as processes on an embedded Postgres of the run's own (never the
// shared server: the run crashes it), a few worker SIGKILLs, one Postgres
// crash, one api SIGKILL, a supplier 5xx storm, Shopify THROTTLED and 5xx,
// duplicate and late deliveries. Every order ends fulfilled and the checker,
// with the simulators' logs as witnesses, finds nothing.
import t from 'tap'
import { chaosReport, runChaos } from '../../bench/chaos.ts'

// The run takes 70-80 s on an idle machine; CI runs three test files at once on two cores.
t.setTimeout(420_000)

t.test('when the bridge is under fire (kills, a Postgres crash, storms, duplicate and late deliveries), then every order is fulfilled and no invariant is broken', async (t) => {
  const result = await runChaos({ short: true, server: 'embedded', log: (line) => { t.comment(line) } })
  t.comment(chaosReport(result).join('\n'))
  t.ok(result.workerKills >= 5, 'workers were killed')
  t.equal(result.postgresCrashes, 1, 'Postgres crashed once')
  t.equal(result.apiKills, 1, 'the api was killed once')
  t.ok((result.faults['printful error_500'] ?? 0) + (result.faults['printify error_500'] ?? 0) > 0, 'the suppliers answered 5xx')
  t.equal(result.orders, 10)
  t.same(result.unfinished, [], 'every order fulfilled')
  t.same(result.findings, [], 'no invariant broken')
})
