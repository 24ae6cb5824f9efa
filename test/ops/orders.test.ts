import t from 'tap'
import { sql } from 'kysely'
import { bearer, testApp } from '../helpers/app.ts'
import { ago, line, order, shipment, supplierOrder, timeline } from '../helpers/factories.ts'

const MIN = 60_000
const DAY = 86_400_000

t.test('when /v1/orders and /v1/orders/:ref are called without, with a wrong, and with the right token, then 401, 401, 200', async (t) => {
  const { app, database } = await testApp(t)
  const o = await order(database.db, { name: '#1001' })
  for (const url of ['/v1/orders', `/v1/orders/${o.id}`]) {
    t.equal((await app.inject({ url })).statusCode, 401, `${url} without a token`)
    t.equal((await app.inject({ url, headers: bearer('wrong-token-0123456789') })).statusCode, 401, `${url} with a wrong token`)
    t.equal((await app.inject({ url, headers: bearer() })).statusCode, 200, `${url} with the token`)
  }
})

t.test('when a parameter is invalid, then 400 in the error shape naming the parameter', async (t) => {
  const { app } = await testApp(t)
  const cases: [string, RegExp][] = [
    ['state=shipping', /querystring\.state/],
    ['supplier=acme', /querystring\.supplier/],
    ['stuck=yes', /querystring\.stuck/],
    ['limit=0', /querystring\.limit/],
    ['limit=201', /querystring\.limit/],
    ['limit=ten', /querystring\.limit/],
    ['createdAfter=yesterday', /querystring\.createdAfter/],
    ['cursor=not-a-cursor', /querystring\.cursor/],
    ['colour=red', /colour/]
  ]
  for (const [query, message] of cases) {
    const res = await app.inject({ url: `/v1/orders?${query}`, headers: bearer() })
    t.equal(res.statusCode, 400, query)
    t.equal(res.json().error.code, 'bad_request', query)
    t.match(res.json().error.message, message, query)
  }
})

t.test('when orders span several pages, including orders created at the same instant, then every order comes exactly once, newest first', async (t) => {
  const { app, database } = await testApp(t)
  const sameInstant = new Date('2026-11-20T10:00:00.123456Z')
  for (let i = 0; i < 4; i++) await order(database.db, { created_at: sameInstant })
  for (let i = 0; i < 5; i++) await order(database.db, { created_at: ago(i * MIN) })
  // Microseconds a JS Date cannot hold: the cursor must keep them.
  await sql`update orders set created_at = created_at + interval '7 microseconds' where created_at = ${sameInstant}::timestamptz and id = (select min(id::text)::uuid from orders where created_at = ${sameInstant}::timestamptz)`.execute(database.db)
  const expected = (await sql<{ id: string }>`select id from orders order by created_at desc, id desc`.execute(database.db)).rows.map((r) => r.id)
  const seen: string[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const res = await app.inject({ url: `/v1/orders?limit=2${cursor ? `&cursor=${cursor}` : ''}`, headers: bearer() })
    t.equal(res.statusCode, 200)
    const body: { orders: { id: string }[], nextCursor: string | null } = res.json()
    seen.push(...body.orders.map((o) => o.id))
    cursor = body.nextCursor
    pages++
  } while (cursor && pages < 10)
  t.equal(pages, 5)
  t.same(seen, expected)
  // A new order arriving between pages does not shift later pages.
  const first = (await app.inject({ url: '/v1/orders?limit=3', headers: bearer() })).json()
  await order(database.db)
  const second = (await app.inject({ url: `/v1/orders?limit=3&cursor=${first.nextCursor}`, headers: bearer() })).json()
  t.same(second.orders.map((o: { id: string }) => o.id), expected.slice(3, 6))
})

