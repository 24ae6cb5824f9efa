// orders.release (cron, every minute): delay-held supplier orders whose time has come.
import { releaseDueHolds } from '../../orders/routing/approval.ts'
import type { WorkerDeps } from './deps.ts'
import type { Handler } from '../workers.ts'

export const releaseHeldJob: Handler<'orders.release', WorkerDeps> = async (_payload, deps, job) => {
  const released = await releaseDueHolds(deps.db, deps.boss)
  if (released > 0) job.log.info({ released }, 'released supplier orders whose approval delay is over')
}
