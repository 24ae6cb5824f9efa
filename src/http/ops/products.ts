// /v1/products: the products the push has seen, with their last push, and
// POST /v1/products/push, which queues a push of one product or of a
// supplier's whole catalogue (one job per product), or with dryRun says what
// a push would do without writing anywhere (DESIGN.md "Contracts").
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { AppError } from '../../lib/errors.ts'
import { sendJob } from '../../queue/boss.ts'
import { dryRunPush, type DryRunResult, type ProductDeps } from '../../products/push.ts'
import { listProducts, productTimeline } from '../../products/records.ts'
import { encodeCursor, decodeCursor } from '../../orders/routing/mappings.ts'
import { errorResponses } from './schemas.ts'
import type { OpsDeps } from './deps.ts'

const outcomes = ['created', 'updated', 'unchanged', 'failed', 'archived', 'withdrawn'] as const

const productShape = z.object({
  id: z.uuid(),
  supplier: z.string(),
  supplierProductId: z.string(),
  title: z.string().nullable(),
  shopifyProductId: z.string().nullable(),
  handle: z.string().nullable(),
  storeStatus: z.string().nullable(),
  variants: z.number(),
  lastPushAt: z.string().nullable(),
  outcome: z.string().nullable(),
  reason: z.string().nullable(),
  acknowledgedAt: z.string().nullable().describe('when the supplier was told the last outcome (its publish answer, or its variants\' ids written back)')
})

const dryRunShape = z.object({ supplier: z.string(), productId: z.string(), plan: z.enum(['create', 'update', 'unchanged', 'refused']), changed: z.array(z.string()).optional(), reason: z.string().optional() })

/** Suppliers whose products are pushed on demand (Printful); a publishing supplier (Printify) pushes by publishing. */
function onDemandSuppliers (products: ProductDeps): string[] {
  return products.registry.names.filter((name) => products.suppliers[name]?.products?.trigger === 'on_demand')
}

export const productRoutes: FastifyPluginAsyncZod<OpsDeps> = async (app, { db, boss, registry, products, waker }) => {
  app.get('/products', {
    schema: {
      summary: 'Products the push has seen, most recently pushed first, with the last outcome',
      querystring: z.object({
        supplier: z.string().refine((value) => registry.names.includes(value), { error: `must be ${registry.names.join(' or ')}` }).optional(),
        outcome: z.enum(outcomes).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
        cursor: z.string().max(2000).optional()
      }).strict(),
      response: { 200: z.object({ products: z.array(productShape), nextCursor: z.string().nullable() }), ...errorResponses }
    }
  }, async (request) => {
    const { supplier, outcome, limit, cursor } = request.query
    const decoded = cursor ? decodeCursor(cursor) : undefined
    const page = await listProducts(db, { limit, ...(supplier ? { supplier } : {}), ...(outcome ? { outcome } : {}), ...(decoded ? { cursor: { at: decoded[0], id: decoded[1] } } : {}) })
    return { products: page.products, nextCursor: page.nextCursor ? encodeCursor(page.nextCursor.at, page.nextCursor.id) : null }
  })

  app.get('/products/:id', {
    schema: {
      summary: 'One pushed product with its timeline',
      params: z.object({ id: z.uuid({ error: 'must be a product id (uuid) from GET /v1/products' }) }),
      response: { 200: z.object({ product: productShape, timeline: z.array(z.object({ at: z.string(), kind: z.string(), outcome: z.string().nullable(), detail: z.string().nullable(), error: z.string().nullable() })) }), ...errorResponses }
    }
  }, async (request) => {
    const [product] = (await listProducts(db, { limit: 1, id: request.params.id })).products
    if (!product) throw new AppError('not_found', `no product ${request.params.id}`)
    return { product, timeline: await productTimeline(db, request.params.id) }
  })

  app.post('/products/push', {
    schema: {
      summary: 'Push products into the store: one (productId) or every product of the on-demand suppliers; dryRun says what would change',
      body: z.object({
        supplier: z.string().refine((value) => registry.names.includes(value), { error: `must be ${registry.names.join(' or ')}` }).optional(),
        productId: z.string().trim().min(1).max(100).optional(),
        dryRun: z.boolean().default(false)
      }).strict(),
      response: {
        200: z.object({ dryRun: z.literal(true), plans: z.array(dryRunShape) }),
        202: z.object({ queued: z.array(z.object({ supplier: z.string(), productId: z.string().optional() })) }),
        ...errorResponses
      }
    }
  }, async (request, reply) => {
    if (!products) throw new AppError('not_configured', 'this replica has no suppliers or store to push products with')
    const { supplier, productId, dryRun } = request.body
    const candidates = onDemandSuppliers(products)
    if (supplier && !candidates.includes(supplier)) {
      const source = products.suppliers[supplier]?.products
      throw new AppError('bad_request', source
        ? `${supplier} pushes its products when they are published there (the publish request says which fields to write): publish the product at ${supplier}`
        : `${supplier} is not configured, or has no products to push`)
    }
    const targets = supplier ? [supplier] : candidates
    if (targets.length === 0) throw new AppError('not_configured', 'no configured supplier pushes products on demand')
    if (productId && targets.length > 1) throw new AppError('bad_request', `name the supplier of product ${productId} (one of ${targets.join(', ')})`)

    if (dryRun) {
      const plans: DryRunResult[] = []
      for (const name of targets) {
        if (productId) plans.push(await dryRunPush(products, { supplier: name, productId, trigger: 'ops' }))
        else for await (const listed of products.suppliers[name]!.products!.list()) plans.push(await dryRunPush(products, { supplier: name, productId: listed.id, trigger: 'ops' }, listed))
      }
      return reply.code(200).send({ dryRun: true as const, plans: plans.map(({ changed, ...p }) => ({ ...p, ...(changed ? { changed: [...changed] } : {}) })) })
    }
    if (!boss) throw new AppError('not_configured', 'this replica cannot send jobs')
    for (const name of targets) {
      if (productId) await sendJob(boss, 'product.push', { action: 'push', supplier: name, productId, trigger: 'ops' })
      else await sendJob(boss, 'product.push', { action: 'push_all', supplier: name })
    }
    waker?.wake('product.push')
    return reply.code(202).send({ queued: targets.map((name) => ({ supplier: name, ...(productId ? { productId } : {}) })) })
  })
}
