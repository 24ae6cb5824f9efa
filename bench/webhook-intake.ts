// Intake benchmark: signed orders/create webhooks at 50 concurrent connections
// for 20 s against the service (role api, real Postgres, real pg-boss), beside
// the baseline server measured in the same run on the same database server;
// then a fixed 200 requests/s for p99; then every acknowledged webhook is
// looked up. Each request carries a new order id and event id.
import { randomUUID } from 'node:crypto'
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import net from 'node:net'
import autocannon from 'autocannon'
import pg from 'pg'
import { signShopifyBody } from '../src/shopify/webhook-signature.ts'

const here = path.dirname(fileURLToPath(import.meta.url))
const SHOP = 'bench-store.myshopify.com'
const SECRET = 'bench-secret'

export interface LoadResult { readonly rps: number, readonly p50: number, readonly p99: number, readonly errors: number, readonly non2xx: number, readonly ok: number }

function orderBody (n: number): string {
  const id = 7_000_000_000_000 + n
  return JSON.stringify({
    id, admin_graphql_api_id: `gid://shopify/Order/${id}`, name: `#B${n}`, order_number: n, email: 'bench@example.com',
    created_at: new Date().toISOString(), updated_at: new Date().toISOString(), financial_status: 'paid', test: false,
    line_items: Array.from({ length: 3 }, (_, i) => ({ id: id * 10 + i, variant_id: 4000 + i, sku: `SKU-${i}`, quantity: 1, price: '19.00', requires_shipping: true, gift_card: false, properties: [] })),
    shipping_address: { first_name: 'Bench', last_name: 'Mark', address1: '1 Test St', city: 'Testville', zip: '10001', country_code: 'US', province_code: 'NY' }
  })
}

async function load (url: string, options: { connections: number, seconds: number, rate?: number }): Promise<LoadResult> {
  let n = Math.floor(Math.random() * 1e9)
  const result = await autocannon({
    url: `${url}/webhooks/shopify`,
    connections: options.connections,
    duration: options.seconds,
    ...(options.rate ? { overallRate: options.rate } : {}),
    requests: [{
      method: 'POST',
      setupRequest: (request) => {
        const body = orderBody(n++)
        return {
          ...request,
          body,
          headers: {
            'content-type': 'application/json', 'x-shopify-topic': 'orders/create', 'x-shopify-shop-domain': SHOP,
            'x-shopify-hmac-sha256': signShopifyBody(body, SECRET), 'x-shopify-api-version': '2026-10',
            'x-shopify-webhook-id': randomUUID(), 'x-shopify-event-id': randomUUID()
          }
        }
      }
    }]
  })
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.timeouts, non2xx: result.non2xx, ok: result['2xx'] }
}

function startProcess (args: string[], env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess, url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const url = /listening (http:\S+)/.exec(out)?.[1]
      if (url) resolve({ child, url })
    })
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code ?? 'a signal'}:\n${out.slice(-2000)}`)))
  })
}

function freePort (): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port
      server.close(() => resolve(port))
    })
  })
}

/** Starts the service on a chosen port (its logs may be off) and waits for /healthz. */
async function startService (env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess, url: string }> {
  const port = await freePort()
  const child = spawn(process.execPath, [path.join(here, '..', 'src', 'cli.ts'), 'start', '--role', 'api', '--migrate'], { env: { ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] })
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error('the service exited during startup')
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) return { child, url }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error('the service did not start within 30 s')
}

async function stop (child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  await exited
}

export interface IntakeReport { readonly baseline: LoadResult, readonly baselineFixedRate: LoadResult, readonly service: LoadResult, readonly fixedRate: LoadResult, readonly acknowledged: number, readonly stored: number }

export async function benchWebhookIntake (serverUrl: string, log: (line: string) => void): Promise<IntakeReport> {
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  const names = { baseline: `bench_baseline_${Date.now()}`, service: `bench_service_${Date.now()}` }
  for (const name of Object.values(names)) await admin.query(`create database ${name}`)
  const dbUrl = (name: string): string => { const u = new URL(serverUrl); u.pathname = `/${name}`; return u.toString() }
  // Each measured run starts from a checkpoint: the previous run's writes are flushed before it, not during it.
  const settle = async (): Promise<void> => { await admin.query('checkpoint') }
  try {
    log('baseline: bare Fastify + HMAC + one INSERT, 50 connections, 20 s')
    const baselineServer = await startProcess([path.join(here, 'baseline-server.ts'), dbUrl(names.baseline), SECRET], process.env)
    await load(baselineServer.url, { connections: 10, seconds: 2 }) // warm-up
    await settle()
    const baseline = await load(baselineServer.url, { connections: 50, seconds: 20 })
    log('baseline at a fixed 200 requests/s, 20 s')
    await settle()
    const baselineFixedRate = await load(baselineServer.url, { connections: 50, seconds: 20, rate: 200 })
    await stop(baselineServer.child)

    log('service: pod-bridge start --role api --migrate, 50 connections, 20 s')
    const service = await startService({ ...process.env, DATABASE_URL: dbUrl(names.service), SHOPIFY_SHOP_DOMAIN: SHOP, SHOPIFY_WEBHOOK_SECRETS: SECRET, HOST: '127.0.0.1', LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info' })
    const warm = await load(service.url, { connections: 10, seconds: 2 })
    await settle()
    const full = await load(service.url, { connections: 50, seconds: 20 })
    log('service at a fixed 200 requests/s, 20 s')
    await settle()
    const fixedRate = await load(service.url, { connections: 50, seconds: 20, rate: 200 })
    await stop(service.child)

    const client = new pg.Client({ connectionString: dbUrl(names.service) })
    await client.connect()
    const stored = Number((await client.query<{ n: string }>('select count(*) as n from webhook_events')).rows[0]?.n)
    await client.end()
    // Warm-up requests count too: everything that got a 2xx must be stored.
    return { baseline, baselineFixedRate, service: full, fixedRate, acknowledged: warm.ok + full.ok + fixedRate.ok, stored }
  } finally {
    for (const name of Object.values(names)) await admin.query(`drop database if exists ${name} with (force)`).catch(() => undefined)
    await admin.end()
  }
}
