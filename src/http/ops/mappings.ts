// /v1/mappings: list, bulk upsert, delete, import from a supplier's catalog,
// and the unmapped report (DESIGN.md "Contracts").
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { sql } from 'kysely'
import { z } from 'zod'
import { sendJob } from '../../queue/boss.ts'
import { AppError } from '../../lib/errors.ts'
import { importProgress, startImport } from '../../orders/routing/mapping-import.ts'
import { mappingInputSchema } from '../../orders/routing/mapping-schema.ts'
import { deleteMapping, listMappings, upsertMappings, type Mapping } from '../../orders/routing/mappings.ts'
import { unmappedReport } from '../../orders/routing/unmapped.ts'
import type { Registry } from '../../suppliers/registry.ts'
import type { OpsDeps } from './deps.ts'

// Up to 5000 mappings, each with its files or print areas (URLs): a few hundred bytes each.
const MAPPINGS_BODY_LIMIT = 8 * 1024 * 1024

const errorShape = z.object({ error: z.object({ code: z.string(), message: z.string() }) })
/** A mapping as DESIGN.md "Contracts" writes it: the item reference under its supplier's name. */
function mappingShape (registry: Registry) {
  return z.object({
    id: z.uuid(),
    match: z.record(z.string(), z.string()),
    supplier: z.string(),
    ...Object.fromEntries(registry.names.map((name) => [name, z.unknown().optional()])),
    personalization: z.string().optional(),
    placement: z.string().optional(),
    managedBy: z.string().optional(),
    source: z.string(),
    createdAt: z.string(),
    updatedAt: z.string()
  })
}

function contractShape ({ ref, ...mapping }: Mapping): Omit<Mapping, 'ref'> {
  return { ...mapping, ...(ref === undefined ? {} : { [mapping.supplier]: ref }) }
}
const importShape = z.object({
  id: z.uuid(), supplier: z.string(), state: z.string(), storeVariants: z.number(), processed: z.number(),
  created: z.number(), updated: z.number(), kept: z.number(), unmatched: z.number(), unmatchedSample: z.array(z.unknown()),
  error: z.string().nullable(), startedAt: z.string(), finishedAt: z.string().nullable()
})

export const mappingRoutes: FastifyPluginAsyncZod<OpsDeps> = async (app, { db, boss, shopify, registry }) => {
  const supplierOrNone = z.string().refine((value) => value === 'none' || registry.names.includes(value), { error: `must be ${registry.names.join(', ')} or none` })
  app.get('/mappings', {
    schema: {
      summary: 'Variant mappings, by match',
      querystring: z.object({
        supplier: supplierOrNone.optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
        cursor: z.string().max(2000).optional()
      }),
      response: { 200: z.object({ mappings: z.array(mappingShape(registry)), nextCursor: z.string().nullable() }) }
    }
  }, async (request) => {
    const { supplier, limit, cursor } = request.query
    const page = await listMappings(db, { limit, ...(supplier ? { supplier } : {}), ...(cursor ? { cursor } : {}) })
    return { mappings: page.mappings.map(contractShape), nextCursor: page.nextCursor }
  })

  app.put('/mappings', {
    bodyLimit: MAPPINGS_BODY_LIMIT,
    schema: {
      summary: 'Upsert mappings by match; orders waiting on a mapping are routed again',
      body: z.object({ mappings: z.array(mappingInputSchema(registry)).min(1).max(5000) }).strict(),
      response: { 200: z.object({ upserted: z.number(), rerouted: z.number() }), 400: errorShape }
    }
  }, async (request) => {
    return db.transaction().execute(async (trx) => {
      const upserted = await upsertMappings(trx, request.body.mappings)
      // Orders the router already saw and that wait on a fix: unroutable lines, or supplier orders not sent yet.
      const waiting = boss
        ? await trx.selectFrom('orders').select('id')
          .where('cancelled_at', 'is', null).where('cancelled_locally_at', 'is', null)
          .where((eb) => eb.or([
            eb.exists(eb.selectFrom('order_lines as l').select(sql`1`.as('x')).whereRef('l.order_id', '=', 'orders.id').where('l.state', '=', 'unroutable')),
            eb.exists(eb.selectFrom('supplier_orders as so').select(sql`1`.as('x')).whereRef('so.order_id', '=', 'orders.id')
              .where('so.state', 'in', ['held', 'needs_attention']).where('so.supplier_order_id', 'is', null).where('so.attempts', '=', 0))
          ]))
          .limit(1000).execute()
        : []
      for (const order of waiting) if (boss) await sendJob(boss, 'order.route', { orderId: order.id }, { trx })
      return { upserted, rerouted: waiting.length }
    })
  })

  app.delete('/mappings/:id', {
    schema: {
      summary: 'Delete one mapping',
      params: z.object({ id: z.uuid({ error: 'must be a mapping id (uuid)' }) }),
      response: { 204: z.null().describe('deleted'), 404: errorShape }
    }
  }, async (request, reply) => {
    if (!await deleteMapping(db, request.params.id)) throw new AppError('not_found', `no mapping ${request.params.id}`)
    return reply.code(204).send(null)
  })

  app.post('/mappings/import/:supplier', {
    schema: {
      summary: 'Import mappings from a supplier catalog (runs in the background; poll the import)',
      params: z.object({ supplier: z.string().refine((value) => registry.names.includes(value), { error: `must be ${registry.names.join(' or ')}` }) }),
      response: { 202: z.object({ import: importShape, alreadyRunning: z.boolean() }) }
    }
  }, async (request, reply) => {
    if (!boss) throw new AppError('not_configured', 'this replica cannot send jobs')
    const started = await startImport(db, boss, request.params.supplier)
    const progress = await importProgress(db, started.id)
    return reply.code(202).header('location', `/v1/mappings/imports/${started.id}`).send({ import: progress!, alreadyRunning: started.alreadyRunning })
  })

  app.get('/mappings/imports/:id', {
    schema: {
      summary: 'Progress of a mapping import',
      params: z.object({ id: z.uuid({ error: 'must be an import id (uuid)' }) }),
      response: { 200: importShape, 404: errorShape }
    }
  }, async (request) => {
    const progress = await importProgress(db, request.params.id)
    if (!progress) throw new AppError('not_found', `no import ${request.params.id}`)
    return progress
  })

  app.get('/mappings/unmapped', {
    schema: {
      summary: 'Store variants no mapping routes, and lines owned by a fulfillment service',
      querystring: z.object({
        limit: z.coerce.number().int().min(1).max(1000).default(250),
        cursor: z.string().max(2000).optional()
      }),
      response: {
        200: z.object({
          variants: z.array(z.object({ variantId: z.string(), sku: z.string().nullable(), title: z.string(), product: z.object({ id: z.string(), title: z.string(), vendor: z.string() }) })),
          nextCursor: z.string().nullable(),
          variantsScanned: z.number(),
          fulfillmentServiceLines: z.array(z.object({ fulfillmentService: z.string(), variantId: z.string().nullable(), sku: z.string().nullable(), title: z.string().nullable(), orders: z.number(), lastOrder: z.string().nullable(), lastSeenAt: z.string() }))
        })
      }
    }
  }, async (request) => {
    if (!shopify) throw new AppError('not_configured', 'the Shopify store is not configured (SHOPIFY_SHOP_DOMAIN and credentials): the report reads its variants')
    const { limit, cursor } = request.query
    return unmappedReport(db, shopify, { limit, maxPages: 20, ...(cursor ? { cursor } : {}) })
  })
}
