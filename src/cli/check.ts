// `pod-bridge check`: the invariant checker against the configured database,
// for ops after an incident or before trusting a restore. It only reads; it
// exits 1 and names each broken promise, or 0 when it found none.
import { parseArgs } from 'node:util'
import type { Logger } from 'pino'
import { checkInvariants, formatFindings } from '../check/invariants.ts'
import type { Config } from '../config.ts'
import { openDatabase } from '../db/database.ts'
import { openConfiguredDatabase } from '../service.ts'

export async function checkCommand (args: string[], config: Config, logger: Logger, print: (line: string) => void): Promise<number> {
  parseArgs({ args, options: {}, strict: true })
  const database = await openConfiguredDatabase(config, logger)
  const handle = openDatabase(database.url, { max: 1, applicationName: 'pod-bridge-check' })
  try {
    const findings = await checkInvariants(handle.db)
    for (const line of formatFindings(findings)) print(line)
    print(findings.length === 0 ? 'check: no invariant is broken' : `check: ${findings.length} finding(s)`)
    return findings.length === 0 ? 0 : 1
  } finally {
    await handle.close()
    await database.embedded?.stop()
  }
}
