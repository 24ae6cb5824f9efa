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
    monitorIntervalSeconds: passSeconds,
    schedule: options.maintenance,
    useListenNotify: false
  })
}

function queueOptions (name: QueueName, jobs: Config['jobs']) {
  return { ...queues[name].options, notify: false, heartbeatSeconds: jobs.heartbeatSeconds, expireInSeconds: jobs.expireSeconds }
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
  readonly singletonKey?: string
  readonly startAfter?: Date
  readonly priority?: number
}

/** Typed `send`: the payload is validated against the registry before it is stored. */
export async function sendJob<Q extends QueueName> (boss: PgBoss, name: Q, payload: Payload<Q>, options: SendJobOptions = {}): Promise<string | null> {
  const data = queues[name].payload.parse(payload) as object
  const sendOptions: SendOptions = {}
  if (options.trx) sendOptions.db = fromKysely(options.trx)
  // The payload was just parsed by this queue's schema, so its key function takes it.
  const key = (queues[name] as { key?: (payload: never) => string }).key as ((payload: object) => string) | undefined
  const singletonKey = options.singletonKey ?? key?.(data)
  if (singletonKey !== undefined) sendOptions.singletonKey = singletonKey
  if (options.startAfter !== undefined) sendOptions.startAfter = options.startAfter
  if (options.priority !== undefined) sendOptions.priority = options.priority
  return boss.send(name, data, sendOptions)
}
