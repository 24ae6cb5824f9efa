// POST /webhooks/:supplier, served from the supplier registry: each built-in
// supplier's documented URL answers as before, and a name the registry does
// not know is a 404 in the error shape, with nothing stored.
import { createHmac } from 'node:crypto'
import t from 'tap'
import { testApp } from '../helpers/app.ts'

const PRINTFUL_TOKEN = 'pf-webhook-token-0123456789'
const PRINTIFY_SECRET = 'py-secret'

const env = { PRINTFUL_WEBHOOK_SECRET: PRINTFUL_TOKEN, PRINTIFY_WEBHOOK_SECRET: PRINTIFY_SECRET }

t.test('when a supplier name the registry does not know is posted to, then 404 names the suppliers there are and nothing is stored', async (t) => {
  const { app, database } = await testApp(t, { boss: true, env })
  const res = await app.inject({ method: 'POST', url: '/webhooks/acme', headers: { 'content-type': 'application/json' }, payload: '{"event":"order_status_updated"}' })
  t.equal(res.statusCode, 404)
  t.same(res.json(), { error: { code: 'not_found', message: 'no supplier "acme" takes webhooks here (there are printful, printify, gelato)' } })
  const stored = await database.db.selectFrom('webhook_events').select('id').execute()
  t.same(stored, [])
})

t.test('when the documented supplier URLs are posted to, then each supplier\'s own check decides: a wrong token or signature is 401, a good one is stored', async (t) => {
  const { app, database } = await testApp(t, { boss: true, env })
  const printful = JSON.stringify({ type: 'order_updated', created: 1764547200, retries: 0, store: 10, data: { order: { id: 555, external_id: 'pb-1-f1', status: 'pending' } } })
  t.equal((await app.inject({ method: 'POST', url: '/webhooks/printful?token=wrong', payload: printful, headers: { 'content-type': 'application/json' } })).statusCode, 401)
  const goodPrintful = await app.inject({ method: 'POST', url: `/webhooks/printful?token=${PRINTFUL_TOKEN}`, payload: printful, headers: { 'content-type': 'application/json' } })
  t.equal(goodPrintful.statusCode, 200)
  t.match(goodPrintful.json(), { status: 'ignored' }, 'no such order was sent: stored and ignored')

  const printify = JSON.stringify({ id: '653b6be8-2ff7-4ab5-a7a6-6889a8b3d475', type: 'order:updated', created_at: '2026-12-01 10:00:00+00:00', resource: { id: '5a96f649b2439217d070f507', type: 'order', data: { status: 'on-hold' } } })
  const signature = `sha256=${createHmac('sha256', PRINTIFY_SECRET).update(printify).digest('hex')}`
  t.equal((await app.inject({ method: 'POST', url: '/webhooks/printify', payload: printify, headers: { 'content-type': 'application/json', 'x-pfy-signature': 'sha256=00' } })).statusCode, 401)
  const goodPrintify = await app.inject({ method: 'POST', url: '/webhooks/printify', payload: printify, headers: { 'content-type': 'application/json', 'x-pfy-signature': signature } })
  t.equal(goodPrintify.statusCode, 200)
  const stored = await database.db.selectFrom('webhook_events').select(['source', 'shop', 'topic']).orderBy('received_at').execute()
  t.same(stored, [{ source: 'printful', shop: 'printful', topic: 'order_updated' }, { source: 'printify', shop: 'printify', topic: 'order:updated' }])
})
