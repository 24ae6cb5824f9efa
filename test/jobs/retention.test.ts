// pg-boss 12's retention, set on purpose: a queued job outlives every retry
// span of the registry (else a job still retrying would be deleted: lost
// work), and finished jobs are deleted after a day (the job table stays small).
import t from 'tap'
import { sql } from 'kysely'
import { loadConfig } from '../../src/config.ts'
import { createLogger } from '../../src/lib/logger.ts'
import { JOB_DELETE_AFTER_SECONDS, JOB_RETENTION_SECONDS } from '../../src/queue/boss.ts'
import { queueNames, queues } from '../../src/queue/queues.ts'
import { migrateAll } from '../../src/service.ts'
import { testDatabase } from '../helpers/database.ts'

/** The longest a job can spend waiting between its tries: each delay doubled from retryDelay, capped at retryDelayMax (jitter only shortens it). */
function retrySpanSeconds (options: { retryLimit?: number, retryDelay?: number, retryBackoff?: boolean, retryDelayMax?: number }): number {
  const { retryLimit = 2, retryDelay = 0, retryBackoff = false, retryDelayMax = Infinity } = options
  let total = 0
  for (let i = 0; i < retryLimit; i++) total += Math.min(retryBackoff ? retryDelay * 2 ** i : retryDelay, retryDelayMax)
  return total
}

t.test('when migrated, then every queue keeps a queued job longer than its retries can last, and a finished job one day', async (t) => {
  const database = await testDatabase(t, { empty: true })
  await migrateAll(database.url, loadConfig({ DATABASE_URL: database.url }), createLogger('silent'))
  const rows = (await sql<{ name: string, retention_seconds: number, deletion_seconds: number }>`select name, retention_seconds, deletion_seconds from pgboss.queue`.execute(database.db)).rows
  for (const name of queueNames) {
    const row = rows.find((r) => r.name === name)
    t.match(row, { retention_seconds: JOB_RETENTION_SECONDS, deletion_seconds: JOB_DELETE_AFTER_SECONDS }, name)
    const span = retrySpanSeconds(queues[name].options)
    t.ok(span < JOB_RETENTION_SECONDS / 2, `${name}: retries span ${String(Math.round(span / 3600))} h, well inside the retention`)
  }
})
