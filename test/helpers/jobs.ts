// For tests that call a job's body directly instead of through a worker.
import { sql } from 'kysely'
import type { Db } from '../../src/db/database.ts'
import type { QueueName } from '../../src/queue/queues.ts'

/**
 * Does to the queue's jobs what a worker does around a run of the body: the
 * previous run's job completes, and the waiting ones become active. A stately
 * queue keeps one waiting job per key, so a body that reschedules itself while
 * its own job still waited would see that reschedule dropped; under a worker
 * its job is active by then.
 */
export async function pickUpJobs (db: Db, name: QueueName): Promise<void> {
  await sql`update pgboss.job set state = 'completed', completed_on = now() where name = ${name} and state = 'active'`.execute(db)
  await sql`update pgboss.job set state = 'active', started_on = now() where name = ${name} and state in ('created', 'retry')`.execute(db)
}
