// The full fuzz run (issue 17): FUZZ_REQUESTS (default 100,000) generated and
// mutated requests to the webhooks and the /v1 API through the real app on a
// real Postgres (test/fuzz/requests.ts says what is generated). Prints
// requests, 5xx count, rows left by unsigned requests, and RSS before/after.
// `npm run bench` runs it too; on its own: node bench/fuzz.ts
import fc from 'fast-check'
import { migrateAll } from '../src/service.ts'
import { loadConfig } from '../src/config.ts'
import { createLogger } from '../src/lib/logger.ts'
import { describeCase, fuzzTarget, runCase } from '../test/fuzz/harness.ts'
import { fuzzCase } from '../test/fuzz/requests.ts'
import { freshDatabase, isMain, printStandalone } from './bench-db.ts'
import { writeBenchmarks } from './report-file.ts'

const CHUNK = 500

export interface FuzzReport {
  readonly requests: number
  readonly signed: number
  readonly serverErrors: number
  readonly crashes: number
  readonly rowsFromUnsigned: number
  readonly statuses: Record<string, number>
  readonly byTarget: Record<string, { requests: number, ms: number }>
  readonly rssBeforeMiB: number
  readonly rssAfterMiB: number
  readonly seconds: number
  readonly seed: number
  readonly examples: readonly string[]
}

export async function benchFuzz (serverUrl: string, log: (line: string) => void, requests = Number(process.env.FUZZ_REQUESTS ?? 100_000)): Promise<FuzzReport> {
  const database = await freshDatabase(serverUrl, 'bench_fuzz')
  try {
    await migrateAll(database.url, loadConfig({ DATABASE_URL: database.url }), createLogger('warn'))
    const target = await fuzzTarget(database.url)
    try {
      const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31)
      const statuses: Record<string, number> = {}
      const byTarget: Record<string, { requests: number, ms: number }> = {}
      const examples: string[] = []
      let signed = 0
      let serverErrors = 0
      let crashes = 0
      let rowsFromUnsigned = 0
      let rssBefore = 0
      const started = Date.now()
      for (let done = 0; done < requests; done += CHUNK) {
        const cases = fc.sample(fuzzCase, { numRuns: Math.min(CHUNK, requests - done), seed: seed + done })
        for (const c of cases) {
          const at = performance.now()
          const outcome = await runCase(target, c)
          const kind = (byTarget[c.target] ??= { requests: 0, ms: 0 })
          kind.requests++
          kind.ms += performance.now() - at
          statuses[outcome.status] = (statuses[outcome.status] ?? 0) + 1
          if (c.signed) signed++
          if (outcome.status >= 500 && outcome.problem) serverErrors++
          if (outcome.status === 0) crashes++
          rowsFromUnsigned += outcome.rowsFromUnsigned
          if (outcome.problem && examples.length < 20) examples.push(`${outcome.problem}\n    ${describeCase(c)}`)
        }
        // Measured after the first chunk: the app, its pools and the JIT have settled by then.
        if (done === 0) rssBefore = process.memoryUsage().rss
        if ((done / CHUNK) % 20 === 0) log(`fuzz: ${done + cases.length} requests, ${serverErrors} 5xx, ${rowsFromUnsigned} rows from unsigned, RSS ${mib(process.memoryUsage().rss)} MiB`)
      }
      return {
        requests, signed, serverErrors, crashes, rowsFromUnsigned, statuses, byTarget, examples, seed,
        rssBeforeMiB: mib(rssBefore), rssAfterMiB: mib(process.memoryUsage().rss), seconds: Math.round((Date.now() - started) / 1000)
      }
    } finally {
      await target.close()
    }
  } finally {
    await database.drop()
  }
}

function mib (bytes: number): number {
  return Math.round(bytes / 2 ** 20)
}

export function renderFuzz (r: FuzzReport): string {
  const targets = Object.entries(r.byTarget).map(([name, t]) => `${name} ${t.requests} (${(t.ms / t.requests).toFixed(1)} ms each)`).join(', ')
  return `
## Fuzzing (issue 17)

${r.requests.toLocaleString('en')} generated and mutated requests (fast-check, seed ${r.seed}) through the real app
(\`app.inject\`, real Postgres, pg-boss) in ${r.seconds} s: ${targets}.
${r.signed.toLocaleString('en')} were correctly signed or carried the ops token (${(100 * r.signed / r.requests).toFixed(0)}%).

| requests | 5xx | crashes | rows from unsigned requests | RSS before | RSS after |
|---|---|---|---|---|---|
| ${r.requests} | ${r.serverErrors} | ${r.crashes} | ${r.rowsFromUnsigned} | ${r.rssBeforeMiB} MiB | ${r.rssAfterMiB} MiB |

Statuses: ${Object.entries(r.statuses).map(([status, n]) => `${status}: ${n}`).join(', ')} (503 only as \`not_configured\`: the
unmapped report and catalog import need API credentials the fuzz app does not have).
${r.examples.length ? `\nFirst problems:\n\n\`\`\`\n${r.examples.join('\n')}\n\`\`\`\n` : ''}`
}

if (isMain(import.meta.url)) {
  // --write: also put the section into BENCHMARKS.md (the others stay as they are).
  await printStandalone(async (serverUrl, log) => {
    const section = renderFuzz(await benchFuzz(serverUrl, log))
    if (process.argv.includes('--write')) writeBenchmarks(section)
    return section
  })
}
