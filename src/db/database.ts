// The kysely instance over one pg pool. Domain functions take `db` (or a
// `Transaction`) as their first argument; transactions open at the edge.
import { Kysely, PostgresDialect, type Transaction } from 'kysely'
import pg from 'pg'
import type { Database } from './schema.ts'

export type Db = Kysely<Database>
export type Trx = Transaction<Database>

export interface DatabaseHandle {
  readonly db: Db
  readonly pool: pg.Pool
  close (): Promise<void>
}

export function openDatabase (url: string, options: { max?: number, applicationName?: string } = {}): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'pod-bridge',
    // Fail fast instead of queueing forever when the server is gone, so a
    // webhook gets its 503 (Shopify retries) well inside Shopify's 5 s.
    connectionTimeoutMillis: 3000,
    idleTimeoutMillis: 30_000
  })
  // An idle client losing its server must not crash the process; the next
  // query reports the error where it can be handled.
  pool.on('error', () => {})
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  let closed = false
  return {
    db,
    pool,
    async close () {
      if (closed) return
      closed = true
      await db.destroy()
    }
  }
}
