import t from 'tap'
import { OPS_TOKEN, testApp } from '../helpers/app.ts'
import { ago, line, order, shipment, supplierOrder, timeline } from '../helpers/factories.ts'
import { runCli } from '../helpers/process.ts'

const DAY = 86_400_000

async function cli (args: string[], env: Record<string, string> = { OPS_API_TOKEN: OPS_TOKEN }): Promise<{ code: number | null, output: string }> {
  const run = runCli(args, env)
  const { code } = await run.exited
  return { code, output: run.output() }
}

t.test('when the ops commands run against a live service, then they print the orders table, one order\'s timeline and the stats', async (t) => {
  const { app, database } = await testApp(t, { boss: true })
  const db = database.db
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  const stuck = await order(db, { name: '#1001', state: 'submitted', state_changed_at: ago(4 * DAY) })
  await order(db, { name: '#1002', state: 'needs_attention', state_reason: 'unknown variant TEE-XL' })
  await line(db, stuck.id, { sku: 'TEE-M', supplier: 'printful', state: 'routed', quantity: 2 })
  const so = await supplierOrder(db, stuck.id, { external_id: 'pb-1001-f1', supplier_order_id: '777', state: 'submitted', supplier_status: 'pending', last_error: 'Printful answered HTTP 429' })
  await shipment(db, so.id, { carrier: 'USPS', tracking_number: '9400111' })
  await timeline(db, stuck.id, { kind: 'supplier.submitted', actor: 'worker', detail: 'sent to Printful as 777' })

  const list = await cli(['orders', '--url', url])
  t.equal(list.code, 0, list.output)
  t.match(list.output, /ORDER\s+STATE\s+IN STATE\s+STUCK/)
  t.match(list.output, /#1001\s+submitted\s+4d[^\n]*STUCK \+1d/)
  t.match(list.output, /#1002\s+needs_attention[^\n]*unknown variant TEE-XL/)

  const onlyStuck = await cli(['orders', '--url', url, '--stuck'])
  t.match(onlyStuck.output, /#1001/)
  t.notMatch(onlyStuck.output, /#1002/)
  t.match((await cli(['orders', '--url', url, '--state', 'fulfilled'])).output, /no orders match/)

  const one = await cli(['order', '1001', '--url', url])
  t.equal(one.code, 0, one.output)
  t.match(one.output, /Order #1001\s+submitted\s+\(STUCK\)/)
  t.match(one.output, /TEE-M\s+2\s+printful\s+routed/)
  t.match(one.output, /printful\s+pb-1001-f1\s+777\s+submitted\s+pending/)
  t.match(one.output, /USPS\s+9400111/)
  t.match(one.output, /supplier\.submitted\s+\[worker\] sent to Printful as 777/)

  const stats = await cli(['stats', '--url', url])
  t.equal(stats.code, 0, stats.output)
  t.match(stats.output, /Orders: 2, stuck: 1/)
  t.match(stats.output, /submitted\s+1\s+1\s+4d/)
  t.match(stats.output, /order\.sync\s+0/)
  t.match(stats.output, /printful: budget 2 of 2 tokens \(120 a minute\), circuit closed\n\s+last error \S+ ago: Printful answered HTTP 429/)
  t.match(stats.output, /Webhook subscriptions: not checked yet/)
})

t.test('when the ops commands fail, then they say why and exit non-zero', async (t) => {
  const { app } = await testApp(t)
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  const unknown = await cli(['order', '424242', '--url', url])
  t.equal(unknown.code, 1)
  t.match(unknown.output, /pod-bridge: \/v1\/orders\/424242 answered HTTP 404: no order matches "424242"/)
  const badState = await cli(['orders', '--url', url, '--state', 'lost'])
  t.equal(badState.code, 1)
  t.match(badState.output, /HTTP 400: querystring\.state/)
  const wrongToken = await cli(['stats', '--url', url], { OPS_API_TOKEN: 'not-the-token-0123456789' })
  t.match(wrongToken.output, /HTTP 401: the bearer token is not valid/)
  const noToken = await cli(['stats', '--url', url], {})
  t.match(noToken.output, /OPS_API_TOKEN is not set/)
  const down = await cli(['stats', '--url', 'http://127.0.0.1:1'])
  t.equal(down.code, 1)
  t.match(down.output, /could not reach the service at http:\/\/127\.0\.0\.1:1/)
  const usage = await cli(['order'])
  t.equal(usage.code, 2)
  t.match(usage.output, /order needs one reference/)
})
