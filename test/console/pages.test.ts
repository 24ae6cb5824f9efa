import t from 'tap'
import { readdirSync } from 'node:fs'
import { testApp } from '../helpers/app.ts'

t.test('when /console and its assets are fetched without a token, then they are served with headers allowing only the service itself', async (t) => {
  const { app } = await testApp(t)
  const page = await app.inject({ method: 'GET', url: '/console' })
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /^text\/html/)
  t.match(page.headers['content-security-policy'], /default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'/)
  t.equal(page.headers['x-content-type-options'], 'nosniff')
  t.equal(page.headers['x-frame-options'], 'DENY')
  t.equal(page.headers['referrer-policy'], 'no-referrer')
  const assets = readdirSync(new URL('../../src/http/console/assets/', import.meta.url)).filter((n) => n !== 'index.html')
  t.ok(assets.length >= 5)
  for (const name of assets) {
    const res = await app.inject({ method: 'GET', url: `/console/assets/${name}` })
    t.equal(res.statusCode, 200, name)
    t.match(res.headers['content-security-policy'], /script-src 'self'/)
    t.notMatch(res.body, /https?:\/\/(?!www\.printful\.com\/dashboard|printify\.com\/app\/orders|www\.w3\.org\/)/, `${name} loads nothing from elsewhere`)
    t.notMatch(res.body, /innerHTML|eval\(|new Function/, `${name} never parses data as code or markup`)
  }
  t.equal((await app.inject({ method: 'GET', url: '/console/assets/../plugin.ts' })).statusCode, 404)
  t.equal((await app.inject({ method: 'GET', url: '/console/assets/nope.js' })).statusCode, 404)
})
