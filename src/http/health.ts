// /healthz: the process answers. /readyz: it can do its job (database
// reachable and migrated, workers running), with the configuration problems
// that keep parts of it from working listed as detail.
import type { FastifyInstance } from 'fastify'
import type { Readiness } from '../readiness.ts'

export async function healthRoutes (app: FastifyInstance, options: { readiness: Readiness }): Promise<void> {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }))
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const report = await options.readiness.check()
    return reply.status(report.ready ? 200 : 503).send(report)
  })
}