t.test('when filtering by state, supplier, time range and stuck, then only matching orders come back', async (t) => {
  const { app, database } = await testApp(t)
  const db = database.db
  const freshReceived = await order(db, { state: 'received', state_changed_at: ago(10 * MIN - 5000) })
  const stuckReceived = await order(db, { state: 'received', state_changed_at: ago(10 * MIN + 5000) })
  const stuckSubmitted = await order(db, { state: 'submitted', state_changed_at: ago(3 * DAY + MIN) })
  const freshSubmitted = await order(db, { state: 'submitted', state_changed_at: ago(3 * DAY - MIN) })
  const fulfilled = await order(db, { state: 'fulfilled', state_changed_at: ago(300 * DAY), created_at: ago(400 * DAY) })
  await line(db, stuckSubmitted.id, { supplier: 'printify' })
  await supplierOrder(db, freshSubmitted.id, { supplier: 'printful' })
  await line(db, fulfilled.id, { supplier: 'none' })

  const ids = async (query: string): Promise<string[]> => {
    const res = await app.inject({ url: `/v1/orders?${query}`, headers: bearer() })
    t.equal(res.statusCode, 200, query)
    return (res.json().orders as { id: string }[]).map((o) => o.id).sort()
  }
  t.same(await ids('state=received'), [freshReceived.id, stuckReceived.id].sort())
  t.same(await ids('stuck=true'), [stuckReceived.id, stuckSubmitted.id].sort(), 'stuck: past the threshold of its state only')
  t.same(await ids('stuck=false'), [freshReceived.id, freshSubmitted.id, fulfilled.id].sort())
  t.same(await ids('stuck=true&state=submitted'), [stuckSubmitted.id])
  t.same(await ids('supplier=printify'), [stuckSubmitted.id])
  t.same(await ids('supplier=printful'), [freshSubmitted.id], 'a supplier order counts too')
  t.same(await ids('supplier=none'), [fulfilled.id])
  t.same(await ids(`createdBefore=${encodeURIComponent(ago(200 * DAY).toISOString())}`), [fulfilled.id])
  t.equal((await ids(`createdAfter=${encodeURIComponent(ago(200 * DAY).toISOString())}`)).length, 4)

  const listed = (await app.inject({ url: `/v1/orders?q=${stuckSubmitted.id}`, headers: bearer() })).json().orders[0]
  t.match(listed, { id: stuckSubmitted.id, state: 'submitted', stuck: true })
  t.ok(listed.stuckForSeconds >= 60 && listed.stuckForSeconds < 120, 'stuck for about a minute past 3 days')
})

t.test('when searching with q, then the order name, email, Shopify id and tracking number all find the order', async (t) => {
  const { app, database } = await testApp(t)
  const db = database.db
  const target = await order(db, { name: '#4321', email: 'Jane.Doe@example.com', shopify_order_id: 'gid://shopify/Order/820982911946154508' })
  await order(db, { name: '#43210', email: 'someone@example.org' })
  await order(db, { name: '#999', email: 'other@example.org' })
  const so = await supplierOrder(db, target.id)
  await shipment(db, so.id, { tracking_number: '1Z999AA10123456784', carrier: 'UPS' })

  const names = async (q: string): Promise<string[]> => {
    const res = await app.inject({ url: `/v1/orders?q=${encodeURIComponent(q)}`, headers: bearer() })
    t.equal(res.statusCode, 200, q)
    return (res.json().orders as { name: string }[]).map((o) => o.name).sort()
  }
  t.same(await names('#4321'), ['#4321', '#43210'], 'a name matches as text')
  t.same(await names('jane.doe@EXAMPLE.com'), ['#4321'], 'email, case-insensitively')
  t.same(await names('820982911946154508'), ['#4321'], 'the Shopify id as a number')
  t.same(await names('gid://shopify/Order/820982911946154508'), ['#4321'])
  t.same(await names('1Z999AA10123456784'), ['#4321'], 'a tracking number')
  t.same(await names('50%_off'), [], 'like wildcards are literal')
})

