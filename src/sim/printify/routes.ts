// Printify v1 API routes (suppliers.md §2): bearer auth and the required
// User-Agent (§2.1), the documented error body (§2.2), shops, orders,
// products and webhook registration.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { printifyErrorBody, PrintifySimError, submitSchema } from './orders.ts'
import type { PrintifyProductStore } from './products.ts'
import type { PrintifyState } from './state.ts'
import { page } from './wire.ts'

export function printifyMapError (err: unknown): { status: number, body: unknown } | undefined {
  if (err instanceof PrintifySimError) return { status: err.status, body: printifyErrorBody(err.code, err.message, err.reason) }
  if (err instanceof z.ZodError) return { status: 400, body: printifyErrorBody(400, 'Bad request.', err.issues.map((i) => i.path.join('.')).join(', ')) }
  // "400 (bad JSON)" in the status table (§2.2).
  if (err instanceof Error && 'code' in err && typeof err.code === 'string' && err.code.startsWith('FST_ERR_CTP')) {
    return { status: 400, body: printifyErrorBody(400, 'Malformed JSON.', err.message) }
  }
  return undefined
}

export interface PrintifyAuth { readonly token: string }
/** A webhook made over the API (§2.5): one topic, one URL, its own secret. */
export interface PrintifyWebhook { readonly id: string, readonly topic: string, readonly url: string, readonly secret: string | undefined }

/** Order topics and the others the docs list (§2.5). */
export const printifyTopics: readonly string[] = ['order:created', 'order:updated', 'order:sent-to-production', 'order:shipment:created', 'order:shipment:delivered', 'shop:disconnected', 'product:deleted', 'product:publish:started']

const pageQuery = (max: number) => z.object({
  page: z.coerce.number().int().min(1).default(1),
  // "limit default 10, maximum 10" for orders (§2.4): larger values are clamped.
  limit: z.coerce.number().int().min(1).default(10).transform((n) => Math.min(n, max)),
  status: z.string().optional(),
  sku: z.string().optional()
})

