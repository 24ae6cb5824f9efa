// One lock order for every writer: the order row first, then its supplier
// orders. The router takes them in that order; a writer that took a supplier
// order first and the order second could deadlock with it. NO KEY UPDATE
// leaves the key share that foreign-key checks take (timeline inserts from
// webhooks) unblocked.
import type { Trx } from '../db/database.ts'

export async function lockOrder (trx: Trx, orderId: string): Promise<void> {
  await trx.selectFrom('orders').select('id').where('id', '=', orderId).forNoKeyUpdate().execute()
}
