// GET /v1/stats: counts by state and queue depths, the first look at 2 a.m.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { sql } from 'kysely'
import { z } from 'zod'
import { orderStates } from '../../db/schema.ts'
import type { OpsDeps } from './plugin.ts'

const statsResponse = z.object({
  orders: z.object({ total: z.number(), byState: z.record(z.string(), z.number()) }),
  queues: z.array(z.object({ name: z.string(), queued: z.number(), active: z.number(), deferred: z.number(), total: z.number() }))
})

export const statsRoutes: FastifyPluginAsyncZod<OpsDeps> = async (app, { db, boss }) => {
  app.get('/stats', { schema: { summary: 'Counts by state and queue depths', response: { 200: statsResponse } } }, async () => {
    const rows = await db.selectFrom('orders').select(['state', sql<string>`count(*)`.as('count')]).groupBy('state').execute()
    const byState: Record<string, number> = Object.fromEntries(orderStates.map((state) => [state, 0]))
    for (const row of rows) byState[row.state] = Number(row.count)
    const queues = boss
      ? (await boss.getQueues()).map((q) => ({ name: q.name, queued: q.queuedCount, active: q.activeCount, deferred: q.deferredCount, total: q.totalCount }))
      : []
    return { orders: { total: Object.values(byState).reduce((a, b) => a + b, 0), byState }, queues }
  })
}
