// Printify v1 API routes (suppliers.md §2): bearer auth and the required
// User-Agent (§2.1), the documented error body (§2.2), shops, orders,
// products and webhook registration.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { printifyErrorBody, PrintifySimError, submitSchema } from './orders.ts'
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

export function registerPrintifyRoutes (app: FastifyInstance, state: PrintifyState, auth: PrintifyAuth, webhooks: PrintifyWebhook[], newId: () => string): void {
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
    return reply.send(page(state.products.map(productWire), query.page, query.limit, `/v1/shops/${String(state.shop.id)}/products.json`))
  })

  app.get('/v1/shops/:shop/products/:id.json', (request, reply) => {
    shop(request)
    const product = state.products.find((p) => p.id === orderId(request))
    if (!product) throw new PrintifySimError(404, 404, 'Product not found.')
    return reply.send(productWire(product))
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

function productWire (product: PrintifyState['products'][number]): Record<string, unknown> {
  return {
    id: product.id, title: product.title, description: '', tags: [], options: [], images: [], created_at: '2024-01-01 00:00:00+00:00', updated_at: '2024-01-01 00:00:00+00:00',
    visible: true, is_locked: false, blueprint_id: product.blueprintId, user_id: 1, shop_id: 1, print_provider_id: product.printProviderId, print_areas: [], sales_channel_properties: [],
    variants: product.variants.map((v) => ({ id: v.id, sku: v.sku, cost: v.cost, price: v.price, title: v.title, grams: 150, is_enabled: true, is_default: false, is_available: true, options: [] }))
  }
}
