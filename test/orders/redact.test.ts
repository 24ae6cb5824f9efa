import t from 'tap'
import { sql } from 'kysely'
import type { Db } from '../../src/db/database.ts'
import { redactForEvent } from '../../src/orders/intake/redact.ts'
import { testApp } from '../helpers/app.ts'
import { delivery, webhookEnv } from '../helpers/shopify-webhooks.ts'
import { pickUpJobs } from '../helpers/jobs.ts'

const SHOP = 'pod-bridge-test.myshopify.com'

async function seedOrder (db: Db, n: number, state: 'fulfilled' | 'received', email: string): Promise<string> {
  const snapshot = { id: `gid://shopify/Order/${n}`, email, shippingAddress: { address1: '1 Secret Lane', name: 'Jane Doe' }, localizedFields: [{ key: 'TAX_CREDENTIAL_BR', value: '123' }], lines: [] }
  const order = await db.insertInto('orders').values({ shop: SHOP, shopify_order_id: `gid://shopify/Order/${n}`, name: `#${n}`, email, state, snapshot: JSON.stringify(snapshot) }).returning('id').executeTakeFirstOrThrow()
  await db.insertInto('webhook_events').values({ source: 'shopify', shop: SHOP, topic: 'orders/create', dedupe_key: `evt-${n}`, raw_body: Buffer.from(JSON.stringify({ id: n, email, shipping_address: { address1: '1 Secret Lane' } })), order_id: order.id }).execute()
  await db.insertInto('supplier_orders').values({ order_id: order.id, supplier: 'printful', external_id: `pb-${n}-f1`, draft: JSON.stringify({ externalId: `pb-${n}-f1`, recipient: { name: 'Jane Doe', address1: '1 Secret Lane' }, items: [] }) }).execute()
  return order.id
}

async function personalData (db: Db, orderId: string): Promise<string> {
  const rows = await sql<{ text: string }>`select concat(o.email, o.snapshot::text, string_agg(convert_from(w.raw_body, 'UTF8'), ''), string_agg(s.draft::text, '')) as text
    from orders o left join webhook_events w on w.order_id = o.id left join supplier_orders s on s.order_id = o.id where o.id = ${orderId} group by o.id`.execute(db)
  return rows.rows[0]?.text ?? ''
}

