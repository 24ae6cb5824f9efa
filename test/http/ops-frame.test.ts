import t from 'tap'
import { bearer, testApp } from '../helpers/app.ts'

t.test('when OPS_API_TOKEN is not set, then /v1 answers 503 saying so', async (t) => {
  const { app } = await testApp(t, { env: { OPS_API_TOKEN: '' } })
  const res = await app.inject({ method: 'GET', url: '/v1/stats', headers: bearer() })
  t.equal(res.statusCode, 503)
  t.same(res.json(), { error: { code: 'not_configured', message: 'the ops API is disabled: set OPS_API_TOKEN to enable /v1' } })
})

t.test('when the token is missing or wrong, then 401 with the error shape; when right, 200', async (t) => {
  const { app } = await testApp(t, { boss: true })
  const missing = await app.inject({ method: 'GET', url: '/v1/stats' })
  t.equal(missing.statusCode, 401)
  t.equal(missing.headers['www-authenticate'], 'Bearer realm="pod-bridge"')
  t.same(missing.json(), { error: { code: 'unauthorized', message: 'missing Authorization: Bearer <OPS_API_TOKEN>' } })
  for (const header of ['Bearer wrong-token', 'Bearer test-ops-token-012345678', 'Basic dGVzdA==', 'Bearer']) {
    const wrong = await app.inject({ method: 'GET', url: '/v1/stats', headers: { authorization: header } })
    t.equal(wrong.statusCode, 401, header)
    t.equal(wrong.json().error.code, 'unauthorized')
  }
  const right = await app.inject({ method: 'GET', url: '/v1/stats', headers: bearer() })
  t.equal(right.statusCode, 200)
  t.match(right.json(), { orders: { total: 0, byState: { received: 0, needs_attention: 0 } } })
  t.ok(right.json().queues.some((q: { name: string }) => q.name === 'order.sync'), 'queue depths come from pg-boss')
  t.ok(right.headers['x-request-id'], 'every answer carries a request id')
})

t.test('when asking for the OpenAPI document, then it lists the /v1 routes with bearer security', async (t) => {
  const { app } = await testApp(t)
  const res = await app.inject({ method: 'GET', url: '/docs/json' })
  t.equal(res.statusCode, 200)
  const doc = res.json()
  t.ok(doc.paths['/v1/stats'], '/v1/stats is documented')
  t.same(doc.components.securitySchemes.bearer, { type: 'http', scheme: 'bearer' })
  t.equal((await app.inject({ method: 'GET', url: '/docs' })).statusCode < 400, true, '/docs is browsable')
})

t.test('when a route does not exist, then 404 in the error shape', async (t) => {
  const { app } = await testApp(t)
  const res = await app.inject({ method: 'GET', url: '/nope?x=1' })
  t.equal(res.statusCode, 404)
  t.same(res.json(), { error: { code: 'not_found', message: 'no route GET /nope' } })
})

t.test('when a request id is given, then it is echoed back', async (t) => {
  const { app } = await testApp(t)
  const res = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'abc-123' } })
  t.equal(res.headers['x-request-id'], 'abc-123')
})
