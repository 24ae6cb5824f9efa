// privacy.redact: a customer's or the shop's personal data erased (GDPR topics).
import { redactForEvent } from '../../orders/intake/redact.ts'
import type { WorkerDeps } from './deps.ts'
import type { Handler } from '../workers.ts'

export const redactJob: Handler<'privacy.redact', WorkerDeps> = async ({ webhookEventId }, deps, job) => {
  const result = await redactForEvent(deps.db, deps.boss, webhookEventId)
  job.log.info(result, 'personal data redaction')
}
