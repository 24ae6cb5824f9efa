// Cron jobs, scheduled by the worker role. pg-boss keeps schedules in the
// database and creates one job per tick across all replicas, so more workers
// do not mean more sweeps.
//
// orders.release runs every minute: delay holds are counted in minutes
// (APPROVAL_MODE=delay:<minutes>), so a minute's lateness is within the
// contract, and a cron job survives restarts without a ticker of our own.
//
// shopify.reconcile runs every 2 minutes: a lost webhook is caught within
// about that, at a few Admin API calls per run.
//
// shopify.subscriptions.check runs daily (Shopify deletes an API-made
// subscription after 8 failed deliveries, shopify.md §1.5) and once at every
// worker start, so a fresh deployment reports its subscriptions at once. The
// start-up job carries a singleton key: replicas starting together queue one.
import type { PgBoss } from 'pg-boss'
import { sendJob } from '../queue/boss.ts'

export async function scheduleCron (boss: PgBoss): Promise<void> {
  await boss.schedule('orders.release', '* * * * *', {})
  await boss.schedule('shopify.reconcile', '*/2 * * * *', {})
  await boss.schedule('shopify.subscriptions.check', '17 4 * * *', {})
  await sendJob(boss, 'shopify.subscriptions.check', {}, { singletonKey: 'start' })
}