t.test('when one order is fetched by id, Shopify id or name, then it comes in DESIGN.md\'s shape with its timeline', async (t) => {
  const { app, database } = await testApp(t)
  const db = database.db
  const o = await order(db, { name: '#1001', shopify_order_id: 'gid://shopify/Order/5001', state: 'partially_shipped', financial_status: 'PAID', email: 'secret@example.com' })
  const l1 = await line(db, o.id, { shopify_line_item_id: 'gid://shopify/LineItem/1', variant_id: 'gid://shopify/ProductVariant/11', sku: 'TEE-M', quantity: 2, supplier: 'printful', state: 'routed' })
  await line(db, o.id, { shopify_line_item_id: 'gid://shopify/LineItem/2', sku: 'GIFT', supplier: null, state: 'skipped', reason: 'gift card' })
  const so = await supplierOrder(db, o.id, { supplier: 'printful', external_id: 'pb-5001-f1', supplier_order_id: '777', state: 'submitted', supplier_status: 'partially_shipped' })
  await db.insertInto('supplier_order_lines').values({ supplier_order_id: so.id, order_line_id: l1.id, quantity: 2 }).execute()
  const sh = await shipment(db, so.id, { carrier: 'USPS', tracking_number: '9400', tracking_url: 'https://t.example/9400', shipped_at: new Date('2026-11-26T10:00:00Z') })
  await db.insertInto('shipment_fulfillments').values({ shipment_id: sh.id, fulfillment_order_id: 'gid://shopify/FulfillmentOrder/1', shopify_fulfillment_id: 'gid://shopify/Fulfillment/9' }).execute()
  await timeline(db, o.id, { kind: 'webhook.received', actor: 'shopify', detail: 'orders/create received', at: new Date('2026-11-26T09:00:00Z') })
  await timeline(db, o.id, { kind: 'shipment.created', actor: 'printful', detail: 'shipped with USPS', at: new Date('2026-11-26T10:00:00Z') })

  for (const ref of [o.id, '5001', 'gid://shopify/Order/5001', '1001', '#1001']) {
    const res = await app.inject({ url: `/v1/orders/${encodeURIComponent(ref)}`, headers: bearer() })
    t.equal(res.statusCode, 200, ref)
    t.equal(res.json().order.id, o.id, ref)
  }
  const body = (await app.inject({ url: `/v1/orders/${o.id}`, headers: bearer() })).json()
  t.match(body.order, { id: o.id, shopifyOrderId: 'gid://shopify/Order/5001', name: '#1001', state: 'partially_shipped', financialStatus: 'PAID', createdAt: String, updatedAt: String })
  t.notOk(JSON.stringify(body).includes('secret@example.com'), 'no email in the answer')
  t.same(body.lines.map((l: Record<string, unknown>) => [l.shopifyLineItemId, l.variantId, l.sku, l.quantity, l.supplier, l.state, l.reason]), [
    ['gid://shopify/LineItem/1', 'gid://shopify/ProductVariant/11', 'TEE-M', 2, 'printful', 'routed', null],
    ['gid://shopify/LineItem/2', null, 'GIFT', 1, null, 'skipped', 'gift card']
  ])
  t.match(body.supplierOrders, [{ id: so.id, supplier: 'printful', externalId: 'pb-5001-f1', supplierOrderId: '777', state: 'submitted', supplierStatus: 'partially_shipped', reason: null }])
  t.same(body.shipments, [{ supplier: 'printful', carrier: 'USPS', trackingNumber: '9400', trackingUrl: 'https://t.example/9400', shippedAt: '2026-11-26T10:00:00.000Z', deliveredAt: null, shopifySyncState: 'pending', shopifyFulfillmentIds: ['gid://shopify/Fulfillment/9'] }])
  t.same(body.timeline.map((e: Record<string, unknown>) => [e.at, e.kind, e.detail]), [
    ['2026-11-26T09:00:00.000Z', 'webhook.received', 'orders/create received'],
    ['2026-11-26T10:00:00.000Z', 'shipment.created', 'shipped with USPS']
  ])
})

t.test('when the reference matches no order, then 404 in the error shape', async (t) => {
  const { app } = await testApp(t)
  for (const ref of ['9999', '00000000-0000-4000-8000-000000000000', 'gid://shopify/Order/1']) {
    const res = await app.inject({ url: `/v1/orders/${encodeURIComponent(ref)}`, headers: bearer() })
    t.equal(res.statusCode, 404, ref)
    t.same(res.json(), { error: { code: 'not_found', message: `no order matches "${ref}"` } })
  }
})

t.test('when the OpenAPI document is read, then the new routes and their parameters are in it', async (t) => {
  const { app } = await testApp(t)
  const doc = (await app.inject({ url: '/docs/json' })).json()
  for (const path of ['/v1/orders', '/v1/orders/{ref}', '/v1/webhooks', '/v1/webhooks/{id}/replay', '/v1/stats']) t.ok(doc.paths[path], path)
  const names = (doc.paths['/v1/orders'].get.parameters as { name: string }[]).map((p) => p.name)
  for (const name of ['state', 'supplier', 'stuck', 'q', 'createdAfter', 'createdBefore', 'limit', 'cursor']) t.ok(names.includes(name), name)
})
