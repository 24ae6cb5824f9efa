// The /v1 frame: bearer auth on every route, zod schemas through the type
// provider (so they also become the OpenAPI document), DESIGN.md's error shape.
import type { FastifyPluginAsync } from 'fastify'
import type { PgBoss } from 'pg-boss'
import type { Db } from '../../db/database.ts'
import { bearerAuth } from './auth.ts'
import { statsRoutes } from './stats.ts'
import { cancelRoutes } from './cancel.ts'

export interface OpsDeps {
  readonly db: Db
  readonly boss: PgBoss | undefined
  readonly opsApiToken: string | undefined
}

export const opsApi: FastifyPluginAsync<OpsDeps> = async (app, deps) => {
  app.addHook('onRequest', bearerAuth(deps.opsApiToken))
  const routeDeps: OpsDeps = { db: deps.db, boss: deps.boss, opsApiToken: deps.opsApiToken }
  await app.register(statsRoutes, routeDeps)
  await app.register(cancelRoutes, routeDeps)
}
