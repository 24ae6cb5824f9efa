// The periodic scan that turns "stuck" and "needs attention" into alerts
// without anyone polling the API. An in-process ticker in each worker replica
// rather than a pg-boss schedule: pg-boss cron fires at most once a minute and
// needs a queue and a schedule row of its own, while a ticker can run every
// 30 s and is stopped with the workers. Several replicas scanning at once are
// harmless: the alert's unique episode key lets only one of them raise it.
import type { PgBoss } from 'pg-boss'
import type { Logger } from 'pino'
import type { Db } from '../db/database.ts'
import { scanForAlerts } from '../orders/read/alerts.ts'
import type { StuckThresholds } from '../orders/read/stuck.ts'
import type { Waker } from '../queue/waker.ts'

export const ALERT_SCAN_INTERVAL_MS = 30_000

export interface AlertScanner { stop (): Promise<void> }

export interface AlertScannerDeps {
  readonly db: Db
  readonly boss: PgBoss
  readonly thresholds: StuckThresholds
  readonly logger: Logger
  readonly waker?: Waker
  readonly intervalMs?: number
}

export function startAlertScanner (deps: AlertScannerDeps): AlertScanner {
  let running: Promise<void> | undefined
  const tick = (): void => {
    if (running) return // a slow scan is not overlapped by the next tick
    running = scanForAlerts(deps.db, deps.boss, deps.thresholds, new Date())
      .then((raised) => {
        if (raised.length > 0) {
          deps.logger.info({ raised: raised.length }, 'alerts raised')
          deps.waker?.wake('alerts.send')
        }
      }, (err: unknown) => { deps.logger.warn({ err }, 'alert scan failed; trying again at the next tick') })
      .finally(() => { running = undefined })
  }
  const timer = setInterval(tick, deps.intervalMs ?? ALERT_SCAN_INTERVAL_MS)
  timer.unref()
  tick()
  return {
    async stop () {
      clearInterval(timer)
      await running
    }
  }
}
