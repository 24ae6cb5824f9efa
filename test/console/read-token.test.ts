import t from 'tap'
import { bearer, testApp, OPS_TOKEN } from '../helpers/app.ts'

const READ_TOKEN = 'test-read-token-0123456789'

t.test('when OPS_READ_TOKEN is given, then it reads every GET route and the session says read', async (t) => {
  const { app } = await testApp(t, { boss: true, env: { OPS_READ_TOKEN: READ_TOKEN } })
  for (const url of ['/v1/stats', '/v1/orders', '/v1/webhooks', '/v1/mappings', '/v1/overview', '/v1/stats/state-entries', '/v1/stats/ship-times']) {
    const res = await app.inject({ method: 'GET', url, headers: bearer(READ_TOKEN) })
    t.equal(res.statusCode, 200, url)
  }
  t.same((await app.inject({ method: 'GET', url: '/v1/session', headers: bearer(READ_TOKEN) })).json(), { access: 'read' })
  t.same((await app.inject({ method: 'GET', url: '/v1/session', headers: bearer(OPS_TOKEN) })).json(), { access: 'full' })
})

t.test('when the read-only token asks for a change, then 403 in the error shape and nothing is done', async (t) => {
  const { app } = await testApp(t, { boss: true, env: { OPS_READ_TOKEN: READ_TOKEN } })
  const changes: Array<{ method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: Record<string, unknown> }> = [
    { method: 'POST', url: '/v1/orders/1001/retry' },
    { method: 'POST', url: '/v1/orders/1001/approve' },
    { method: 'POST', url: '/v1/orders/1001/cancel' },
    { method: 'POST', url: '/v1/orders/retry', payload: {} },
    { method: 'PUT', url: '/v1/mappings', payload: { mappings: [{ match: { sku: 'MUG' }, supplier: 'none' }] } },
    { method: 'DELETE', url: '/v1/mappings/00000000-0000-4000-8000-000000000000' },
    { method: 'POST', url: '/v1/webhooks/00000000-0000-4000-8000-000000000000/replay' }
  ]
  for (const change of changes) {
    const res = await app.inject({ ...change, headers: bearer(READ_TOKEN) })
    t.equal(res.statusCode, 403, `${change.method} ${change.url}`)
    t.equal(res.json().error.code, 'forbidden')
    t.match(res.json().error.message, /read-only token \(OPS_READ_TOKEN\) cannot/)
  }
  const mappings = await app.inject({ method: 'GET', url: '/v1/mappings', headers: bearer(READ_TOKEN) })
  t.same(mappings.json().mappings, [], 'the refused PUT stored nothing')
})

t.test('when the read token is wrong or absent from the config, then 401 as for any wrong token', async (t) => {
  const { app } = await testApp(t)
  const res = await app.inject({ method: 'GET', url: '/v1/stats', headers: bearer(READ_TOKEN) })
  t.equal(res.statusCode, 401)
  t.equal(res.json().error.code, 'unauthorized')
})

t.test('when OPS_READ_TOKEN equals OPS_API_TOKEN, then the config is refused naming the variable', async (t) => {
  await t.rejects(testApp(t, { env: { OPS_READ_TOKEN: OPS_TOKEN } }), /OPS_READ_TOKEN must differ from OPS_API_TOKEN/)
})
