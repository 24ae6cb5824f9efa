// The checker's test-only layer: the simulators are the outside world's
// witnesses, so what only they can see is compared here with the database.
// Every delivery the bridge acknowledged (2xx) has its stored event; each
// supplier holds at most one order per external id; the store holds each
// parcel at most once per fulfillment order.
import type { Db } from '../../src/db/database.ts'
import type { Finding } from '../../src/check/invariants.ts'
import type { ShopifySimulator } from '../../src/sim/shopify/index.ts'
import type { SupplierSimulators } from '../../src/sim/suppliers.ts'

export interface Witnesses {
  readonly store: ShopifySimulator
  readonly suppliers: SupplierSimulators
}

const acknowledged = (status: number | null | undefined): boolean => status !== null && status !== undefined && status >= 200 && status < 300

export async function checkWitnesses (db: Db, { store, suppliers }: Witnesses): Promise<Finding[]> {
  const findings: Finding[] = []
  const events = await db.selectFrom('webhook_events').select(['source', 'topic', 'event_id', 'webhook_id', 'raw_body']).execute()

  // Shopify dedupes on (topic, event id), falling back to the webhook id: a redelivery shares both.
  const shopifyKeys = new Set(events.filter((e) => e.source === 'shopify').flatMap((e) => [`${e.topic} ${e.event_id ?? ''}`, `${e.topic} w${e.webhook_id ?? ''}`]))
  for (const d of store.store.webhooks()) {
    if (!acknowledged(d.status)) continue
    if (!shopifyKeys.has(`${d.topic} ${d.eventId}`) && !shopifyKeys.has(`${d.topic} w${d.webhookId}`)) {
      findings.push({ kind: 'webhook_not_stored', detail: `shopify ${d.topic} delivery ${d.webhookId} (event ${d.eventId}) was answered ${String(d.status)} but no event row holds it` })
    }
  }
  // A supplier's retry resends the same bytes: the stored raw body is the delivery's identity.
  for (const source of ['printful', 'printify'] as const) {
    const bodies = new Set(events.filter((e) => e.source === source).map((e) => e.raw_body.toString('utf8')))
    for (const d of suppliers[source].control.webhookDeliveries()) {
      if (acknowledged(d.status) && !bodies.has(d.body)) findings.push({ kind: 'webhook_not_stored', detail: `${source} ${d.topic} delivery at ${d.at} was answered ${String(d.status)} but no event row holds it` })
    }
  }

  const byExternalId = (supplier: string, ids: readonly string[]): void => {
    const counts = new Map<string, number>()
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1)
    for (const [id, n] of counts) if (n > 1) findings.push({ kind: 'duplicate_supplier_order', detail: `${supplier} holds ${n} orders with external id ${id}` })
  }
  byExternalId('printful', suppliers.printful.control.orders().flatMap((o) => o.external_id === null ? [] : [o.external_id]))
  // Printify need not give our id back in metadata (the simulator leaves it out by default, as the
  // stricter reading): our label ends with it (`#1001 pb-1001-y1`).
  byExternalId('printify', suppliers.printify.control.orders().map((o) => o.metadata.shop_order_label.split(' ').at(-1) ?? ''))

  const orders = await db.selectFrom('orders').select(['id', 'shopify_order_id', 'name']).execute()
  for (const order of orders) {
    const seen = new Map<string, string[]>()
    for (const f of store.store.fulfillments(order.shopify_order_id)) {
      const numbers = f.tracking.flatMap((t) => t.number === null ? [] : [t.number])
      for (const fo of new Set(f.lineItems.map((l) => l.fulfillmentOrderId))) {
        for (const number of numbers) seen.set(`${fo} ${number}`, [...seen.get(`${fo} ${number}`) ?? [], f.id])
      }
    }
    for (const [key, ids] of seen) {
      if (ids.length > 1) findings.push({ kind: 'double_fulfillment_in_store', orderId: order.id, detail: `order ${order.name ?? order.shopify_order_id}: parcel ${key.split(' ')[1] ?? ''} is on ${ids.length} fulfillments of fulfillment order ${key.split(' ')[0] ?? ''} (${ids.join(', ')})` })
    }
  }
  return findings
}
