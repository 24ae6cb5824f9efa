// Waking idle workers the moment a job is committed, without NOTIFY inside
// the transaction that sends it. Postgres serialises the commits of all
// transactions that issued NOTIFY (one global lock held through the WAL
// flush), so pg-boss's per-queue `notify` option turned webhook intake into a
// single-file line (BENCHMARKS.md: intake throughput with and without it).
// Instead, a sender commits its job silently and then pokes this waker, which
// sends one NOTIFY outside any transaction, coalesced: at most one in flight
// per process and queue, plus one more if pokes arrived meanwhile, so every
// commit is followed by a notification. Workers LISTEN and wake the matching
// pg-boss workers; their 1-second poll remains the backstop.
import pg from 'pg'
import type { PgBoss } from 'pg-boss'
import type { Logger } from 'pino'
import { queueNames, type QueueName } from './queues.ts'

export const WAKE_CHANNEL = 'pod_bridge_jobs'
const ALL = '*'

export interface Waker {
  /** After commit: make workers of `queue` (or of every queue) fetch now. */
  wake (queue: QueueName | typeof ALL): void
  /** Resolves when no notification is in flight (tests, shutdown). */
  idle (): Promise<void>
}

export function createWaker (pool: pg.Pool, log: Logger): Waker {
  const inFlight = new Map<string, Promise<void>>()
  const pending = new Set<string>()
  const send = (key: string): void => {
    const run = pool.query('select pg_notify($1, $2)', [WAKE_CHANNEL, key])
      .then(() => undefined, (err: unknown) => { log.debug({ err }, 'could not notify workers; they will poll') })
      .finally(() => {
        inFlight.delete(key)
        if (pending.delete(key)) send(key)
      })
    inFlight.set(key, run)
  }
  return {
    wake (queue) {
      if (inFlight.has(queue)) pending.add(queue)
      else send(queue)
    },
    async idle () {
      while (inFlight.size > 0) await Promise.all(inFlight.values())
    }
  }
}

export interface WakeListener { close (): Promise<void> }

/** Listens on the wake channel and wakes this process's pg-boss workers. Reconnects after a lost connection. */
export async function listenForWakes (url: string, boss: PgBoss, workers: ReadonlyMap<QueueName, readonly string[]>, log: Logger): Promise<WakeListener> {
  let client: pg.Client | undefined
  let closed = false
  let retry: NodeJS.Timeout | undefined
  const wakeAll = (): void => { for (const ids of workers.values()) for (const id of ids) boss.notifyWorker(id) }

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url, application_name: 'pod-bridge-waker', keepAlive: true })
    next.on('notification', (message) => {
      const queue = message.payload
      if (queue === ALL) return wakeAll()
      if (queue && (queueNames as string[]).includes(queue)) for (const id of workers.get(queue as QueueName) ?? []) boss.notifyWorker(id)
    })
    next.on('error', (err) => {
      log.warn({ err }, 'job wake-up listener lost its connection; reconnecting')
      void next.end().catch(() => undefined)
      scheduleReconnect()
    })
    await next.connect()
    await next.query(`listen ${WAKE_CHANNEL}`)
    client = next
    // Anything committed while we were not listening is fetched now.
    wakeAll()
  }
  const scheduleReconnect = (): void => {
    if (closed || retry) return
    retry = setTimeout(() => {
      retry = undefined
      connect().catch((err: unknown) => { log.warn({ err }, 'job wake-up listener could not reconnect'); scheduleReconnect() })
    }, 1000)
  }

  await connect()
  return {
    async close () {
      closed = true
      clearTimeout(retry)
      await client?.end().catch(() => undefined)
    }
  }
}
