// tap's `after`: drop the template, stop the run's embedded Postgres.
import { rmSync } from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { stopPostmaster } from '../../src/db/embedded-orphan.ts'
import { readState } from './state.ts'

const state = readState()
const admin = new pg.Client({ connectionString: state.adminUrl })
try {
  await admin.connect()
  await admin.query(`drop database if exists ${state.template}`)
} finally {
  await admin.end().catch(() => undefined)
}
if (state.embeddedDataDir) {
  await stopPostmaster(path.join(state.embeddedDataDir, 'postgres'))
  rmSync(state.embeddedDataDir, { recursive: true, force: true })
}
