// Queue name → handler. Queues without a handler here are not worked by this
// version; /readyz lists the queues that are.
import type { PgBoss } from 'pg-boss'
import type { Logger } from 'pino'
import type { Config } from '../config.ts'
import type { Db } from '../db/database.ts'
import type { Handlers } from './workers.ts'
import type { Waker } from './waker.ts'
import { sendAlert } from './send-alert.ts'

export interface WorkerDeps {
  readonly config: Config
  readonly db: Db
  readonly boss: PgBoss
  readonly logger: Logger
  readonly waker: Waker
}

export const handlers: Handlers<WorkerDeps> = {
  'alerts.send': async ({ alertId }, deps) => { await sendAlert({ db: deps.db, alertWebhookUrl: deps.config.env.ALERT_WEBHOOK_URL }, alertId) }
}
