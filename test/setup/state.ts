// Where the test run's setup leaves the database it prepared, for every test
// file (tap runs each in its own process) and for the teardown script.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export interface TestRunState {
  readonly adminUrl: string
  readonly template: string
  readonly runId: string
  /** Set when the run started its own embedded Postgres. */
  readonly embeddedDataDir?: string
}

export const stateFile = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '.tap', 'test-db.json')

export function readState (): TestRunState {
  return JSON.parse(readFileSync(stateFile, 'utf8')) as TestRunState
}
