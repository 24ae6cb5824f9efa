// alerts.send: one alert posted to ALERT_WEBHOOK_URL.
import { sendAlert } from '../send-alert.ts'
import type { WorkerDeps } from './deps.ts'
import type { Handler } from '../workers.ts'

export const sendAlertJob: Handler<'alerts.send', WorkerDeps> = async ({ alertId }, deps) => { await sendAlert({ db: deps.db, alertWebhookUrl: deps.config.env.ALERT_WEBHOOK_URL }, alertId) }
