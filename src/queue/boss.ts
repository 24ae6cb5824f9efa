// pg-boss, set up as DESIGN.md's "Jobs" section says: queues created by
// `migrate`, never by `start` (migrate: false, so an unmigrated database is
// refused rather than silently changed), heartbeat and expiry from config.
// One departure, measured: queues do not use pg-boss's `notify` (a NOTIFY
// inside every sending transaction serialises their commits); workers are
// woken by our own LISTEN/NOTIFY after commit instead (waker.ts).
import { PgBoss, fromKysely, type SendOptions } from 'pg-boss'
import type { Config } from '../config.ts'
import type { Trx } from '../db/database.ts'
import { queueNames, queues, type Payload, type QueueName } from './queues.ts'

export const BOSS_SCHEMA = 'pgboss'

export interface BossOptions {
  readonly url: string
  readonly jobs: Config['jobs']
  /** Workers run maintenance and cron; an api-only replica only sends. */
  readonly maintenance: boolean
  readonly migrate?: boolean
}

export function createBoss (options: BossOptions): PgBoss {
  // The supervisor's pass (every max of these two intervals) is what notices a
  // killed worker's job (its heartbeat stopped): run it often enough that
  // JOB_HEARTBEAT_SECONDS is what decides how soon that job runs again.
  const passSeconds = Math.max(1, Math.min(60, Math.floor(options.jobs.heartbeatSeconds / 2)))
  return new PgBoss({
    connectionString: options.url,
    schema: BOSS_SCHEMA,
    application_name: 'pod-bridge-jobs',
    max: 10,
    migrate: options.migrate ?? false,
    supervise: options.maintenance,
    superviseIntervalSeconds: passSeconds,
    maintenanceIntervalSeconds: JOB_MAINTENANCE_SECONDS,
    monitorIntervalSeconds: passSeconds,
    schedule: options.maintenance,
    useListenNotify: false
  })
}

// Retention, set rather than inherited (pg-boss 12: per queue, copied onto
// each job; there is no archive table, a finished job stays in the job table
// until maintenance deletes it).
// - retentionSeconds: a job still queued (created or retry) this long is
//   dropped. That would lose work silently, so it must outlive the longest
//   retry span of the registry (50 tries backing off to 30 min apart: about a
//   day; alerts.send about half a day). 14 days (pg-boss's default, kept on
//   purpose) leaves room for an outage and a long weekend.
// - deleteAfterSeconds: a finished job is not the order's history
//   (order_events is), so it is kept a day (pg-boss's default is 7), enough
//   to look into a recent failure; this is what bounds the job table, at
//   about a day of traffic (bench/job-tables.ts measures it).
// - maintenanceIntervalSeconds: how often a worker deletes what is past
//   those times. pg-boss's default is once a day, which would let the table
//   hold up to two days of finished jobs and delete a day's worth in one
//   pass; every 15 minutes keeps the bound near one day and each pass small.
export const JOB_RETENTION_SECONDS = 14 * 24 * 3600
export const JOB_DELETE_AFTER_SECONDS = 24 * 3600
export const JOB_MAINTENANCE_SECONDS = 15 * 60

function queueOptions (name: QueueName, jobs: Config['jobs']) {
  return { ...queues[name].options, notify: false, heartbeatSeconds: jobs.heartbeatSeconds, expireInSeconds: jobs.expireSeconds, retentionSeconds: JOB_RETENTION_SECONDS, deleteAfterSeconds: JOB_DELETE_AFTER_SECONDS }
}

/** Installs pg-boss's schema and creates (or updates) every queue of the registry. */
export async function migrateBoss (url: string, jobs: Config['jobs']): Promise<void> {
  const boss = createBoss({ url, jobs, maintenance: false, migrate: true })
  boss.on('error', () => {})
  await boss.start()
  try {
    const existing = new Set((await boss.getQueues()).map((q) => q.name))
    for (const name of queueNames) {
      const { policy, ...rest } = queueOptions(name, jobs)
      if (existing.has(name)) await boss.updateQueue(name, rest)
      else await boss.createQueue(name, { policy, ...rest })
    }
  } finally {
    await boss.stop({ graceful: false, close: true })
  }
}

/** Whether pg-boss's schema and every queue exist (what `start` requires). */
export async function bossMissing (boss: PgBoss): Promise<string | undefined> {
  if (!await boss.isInstalled()) return 'the job queue schema is not installed'
  const existing = new Set((await boss.getQueues()).map((q) => q.name))
  const missing = queueNames.filter((name) => !existing.has(name))
  return missing.length > 0 ? `queues missing: ${missing.join(', ')}` : undefined
}

export interface SendJobOptions {
  /** Enqueue inside this transaction: the job exists only if the transaction commits. */
  readonly trx?: Trx
  /**
   * Overrides the queue's own key (src/queue/queues.ts), which every call should leave to it;
   * only a queue without a key function needs one given (e.g. the start-up subscriptions check).
   */
  readonly singletonKey?: string
  readonly startAfter?: Date
  readonly priority?: number
}

/** The queue's singleton key function, if it has one (every stately queue does). */
function keyOf (name: QueueName): ((payload: object) => string) | undefined {
  // Callers pass a payload just parsed by this queue's schema, so its key function takes it.
  return (queues[name] as { key?: (payload: never) => string }).key as ((payload: object) => string) | undefined
}

/** Typed `send`: the payload is validated against the registry before it is stored. */
export async function sendJob<Q extends QueueName> (boss: PgBoss, name: Q, payload: Payload<Q>, options: SendJobOptions = {}): Promise<string | null> {
  const data = queues[name].payload.parse(payload) as object
  const sendOptions: SendOptions = {}
  if (options.trx) sendOptions.db = fromKysely(options.trx)
  const singletonKey = options.singletonKey ?? keyOf(name)?.(data)
  if (singletonKey !== undefined) sendOptions.singletonKey = singletonKey
  if (options.startAfter !== undefined) sendOptions.startAfter = options.startAfter
  if (options.priority !== undefined) sendOptions.priority = options.priority
  return boss.send(name, data, sendOptions)
}

/**
 * Typed multi-row `insert` in one statement, inside `trx`: what `sendJob` does for each payload
 * (validated, keyed by the queue's key), with the same outcome for a key already waiting in a
 * stately queue (pg-boss's insert and send both end in ON CONFLICT DO NOTHING).
 */
export async function insertJobs<Q extends QueueName> (boss: PgBoss, name: Q, payloads: readonly Payload<Q>[], trx: Trx): Promise<void> {
  if (payloads.length === 0) return
  const key = keyOf(name)
  const jobs = payloads.map((payload) => {
    const data = queues[name].payload.parse(payload) as object
    const singletonKey = key?.(data)
    return singletonKey === undefined ? { data } : { data, singletonKey }
  })
  await boss.insert(name, jobs, { db: fromKysely(trx) })
}
