// The ops API's door: the token is required and compared over digests (a
// token of any length is a plain 401, never a crash); repeated failures from
// one client address are slowed with 429 and Retry-After; the client address
// comes from X-Forwarded-For only through proxies named in TRUST_PROXY.
import t from 'tap'
import { MAX_FAILURES, WINDOW_MS } from '../../src/http/ops/auth-failures.ts'
import { bearer, OPS_TOKEN, testApp } from '../helpers/app.ts'

type Inject = Awaited<ReturnType<typeof testApp>>['app']

async function stats (app: Inject, from: string, headers: Record<string, string> = {}) {
  return app.inject({ method: 'GET', url: '/v1/stats', remoteAddress: from, headers })
}

t.test('when the token is missing, wrong, of another length or huge, then 401; the right one gets 200', async (t) => {
  const { app } = await testApp(t)
  const cases: Record<string, string>[] = [{}, bearer('wrong'), bearer(OPS_TOKEN.slice(0, -1)), bearer(OPS_TOKEN + 'x'), bearer('y'.repeat(16_000)), { authorization: `Basic ${OPS_TOKEN}` }, { authorization: `Bearer ${OPS_TOKEN} ${OPS_TOKEN}` }]
  for (const [i, headers] of cases.entries()) {
    const res = await stats(app, `10.0.0.${i + 1}`, headers)
    t.equal(res.statusCode, 401, JSON.stringify(headers).slice(0, 80))
    t.equal(res.headers['www-authenticate'], 'Bearer realm="pod-bridge"')
    t.equal(res.json<{ error: { code: string } }>().error.code, 'unauthorized')
  }
  t.equal((await stats(app, '10.0.1.1', bearer())).statusCode, 200)
  t.equal((await stats(app, '10.0.1.1', { authorization: `bearer   ${OPS_TOKEN}  ` })).statusCode, 200, 'the scheme is case-insensitive')
})

t.test(`when one address sends ${MAX_FAILURES} wrong tokens, then it gets 429 with Retry-After, even with the right token; other addresses are not affected`, async (t) => {
  const { app } = await testApp(t)
  for (let i = 0; i < MAX_FAILURES; i++) t.equal((await stats(app, '203.0.113.7', bearer(`guess-${i}`))).statusCode, 401)
  const blocked = await stats(app, '203.0.113.7', bearer('guess-next'))
  t.equal(blocked.statusCode, 429)
  t.equal(blocked.json<{ error: { code: string } }>().error.code, 'too_many_requests')
  const retryAfter = Number(blocked.headers['retry-after'])
  t.ok(retryAfter > 0 && retryAfter <= WINDOW_MS / 1000, `Retry-After ${retryAfter} s is within the window`)
  t.equal((await stats(app, '203.0.113.7', bearer())).statusCode, 429, 'the right token does not tell a guesser it hit')
  t.equal((await stats(app, '203.0.113.8', bearer())).statusCode, 200, 'another address is served')
  t.equal((await stats(app, '203.0.113.8', bearer('one-wrong'))).statusCode, 401)
})

t.test('when TRUST_PROXY is off, then X-Forwarded-For does not change the client address (a guesser cannot rotate it)', async (t) => {
  const { app } = await testApp(t)
  for (let i = 0; i < MAX_FAILURES; i++) await stats(app, '198.51.100.1', { ...bearer('guess'), 'x-forwarded-for': `192.0.2.${i}` })
  const res = await stats(app, '198.51.100.1', { ...bearer(), 'x-forwarded-for': '192.0.2.200' })
  t.equal(res.statusCode, 429)
})

t.test('when TRUST_PROXY names the proxy, then the forwarded address is the client: each client has its own count, and a client cannot forge it past the proxy', async (t) => {
  const { app } = await testApp(t, { env: { TRUST_PROXY: '10.1.0.0/16' } })
  const viaProxy = (client: string, token: string) => stats(app, '10.1.2.3', { ...bearer(token), 'x-forwarded-for': client })
  for (let i = 0; i < MAX_FAILURES; i++) t.equal((await viaProxy('192.0.2.10', 'guess')).statusCode, 401)
  t.equal((await viaProxy('192.0.2.10', OPS_TOKEN)).statusCode, 429, 'the guessing client is slowed')
  t.equal((await viaProxy('192.0.2.11', OPS_TOKEN)).statusCode, 200, 'another client behind the same proxy is served')
  // Whatever a client prepends, the proxy appends the address it saw: that one counts.
  t.equal((await viaProxy('192.0.2.99, 192.0.2.10', OPS_TOKEN)).statusCode, 429)
  // Straight from an untrusted address, its own X-Forwarded-For is ignored.
  for (let i = 0; i < MAX_FAILURES; i++) await stats(app, '198.51.100.9', { ...bearer('guess'), 'x-forwarded-for': `192.0.2.${50 + i}` })
  t.equal((await stats(app, '198.51.100.9', bearer())).statusCode, 429)
})

t.test('when TRUST_PROXY is set, then off or addresses are taken and anything else stops startup naming it', async (t) => {
  const { loadConfig, ConfigError } = await import('../../src/config.ts')
  t.equal(loadConfig({}).http.trustProxy, false, 'off by default')
  t.equal(loadConfig({ TRUST_PROXY: 'off' }).http.trustProxy, false)
  t.same(loadConfig({ TRUST_PROXY: '10.0.0.1, 172.16.0.0/12,loopback,::1' }).http.trustProxy, ['10.0.0.1', '172.16.0.0/12', 'loopback', '::1'])
  for (const bad of ['true', '2', 'proxy.example.com', '10.0.0.1/8/2']) {
    const problems = (() => {
      try {
        loadConfig({ TRUST_PROXY: bad })
        return []
      } catch (err) {
        return err instanceof ConfigError ? err.problems : [String(err)]
      }
    })()
    t.match(problems[0], /^TRUST_PROXY must be off, or a comma-separated list/, bad)
  }
})
