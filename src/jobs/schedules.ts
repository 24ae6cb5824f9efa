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
import type { PgBoss } from 'pg-boss'

export async function scheduleCron (boss: PgBoss): Promise<void> {
  await boss.schedule('orders.release', '* * * * *', {})
  await boss.schedule('shopify.reconcile', '*/2 * * * *', {})
}
