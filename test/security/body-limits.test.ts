// Every route that takes a body has a limit, and a body over it is refused
// with 413 before any handler (or the database) sees it. The routes are read
// from the app itself, so a route added later is covered without editing here.
import t from 'tap'
import { bearer, testApp } from '../helpers/app.ts'

// Over every route's limit (the largest, PUT /v1/mappings, is 8 MiB).
const OVERSIZE = 9 * 1024 * 1024

/** POST and PUT routes, with full paths, from printRoutes' tree (four characters of indent per level). */
function bodyRoutes (tree: string): { method: 'POST' | 'PUT', url: string }[] {
  const prefixes: string[] = []
  const found: { method: 'POST' | 'PUT', url: string }[] = []
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+) \(([A-Z, ]+)\)$/.exec(line)
    if (!match) continue
    const depth = match[1]!.length / 4
    const path = (prefixes[depth - 1] ?? '') + match[2]!
    prefixes[depth] = path
    for (const method of match[3]!.split(',').map((m) => m.trim())) {
      if (method === 'POST' || method === 'PUT') found.push({ method, url: path.replace(/:(\w+)/g, '$1-1') })
    }
  }
  return found
}

t.test('when any POST or PUT route gets a body over its limit, then it answers 413 in the error shape', async (t) => {
  const { app, database } = await testApp(t, { env: { PRINTFUL_WEBHOOK_SECRET: 'printful-webhook-token-1234', PRINTIFY_WEBHOOK_SECRET: 'printify-secret', SHOPIFY_WEBHOOK_SECRETS: 'shopify-secret' } })
  await app.ready()
  const routes = bodyRoutes(app.printRoutes({ commonPrefix: false }))
  t.ok(routes.length >= 8, `found the body routes: ${routes.map((r) => `${r.method} ${r.url}`).join(', ')}`)
  const body = Buffer.alloc(OVERSIZE, 'a')
  for (const route of routes) {
    const small = await app.inject({ method: route.method, url: route.url, headers: { ...bearer(), 'content-type': 'application/json' }, payload: '{}' })
    t.notMatch(small.body, /"no route /, `${route.method} ${route.url} is a route`)
    for (const contentType of ['application/json', 'text/plain']) {
      const res = await app.inject({ method: route.method, url: route.url, headers: { ...bearer(), 'content-type': contentType }, payload: body })
      if (res.statusCode === 415) continue // a route that only takes JSON refuses other types before reading
      t.equal(res.statusCode, 413, `${route.method} ${route.url} (${contentType}): ${res.body.slice(0, 200)}`)
      t.equal(res.json<{ error: { code: string } }>().error.code, 'payload_too_large')
    }
  }
  const rows = await database.db.selectFrom('webhook_events').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
  t.equal(Number(rows.n), 0, 'no delivery was stored')
})

t.test('when an ops action gets a body of 64 KiB and one byte, then it is refused (64 KiB is read); the mappings upsert takes more', async (t) => {
  const { app } = await testApp(t)
  const json = (size: number): string => JSON.stringify({ reason: 'x'.repeat(size - 13) })
  t.equal(json(100).length, 100)
  const cancel = (size: number) => app.inject({ method: 'POST', url: '/v1/orders/1001/cancel', headers: { ...bearer(), 'content-type': 'application/json' }, payload: json(size) })
  t.equal((await cancel(64 * 1024 + 1)).statusCode, 413)
  t.equal((await cancel(64 * 1024)).statusCode, 404, 'at the limit, the body is read (and the order is not there)')
  const mappings = await app.inject({ method: 'PUT', url: '/v1/mappings', headers: { ...bearer(), 'content-type': 'application/json' }, payload: JSON.stringify({ mappings: Array.from({ length: 5000 }, (_, i) => ({ match: { sku: `SKU-${i}-${'x'.repeat(120)}` }, supplier: 'none' })) }) })
  t.equal(mappings.statusCode, 200, mappings.body.slice(0, 300))
})
