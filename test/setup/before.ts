// tap's `before`: one Postgres for the whole run (embedded, or the server
// named by TEST_DATABASE_URL), and one migrated template database that every
// test file clones.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { loadConfig } from '../../src/config.ts'
import { startEmbeddedPostgres } from '../../src/db/embedded.ts'
import { createLogger } from '../../src/lib/logger.ts'
import { migrateAll } from '../../src/service.ts'
import { databaseUrl } from '../helpers/urls.ts'
import { stateFile, type TestRunState } from './state.ts'

const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`
let adminUrl = process.env.TEST_DATABASE_URL
let embeddedDataDir: string | undefined
if (!adminUrl) {
  embeddedDataDir = mkdtempSync(path.join(os.tmpdir(), 'pod-bridge-test-'))
  const embedded = await startEmbeddedPostgres({ dataDir: embeddedDataDir, ephemeral: true, detach: true })
  adminUrl = embedded.url
}
const template = `pb_tpl_${runId}`
const admin = new pg.Client({ connectionString: adminUrl })
await admin.connect()
await admin.query(`create database ${template}`)
await admin.end()
const config = loadConfig({ DATABASE_URL: databaseUrl(adminUrl, template) })
await migrateAll(databaseUrl(adminUrl, template), config, createLogger('warn'))

const state: TestRunState = { adminUrl, template, runId, ...(embeddedDataDir ? { embeddedDataDir } : {}) }
mkdirSync(path.dirname(stateFile), { recursive: true })
writeFileSync(stateFile, JSON.stringify(state))
console.log(`# test database: ${embeddedDataDir ? `embedded Postgres in ${embeddedDataDir}` : 'TEST_DATABASE_URL'}, template ${template}`)
