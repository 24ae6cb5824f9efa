// Each test file works on its own database, cloned from the run's migrated
// template (fast: a file copy, not a migration). It is dropped when the test
// passes and kept for inspection when it fails (the pg-boss habit).
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts'
import { readState } from '../setup/state.ts'
import { databaseUrl } from './urls.ts'

interface TapLike {
  teardown (fn: () => unknown): void
  passing (): boolean
  comment (...message: unknown[]): void
}

async function admin<T> (fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: readState().adminUrl })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

export interface TestDatabase extends DatabaseHandle {
  readonly url: string
  readonly name: string
}

/** A fresh database: migrated (from the template) unless `empty` is set. */
export async function testDatabase (t: TapLike, options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const state = readState()
  const name = `pb_t_${state.runId}_${randomBytes(4).toString('hex')}`
  await admin(async (client) => {
    // Concurrent clones of one template can collide briefly; try again.
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(options.empty ? `create database ${name}` : `create database ${name} template ${state.template}`)
        return
      } catch (err) {
        if (attempt >= 20 || !String(err).includes('being accessed by other users')) throw err
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
  })
  const url = databaseUrl(state.adminUrl, name)
  const handle = openDatabase(url, { max: 5 })
  t.teardown(async () => {
    await handle.close()
    if (t.passing()) {
      await admin((client) => client.query(`drop database if exists ${name} with (force)`))
    } else {
      t.comment(`kept database ${name} for inspection`)
    }
  })
  return { ...handle, url, name }
}
