// Builds the real app (routes, plugins, error handler) over a test database,
// for `app.inject` tests. pg-boss is started against the same database when a
// test needs to send jobs.
import type { FastifyInstance } from 'fastify'
import type { PgBoss } from 'pg-boss'
import { buildApp } from '../../src/app.ts'
import { loadConfig, configurationProblems, type Config } from '../../src/config.ts'
import { createBoss } from '../../src/queue/boss.ts'
import { createLogger } from '../../src/lib/logger.ts'
import { createMetrics, type Metrics } from '../../src/lib/metrics.ts'
import { createReadiness } from '../../src/readiness.ts'
import { testDatabase, type TestDatabase } from './database.ts'

export const OPS_TOKEN = 'test-ops-token-0123456789'

interface TapLike { teardown (fn: () => unknown): void, passing (): boolean, comment (...m: unknown[]): void }

export interface TestApp {
  readonly app: FastifyInstance
  readonly database: TestDatabase
  readonly config: Config
  readonly boss: PgBoss | undefined
  readonly metrics: Metrics
}

export async function testApp (t: TapLike, options: { env?: Record<string, string>, empty?: boolean, boss?: boolean } = {}): Promise<TestApp> {
  const database = await testDatabase(t, { empty: options.empty ?? false })
  const config = loadConfig({ DATABASE_URL: database.url, OPS_API_TOKEN: OPS_TOKEN, LOG_LEVEL: 'silent', ...options.env })
  let boss: PgBoss | undefined
  if (options.boss) {
    boss = createBoss({ url: database.url, jobs: config.jobs, maintenance: false })
    // Dropping the test database at teardown ends its connections: not an error worth failing on.
    boss.on('error', () => {})
    await boss.start()
    t.teardown(() => boss?.stop({ graceful: false, close: true }))
  }
  const logger = createLogger(config.logLevel)
  const readiness = createReadiness({ db: database.db, workers: undefined, problems: () => configurationProblems(config) })
  const metrics = createMetrics()
  const app = await buildApp({ config, db: database.db, boss, readiness, logger, metrics })
  t.teardown(() => app.close())
  return { app, database, config, boss, metrics }
}

export function bearer (token = OPS_TOKEN): Record<string, string> {
  return { authorization: `Bearer ${token}` }
}
