// Registers one pg-boss worker per queue that has a handler. Payloads are
// validated again inside the worker (a job row is outside input too). A
// handler throws to retry (pg-boss backs off); a permanent failure is the
// handler's to record (needs_attention) before it returns normally.
import type { PgBoss, Job } from 'pg-boss'
import type { Logger } from 'pino'
import { queues, type Payload, type QueueName } from '../queue/queues.ts'
import type { Waker } from '../queue/waker.ts'

export interface JobContext {
  readonly jobId: string
  readonly retryCount: number
  readonly log: Logger
}

export type Handler<Q extends QueueName, Deps> = (payload: Payload<Q>, deps: Deps, job: JobContext) => Promise<void>
export type Handlers<Deps> = { [Q in QueueName]?: Handler<Q, Deps> }

export interface WorkerSet {
  readonly queues: readonly QueueName[]
  /** pg-boss worker ids per queue, for waking them (waker.ts). */
  readonly ids: ReadonlyMap<QueueName, readonly string[]>
  stop (options: { timeoutMs: number }): Promise<void>
}

export async function startWorkers<Deps> (boss: PgBoss, handlers: Handlers<Deps>, deps: Deps, log: Logger, options: { concurrency?: number, waker?: Waker, pollingIntervalSeconds?: number } = {}): Promise<WorkerSet> {
  const started: QueueName[] = []
  const ids = new Map<QueueName, string[]>()
  for (const name of Object.keys(handlers) as QueueName[]) {
    const handler = handlers[name] as Handler<typeof name, Deps> | undefined
    if (!handler) continue
    const concurrency = options.concurrency ?? 2
    for (let i = 0; i < concurrency; i++) {
      // The waker wakes idle workers at once; deferred jobs (retries,
      // sendAfter) get no wake-up, so the backstop poll runs every second.
      const id = await boss.work<Payload<typeof name>>(name, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1 }, async (jobs: Job<Payload<typeof name>>[]) => {
        for (const job of jobs) await runOne(name, job, handler, deps, log)
        // Whatever the handler enqueued is committed now: wake its workers.
        options.waker?.wake('*')
      })
      ids.set(name, [...(ids.get(name) ?? []), id])
    }
    started.push(name)
  }
  return {
    queues: started,
    ids,
    async stop ({ timeoutMs }) {
      // Stop fetching, and give in-flight jobs until the bound to finish; a
      // job cut off later runs again after its expiry (handlers are re-runnable).
      const drained = Promise.all(started.map((name) => boss.offWork(name, { wait: true }))).catch(() => undefined)
      let timer: NodeJS.Timeout | undefined
      const bound = new Promise<void>((resolve) => { timer = setTimeout(resolve, timeoutMs) })
      await Promise.race([drained, bound])
      clearTimeout(timer)
    }
  }
}

async function runOne<Q extends QueueName, Deps> (name: Q, job: Job<Payload<Q>>, handler: Handler<Q, Deps>, deps: Deps, log: Logger): Promise<void> {
  const jobLog = log.child({ queue: name, jobId: job.id })
  const parsed = queues[name].payload.safeParse(job.data)
  if (!parsed.success) {
    jobLog.error({ issues: parsed.error.issues }, 'job payload does not match its queue schema; dropping it')
    return
  }
  const retryCount = (job as { retryCount?: number }).retryCount ?? 0
  try {
    await handler(parsed.data as Payload<Q>, deps, { jobId: job.id, retryCount, log: jobLog })
  } catch (err) {
    jobLog.warn({ err }, 'job failed; pg-boss will retry it')
    throw err
  }
}
