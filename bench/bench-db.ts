// Databases for benchmarks run on their own (`node bench/<name>.ts`): the
// server of BENCH_DATABASE_URL when set (its user may create databases), else
// an embedded Postgres with normal durability settings, as `npm run bench`.
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { startEmbeddedPostgres } from '../src/db/embedded.ts'

export interface BenchServer { readonly url: string, readonly label: string, close (): Promise<void> }

export async function benchServer (): Promise<BenchServer> {
  const configured = process.env.BENCH_DATABASE_URL
  if (configured) return { url: configured, label: 'the Postgres server of BENCH_DATABASE_URL', close: async () => {} }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pod-bridge-bench-'))
  const embedded = await startEmbeddedPostgres({ dataDir })
  return { url: embedded.url, label: 'an embedded Postgres 18 (fsync on)', close: async () => { await embedded.stop(); rmSync(dataDir, { recursive: true, force: true }) } }
}

/** A new empty database on the server, dropped by `drop`. */
export async function freshDatabase (serverUrl: string, prefix: string): Promise<{ url: string, drop (): Promise<void> }> {
  const name = `${prefix}_${String(Date.now())}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop () {
      const client = new pg.Client({ connectionString: serverUrl })
      await client.connect()
      await client.query(`drop database if exists ${name} with (force)`).catch(() => undefined)
      await client.end()
    }
  }
}

/** A benchmark run on its own: its markdown section on stdout, progress on stderr. */
export async function printStandalone (run: (serverUrl: string, log: (line: string) => void) => Promise<string>): Promise<void> {
  const server = await benchServer()
  try {
    console.log(await run(server.url, (line) => { console.error(`# ${line}`) }))
  } finally {
    await server.close()
  }
}

/** True when the module at `moduleUrl` is the script node was started with. */
export function isMain (moduleUrl: string): boolean {
  return process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(moduleUrl)
}

export function percentiles (values: readonly number[]): { p50: number, p99: number, max: number } {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
  return { p50: Math.round(at(0.5)), p99: Math.round(at(0.99)), max: Math.round(sorted.at(-1) ?? 0) }
}
