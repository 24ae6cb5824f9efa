// The CI form of the fuzz run (the full one is bench/fuzz.ts, 100,000 cases):
// a few thousand generated and mutated requests to every webhook and the /v1
// API, through the real app and a real Postgres. fast-check shrinks a failing
// case to a small one and prints its seed, so it can be replayed.
import fc from 'fast-check'
import t from 'tap'
import { testDatabase } from '../helpers/database.ts'
import { describeCase, fuzzTarget, runCase } from './harness.ts'
import { fuzzCase } from './requests.ts'

const RUNS = Number(process.env.FUZZ_RUNS ?? 3000)

t.test(`when ${RUNS} fuzzed requests reach the webhooks and the ops API, then none gets a 5xx or crashes, and no unsigned one leaves a row`, { timeout: 110_000 }, async (t) => {
  const database = await testDatabase(t)
  const target = await fuzzTarget(database.url)
  t.teardown(() => target.close())
  const statuses = new Map<number, number>()
  let signed = 0
  const rssBefore = process.memoryUsage().rss
  await fc.assert(fc.asyncProperty(fuzzCase, async (c) => {
    const outcome = await runCase(target, c)
    statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1)
    if (c.signed) signed++
    if (outcome.problem) throw new Error(`${outcome.problem}\n  case: ${describeCase(c)}`)
  }), { numRuns: RUNS, ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}) })
  const rssAfter = process.memoryUsage().rss
  const total = [...statuses.values()].reduce((a, b) => a + b, 0)
  t.comment(`statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}; signed ${signed} of ${total}; RSS ${(rssBefore / 2 ** 20).toFixed(0)} MiB before, ${(rssAfter / 2 ** 20).toFixed(0)} MiB after`)
  t.ok(signed >= total / 4, `at least a quarter correctly signed or authorised (${signed} of ${total})`)
  t.ok((statuses.get(200) ?? 0) + (statuses.get(202) ?? 0) > total / 20, 'a fair share reached the handlers and was accepted')
})
