// The chaos run's Postgres, which it crashes on purpose: an embedded server in
// its own folder (the default: crashing the shared server would disturb
// everyone else on it), or the PostgreSQL 15 server through pg_ctlcluster.
// The services reach it through a TCP relay on a fixed port, because the
// embedded server comes back on a new port after each crash.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded.ts'

const run = promisify(execFile)

export interface ChaosPostgres {
  /** The server's admin URL, through the relay. */
  readonly url: string
  readonly label: string
  /** Immediate stop (no checkpoint, clients cut off), then start again: crash recovery on the next start. */
  crash (): Promise<void>
  close (): Promise<void>
}

interface Relay { readonly port: number, target: number, cutAll (): void, close (): Promise<void> }

async function startRelay (target: number): Promise<Relay> {
  const sockets = new Set<net.Socket>()
  const relay = { target, port: 0, cutAll: () => { for (const s of sockets) s.destroy() } }
  const server = net.createServer((client) => {
    const upstream = net.connect(relay.target, '127.0.0.1')
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('error', () => {})
      s.on('close', () => { sockets.delete(s); client.destroy(); upstream.destroy() })
    }
    client.pipe(upstream)
    upstream.pipe(client)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('relay: no TCP address')
  relay.port = address.port
  return Object.assign(relay, { close: () => new Promise<void>((resolve) => { relay.cutAll(); server.close(() => resolve()) }) })
}

function through (url: string, port: number): string {
  const u = new URL(url)
  u.port = String(port)
  return u.toString()
}

export async function chaosPostgres (server: 'embedded' | 'pg15'): Promise<ChaosPostgres> {
  if (server === 'pg15') {
    const direct = 'postgres://postgres@127.0.0.1:5432/postgres'
    const relay = await startRelay(5432)
    return {
      url: through(direct, relay.port),
      label: 'the PostgreSQL 15 server (pg_ctlcluster 15 main stop -m immediate, then start)',
      async crash () {
        await run('pg_ctlcluster', ['15', 'main', 'stop', '-m', 'immediate'])
        relay.cutAll()
        await run('pg_ctlcluster', ['15', 'main', 'start'])
      },
      close: () => relay.close()
    }
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pod-bridge-chaos-'))
  let embedded: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir })
  const relay = await startRelay(embedded.port)
  return {
    url: through(embedded.url, relay.port),
    label: 'an embedded Postgres 18 in its own folder (fsync on; crash = SIGQUIT to the postmaster, its immediate shutdown)',
    async crash () {
      const gone = new Promise<void>((resolve) => {
        const poll = setInterval(() => { try { process.kill(embedded.pid, 0) } catch { clearInterval(poll); resolve() } }, 50)
      })
      process.kill(embedded.pid, 'SIGQUIT')
      await gone
      relay.cutAll()
      embedded = await startEmbeddedPostgres({ dataDir })
      relay.target = embedded.port
    },
    async close () {
      await relay.close()
      await embedded.stop()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}