t.test('when customers/redact arrives, then finished orders are scrubbed now and orders in flight once they are done', async (t) => {
  const { app, database, boss } = await testApp(t, { env: webhookEnv, boss: true })
  const done = await seedOrder(database.db, 1001, 'fulfilled', 'jane@example.com')
  const inFlight = await seedOrder(database.db, 1002, 'received', 'jane@example.com')
  const other = await seedOrder(database.db, 1003, 'fulfilled', 'someone@example.com')
  const body = JSON.stringify({ shop_id: 1, shop_domain: SHOP, customer: { id: 5, email: 'Jane@Example.com', phone: '555' }, orders_to_redact: [1001, 1002] })
  const res = await app.inject(delivery({ topic: 'customers/redact', body }))
  t.equal(res.statusCode, 200)
  const eventId = res.json().id as string
  const queued = await sql<{ n: string }>`select count(*) as n from pgboss.job where name = 'privacy.redact'`.execute(database.db)
  t.equal(queued.rows[0]?.n, '1', 'the redaction is queued with the delivery')

  await pickUpJobs(database.db, 'privacy.redact')
  t.same(await redactForEvent(database.db, boss!, eventId), { redacted: 1, waiting: 1 })
  t.notMatch(await personalData(database.db, done), /jane@example.com|Secret Lane|Jane Doe|TAX_CREDENTIAL/i)
  t.match(await personalData(database.db, inFlight), /Secret Lane/, 'an order in flight keeps its address')
  t.match(await personalData(database.db, other), /Secret Lane/, 'another customer is untouched')
  const retry = await sql<{ start_after: Date }>`select start_after from pgboss.job where name = 'privacy.redact' order by created_on desc limit 1`.execute(database.db)
  t.ok(retry.rows[0]!.start_after.getTime() > Date.now() + 23 * 3_600_000, 'tried again in a day')

  await database.db.updateTable('orders').set({ state: 'fulfilled' }).where('id', '=', inFlight).execute()
  t.same(await redactForEvent(database.db, boss!, eventId), { redacted: 1, waiting: 0 })
  t.notMatch(await personalData(database.db, inFlight), /jane@example.com|Secret Lane/i)
  const event = await database.db.selectFrom('webhook_events').select(['status', 'raw_body']).where('id', '=', eventId).executeTakeFirstOrThrow()
  t.equal(event.status, 'redacted')
  t.notMatch(event.raw_body.toString(), /jane/i, 'the request no longer names the customer')
  const timeline = await database.db.selectFrom('order_events').select('detail').where('order_id', '=', inFlight).execute()
  t.match(timeline, [{ detail: /personal data erased at the shop's request \(customers\/redact\)/ }])
})

t.test('when shop/redact arrives, then every finished order of the shop is scrubbed; data_request is only recorded', async (t) => {
  const { app, database, boss } = await testApp(t, { env: webhookEnv, boss: true })
  const a = await seedOrder(database.db, 2001, 'fulfilled', 'a@example.com')
  const b = await seedOrder(database.db, 2002, 'cancelled' as 'fulfilled', 'b@example.com')
  const request = await app.inject(delivery({ topic: 'customers/data_request', body: JSON.stringify({ shop_domain: SHOP, customer: { id: 1, email: 'a@example.com' }, orders_requested: [2001] }) }))
  t.equal(request.statusCode, 200)
  const res = await app.inject(delivery({ topic: 'shop/redact', body: JSON.stringify({ shop_id: 1, shop_domain: SHOP }) }))
  t.same(await redactForEvent(database.db, boss!, res.json().id), { redacted: 2, waiting: 0 })
  for (const id of [a, b]) t.notMatch(await personalData(database.db, id), /@example.com|Secret Lane/)
  const requestEvent = await database.db.selectFrom('webhook_events').select('status').where('id', '=', request.json().id).executeTakeFirstOrThrow()
  t.equal(requestEvent.status, 'redacted', 'shop/redact also erases the shop\'s other deliveries')
})

t.test('when an order flagged by an address change after submission is redacted, then the quoted addresses go too', async (t) => {
  const { app, database, boss } = await testApp(t, { env: webhookEnv, boss: true })
  const orderId = await seedOrder(database.db, 3001, 'fulfilled', 'c@example.com')
  const reason = 'shipping address changed after it was sent to printful as order 77: address1 "1 Secret Lane" → "2 Hidden Road"; change it in Printful\'s dashboard, then approve or retry the order'
  await database.db.updateTable('supplier_orders').set({ reason }).where('order_id', '=', orderId).execute()
  await database.db.insertInto('order_events').values([
    { order_id: orderId, kind: 'supplier_order.changed', actor: 'worker', detail: `printful order pb-3001-f1: ${reason}`, data: JSON.stringify({ address: [{ field: 'address1', from: '1 Secret Lane', to: '2 Hidden Road' }] }) },
    { order_id: orderId, kind: 'supplier_order.change_acknowledged', actor: 'ops', detail: 'printful order pb-3001-f1: sam confirmed printful has the change (nothing sent again): address1 "1 Secret Lane" → "2 Hidden Road"', data: null },
    { order_id: orderId, kind: 'supplier_order.created', actor: 'worker', detail: 'printful order pb-3001-f1 with 1 line(s), 1 unit(s): pending', data: null }
  ]).execute()
  await database.db.insertInto('alerts').values({ order_id: orderId, kind: 'needs_attention', state: 'needs_attention', episode_at: new Date(), reason }).execute()
  const res = await app.inject(delivery({ topic: 'customers/redact', body: JSON.stringify({ shop_domain: SHOP, customer: { id: 9 }, orders_to_redact: [3001] }) }))
  t.same(await redactForEvent(database.db, boss!, res.json().id), { redacted: 1, waiting: 0 })
  const left = await sql<{ text: string }>`select concat((select string_agg(concat(detail, data::text), '') from order_events where order_id = ${orderId}),
    (select string_agg(reason, '') from supplier_orders where order_id = ${orderId}), (select string_agg(reason, '') from alerts where order_id = ${orderId})) as text`.execute(database.db)
  t.notMatch(left.rows[0]?.text, /Secret Lane|Hidden Road/)
  const kept = await database.db.selectFrom('order_events').select('detail').where('order_id', '=', orderId).where('kind', '=', 'supplier_order.created').executeTakeFirstOrThrow()
  t.match(kept.detail, /with 1 line\(s\)/, 'other timeline rows are kept as they were')
})
