// What /readyz reports. The migration check is cached once it passes (a
// migrated database does not become unmigrated), the database check is not.
import { sql } from 'kysely'
import type { Db } from './db/database.ts'
import { pendingMigrations } from './db/migrator.ts'
import { BOSS_SCHEMA } from './queue/boss.ts'
import { queueNames } from './queue/queues.ts'
import { errorMessage } from './lib/errors.ts'
import { describeSubscriptionCheck, loadSubscriptionCheck } from './webhook-subscriptions.ts'

export interface ReadinessReport {
  readonly ready: boolean
  readonly reason?: string
  readonly checks: { readonly database: string, readonly migrations: string, readonly workers: string, readonly webhookSubscriptions: string }
  readonly problems: readonly string[]
}

export interface Readiness { check (): Promise<ReadinessReport> }

export interface ReadinessDeps {
  readonly db: Db
  /** undefined when this replica runs no workers (role api). */
  readonly workers: (() => { running: boolean, queues: readonly string[] }) | undefined
  readonly problems: () => readonly string[]
}

const DB_TIMEOUT_MS = 2000

export async function migrationGap (db: Db): Promise<string | undefined> {
  const pending = await pendingMigrations(db)
  if (pending.length > 0) return `migrations not applied: ${pending.join(', ')}`
  const table = await sql<{ found: string | null }>`select to_regclass(${`${BOSS_SCHEMA}.queue`})::text as found`.execute(db)
  if (!table.rows[0]?.found) return 'the job queue schema is not installed'
  const rows = await sql<{ name: string }>`select name from ${sql.table(`${BOSS_SCHEMA}.queue`)}`.execute(db)
  const existing = new Set(rows.rows.map((row) => row.name))
  const missing = queueNames.filter((name) => !existing.has(name))
  return missing.length > 0 ? `job queues missing: ${missing.join(', ')}` : undefined
}

export function createReadiness (deps: ReadinessDeps): Readiness {
  let migrated = false
  return {
    async check () {
      const problems = [...deps.problems()]
      const workers = deps.workers ? deps.workers() : undefined
      const workersCheck = workers === undefined ? 'not run by this replica (role api)' : workers.running ? `running (${workers.queues.length} queues: ${workers.queues.join(', ') || 'none yet'})` : 'stopped'
      let database = 'ok'
      let migrations = migrated ? 'ok' : 'unknown'
      let webhookSubscriptions = 'unknown'
      try {
        await withTimeout(sql`select 1`.execute(deps.db), DB_TIMEOUT_MS)
        if (!migrated) {
          const gap = await withTimeout(migrationGap(deps.db), DB_TIMEOUT_MS)
          migrated = gap === undefined
          migrations = gap ?? 'ok'
        }
      } catch (err) {
        database = `unreachable: ${errorMessage(err)}`
      }
      if (database === 'ok' && migrated) {
        // Reported, never a reason to be unready (webhook-subscriptions.ts says why).
        try {
          const subscriptions = describeSubscriptionCheck(await withTimeout(loadSubscriptionCheck(deps.db), DB_TIMEOUT_MS))
          webhookSubscriptions = subscriptions.summary
          problems.push(...subscriptions.problems)
        } catch (err) {
          webhookSubscriptions = `unknown: ${errorMessage(err)}`
        }
      }
      const reason = database !== 'ok'
        ? 'database unreachable'
        : migrations !== 'ok' ? `database not migrated (${migrations}): run pod-bridge migrate` : workers && !workers.running ? 'workers stopped' : undefined
      return { ready: reason === undefined, ...(reason ? { reason } : {}), checks: { database, migrations, workers: workersCheck, webhookSubscriptions }, problems }
    }
  }
}

function withTimeout<T> (promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_resolve, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms) })
  ])
}
