// A supplier's product webhook in (issue 18): stored like every delivery
// (raw bytes, deduplicated on the supplier's event key) and answered with one
// product.push job, in one transaction, so a publish request is never lost
// between the 200 and the push. The event is a trigger: the push reads the
// product itself.
import type { PgBoss } from 'pg-boss'
import type { Db } from '../db/database.ts'
import { sendJob } from '../queue/boss.ts'
import type { ProductEvent } from '../suppliers/common/supplier.ts'

export interface ProductDelivery {
  readonly supplier: string
  readonly account: string
  readonly type: string
  readonly dedupeKey: string
  readonly eventId: string | undefined
  readonly occurredAt: string
  readonly rawBody: Buffer
  readonly product: ProductEvent
}

export type ProductIntakeOutcome = { readonly status: 'accepted', readonly eventId: string } | { readonly status: 'duplicate' }

export async function recordProductDelivery (db: Db, boss: PgBoss, delivery: ProductDelivery): Promise<ProductIntakeOutcome> {
  return db.transaction().execute(async (trx) => {
    const inserted = await trx.insertInto('webhook_events').values({
      source: delivery.supplier,
      shop: delivery.account,
      topic: delivery.type,
      dedupe_key: delivery.dedupeKey,
      event_id: delivery.eventId ?? null,
      triggered_at: delivery.occurredAt,
      raw_body: delivery.rawBody,
      status: 'processed'
    }).onConflict((oc) => oc.constraint('webhook_events_dedupe_key').doNothing()).returning('id').executeTakeFirst()
    if (!inserted) return { status: 'duplicate' }
    const event = delivery.product
    if (event.kind === 'publish') {
      await sendJob(boss, 'product.push', { action: 'push', supplier: delivery.supplier, productId: event.request.productId, fields: [...event.request.fields], trigger: 'publish' }, { trx })
    } else {
      await sendJob(boss, 'product.push', { action: 'archive', supplier: delivery.supplier, productId: event.productId }, { trx })
    }
    return { status: 'accepted', eventId: inserted.id }
  })
}
