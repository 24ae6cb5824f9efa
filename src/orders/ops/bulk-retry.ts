// Bulk retry: after a supplier outage, every order it left in needs_attention
// is retried at once. Each order is retried in its own transaction (its own
// row lock, its own timeline row), so one refusal does not undo the others.
import type { PgBoss } from 'pg-boss'
import type { Db } from '../../db/database.ts'
import { errorMessage } from '../../lib/errors.ts'
import { needsAttentionOrders } from '../read/console-queries.ts'
import { retryOrder } from '../submission/retry.ts'

/** At most this many orders per request: the rest are retried by asking again. */
export const BULK_RETRY_LIMIT = 500

export interface BulkRetryFilter { readonly supplier?: string | undefined, readonly reason?: string | undefined }

export interface BulkRetryResult {
  readonly matched: number
  readonly retried: number
  readonly refused: ReadonlyArray<{ readonly orderId: string, readonly reason: string }>
}

export async function bulkRetry (db: Db, boss: PgBoss, filter: BulkRetryFilter): Promise<BulkRetryResult> {
  const { count, ids } = await needsAttentionOrders(db, filter, BULK_RETRY_LIMIT)
  const refused: Array<{ orderId: string, reason: string }> = []
  let retried = 0
  for (const orderId of ids) {
    try {
      await db.transaction().execute((trx) => retryOrder(trx, boss, orderId))
      retried++
    } catch (err) {
      refused.push({ orderId, reason: errorMessage(err) })
    }
  }
  return { matched: count, retried, refused }
}
