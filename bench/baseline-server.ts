// The baseline for the intake benchmark: the least a webhook endpoint can do
// on this machine and still be honest (a bare Fastify route that checks the
// HMAC on the raw bytes and does one INSERT). Run as its own process.
import Fastify from 'fastify'
import pg from 'pg'
import { verifyShopifySignature } from '../src/shopify/webhook-signature.ts'

const [databaseUrl, secret] = process.argv.slice(2)
if (!databaseUrl || !secret) throw new Error('usage: baseline-server.ts <database url> <secret>')
const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 })
await pool.query('create table if not exists baseline_events (id bigserial primary key, event_id text unique, body bytea not null)')
const app = Fastify()
app.removeAllContentTypeParsers()
app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => { done(null, body) })
app.post('/webhooks/shopify', async (request, reply) => {
  const body = request.body as Buffer
  const hmac = request.headers['x-shopify-hmac-sha256']
  if (verifyShopifySignature(body, typeof hmac === 'string' ? hmac : undefined, [secret]) !== 'ok') return reply.status(401).send()
  await pool.query('insert into baseline_events (event_id, body) values ($1, $2) on conflict do nothing', [request.headers['x-shopify-event-id'], body])
  return { status: 'accepted' }
})
const url = await app.listen({ port: 0, host: '127.0.0.1' })
process.stdout.write(`listening ${url}\n`)
process.on('SIGTERM', () => { void app.close().then(() => pool.end()).then(() => process.exit(0)) })