export function registerPrintifyRoutes (app: FastifyInstance, state: PrintifyState, products: PrintifyProductStore, auth: PrintifyAuth, webhooks: PrintifyWebhook[], newId: () => string): void {
  app.addHook('preHandler', async (request, reply) => {
    if (request.url.startsWith('/_control/') || reply.sent) return
    // "All requests must send a User-Agent header" (§2.1); the docs do not say how a missing one is refused.
    if (!request.headers['user-agent']) return reply.code(400).send(printifyErrorBody(400, 'User-Agent header is required.', 'User-Agent header is required.'))
    if (request.headers.authorization !== `Bearer ${auth.token}`) return reply.code(401).send(printifyErrorBody(401, 'Unauthenticated.', 'Unauthenticated.'))
  })

  const shop = (request: FastifyRequest): void => {
    const { shop: id } = z.object({ shop: z.string() }).parse(request.params)
    if (id !== String(state.shop.id)) throw new PrintifySimError(404, 404, 'Shop not found.')
  }
  const orderId = (request: FastifyRequest) => z.object({ id: z.string() }).parse(request.params).id

  app.get('/v1/shops.json', (_request, reply) => reply.send([state.shop]))

  app.get('/v1/shops/:shop/orders.json', (request, reply) => {
    shop(request)
    const query = pageQuery(10).parse(request.query)
    const orders = state.list()
      .filter((o) => (query.status === undefined || o.status === query.status) && (query.sku === undefined || o.line_items.some((l) => l.metadata.sku === query.sku)))
      // Newest first, as integrations report it; the docs do not say.
      .reverse()
    return reply.send(page(orders, query.page, query.limit, `/v1/shops/${String(state.shop.id)}/orders.json`))
  })

  // Returns only {id} (§2.4).
  app.post('/v1/shops/:shop/orders.json', (request, reply) => {
    shop(request)
    return reply.send({ id: state.create(submitSchema.parse(request.body ?? {})).id })
  })

  app.get('/v1/shops/:shop/orders/:id.json', (request, reply) => { shop(request); return reply.send(state.get(orderId(request))) })

  app.post('/v1/shops/:shop/orders/:id/send_to_production.json', (request, reply) => {
    shop(request)
    return reply.send(state.sendToProduction(state.get(orderId(request))))
  })

  app.post('/v1/shops/:shop/orders/:id/cancel.json', (request, reply) => {
    shop(request)
    return reply.send(state.cancel(state.get(orderId(request))))
  })

  app.get('/v1/shops/:shop/products.json', (request, reply) => {
    shop(request)
    const query = pageQuery(50).parse(request.query)
    return reply.send(page(products.products.map((p) => products.wire(p)), query.page, query.limit, `/v1/shops/${String(state.shop.id)}/products.json`))
  })

  app.get('/v1/shops/:shop/products/:id.json', (request, reply) => {
    shop(request)
    return reply.send(products.wire(products.get(orderId(request))))
  })

  // "Update a product": only the fields sent change; a locked product refuses (./products.ts).
  app.put('/v1/shops/:shop/products/:id.json', (request, reply) => {
    shop(request)
    const patch = productPatchSchema.parse(request.body ?? {})
    return reply.send(products.wire(products.update(orderId(request), patch)))
  })

  app.delete('/v1/shops/:shop/products/:id.json', (request, reply) => {
    shop(request)
    products.delete(orderId(request))
    return reply.send({})
  })

  // "Publish a product": 200 per 30 minutes on top of the global limit, refused with 429 as any limit is (§2.2).
  app.post('/v1/shops/:shop/products/:id/publish.json', (request, reply) => {
    shop(request)
    const decision = products.takePublish()
    if (!decision.allowed) {
      return reply.code(429).header('retry-after', String(Math.max(1, Math.ceil(decision.resetMs / 1000))))
        .send(printifyErrorBody(429, 'Too Many Requests: product publishing is limited to 200 requests per 30 minutes.', 'Too Many Requests'))
    }
    products.publish(orderId(request), publishSchema.parse(request.body ?? {}))
    return reply.send({})
  })

  // "Set product publish status to succeeded": external {id, handle} are required.
  app.post('/v1/shops/:shop/products/:id/publishing_succeeded.json', (request, reply) => {
    shop(request)
    const body = z.object({ external: z.object({ id: z.union([z.string().min(1), z.number()]).transform(String), handle: z.string().min(1) }) }).parse(request.body)
    products.succeeded(orderId(request), body.external)
    return reply.send({})
  })

  // "Set product publish status to failed": a reason is required.
  app.post('/v1/shops/:shop/products/:id/publishing_failed.json', (request, reply) => {
    shop(request)
    z.object({ reason: z.string().min(1) }).parse(request.body)
    products.failed(orderId(request))
    return reply.send({})
  })

  app.post('/v1/shops/:shop/products/:id/unpublish.json', (request, reply) => {
    shop(request)
    products.unpublish(orderId(request))
    return reply.send({})
  })

  // §2.5: {topic, url, secret?} in; {topic, url, shop_id, id} out, the secret never shown back.
  const wire = (w: PrintifyWebhook) => ({ topic: w.topic, url: w.url, shop_id: state.shop.id, id: w.id })
  app.post('/v1/shops/:shop/webhooks.json', (request, reply) => {
    shop(request)
    const body = z.object({ topic: z.string(), url: z.url(), secret: z.string().optional() }).parse(request.body)
    if (!printifyTopics.includes(body.topic)) throw new PrintifySimError(400, 400, 'Invalid topic.', `Unknown topic ${body.topic}`)
    const webhook: PrintifyWebhook = { id: newId(), topic: body.topic, url: body.url, secret: body.secret }
    webhooks.push(webhook)
    return reply.send(wire(webhook))
  })
  app.get('/v1/shops/:shop/webhooks.json', (request, reply) => {
    shop(request)
    return reply.send(webhooks.map(wire))
  })
}

const productPatchSchema = z.object({
  title: z.string().min(1).optional(),
  description: z.string().optional(),
  tags: z.array(z.string()).optional(),
  variants: z.array(z.object({ id: z.number().int(), price: z.number().int().min(0).optional(), is_enabled: z.boolean().optional() })).optional()
})

/** Each field true unless sent false. */
const sync = z.boolean().default(true)
const publishSchema = z.object({ title: sync, description: sync, images: sync, variants: sync, tags: sync, keyFeatures: sync, shipping_template: sync })
