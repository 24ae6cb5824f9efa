// Gelato API routes: the Order API v4 and the Product API v3 on one server
// (the service is pointed at it for both hosts), the key in X-API-KEY
// (https://dashboard.gelato.com/docs/ "Authentication"). Gelato's paths carry a
// colon verb (`/v4/orders:search`, `/v4/orders/{id}:cancel`), which Fastify
// reads as a parameter: those are matched by hand under one wildcard.
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { gelatoErrorBody, GelatoSimError, type CreateBody, type GelatoState } from './state.ts'
import type { GtSimOrder } from './wire.ts'

export function gelatoMapError (err: unknown): { status: number, body: unknown } | undefined {
  if (err instanceof GelatoSimError) return { status: err.status, body: gelatoErrorBody(err.code, err.message) }
  if (err instanceof z.ZodError) return { status: 400, body: gelatoErrorBody('invalid_argument', err.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')) }
  if (err instanceof Error && 'code' in err && typeof err.code === 'string' && err.code.startsWith('FST_ERR_CTP')) return { status: 400, body: gelatoErrorBody('invalid_argument', 'Malformed JSON.') }
  return undefined
}

const searchSchema = z.object({
  orderReferenceIds: z.array(z.string()).optional(),
  ids: z.array(z.string()).optional(),
  // The docs give limit/offset without a default or maximum: 50 and 100 are assumed.
  limit: z.number().int().min(1).default(50).transform((n) => Math.min(n, 100)),
  offset: z.number().int().min(0).default(0)
}).loose()

/** The search's summary fields (v4/search "Response example"). */
function summary (o: GtSimOrder): Record<string, unknown> {
  return {
    id: o.id, orderReferenceId: o.orderReferenceId, customerReferenceId: o.customerReferenceId, fulfillmentStatus: o.fulfillmentStatus, financialStatus: o.financialStatus,
    currency: o.currency, channel: o.channel, storeId: o.storeId, orderType: o.orderType, connectedOrderIds: o.connectedOrderIds, country: o.shippingAddress.country ?? '',
    firstName: o.shippingAddress.firstName ?? '', lastName: o.shippingAddress.lastName ?? '', itemsCount: o.items.length, createdAt: o.createdAt, updatedAt: o.updatedAt, orderedAt: o.orderedAt
  }
}

/** The documented order object, without the simulator's own `comment`. */
function orderWire (o: GtSimOrder): Omit<GtSimOrder, 'comment'> {
  const { comment: _comment, ...wire } = o
  return wire
}

export function registerGelatoRoutes (app: FastifyInstance, state: GelatoState, auth: { readonly apiKey: string }): void {
  app.addHook('preHandler', async (request, reply) => {
    if (request.url.startsWith('/_control/') || reply.sent) return
    if (request.headers['x-api-key'] !== auth.apiKey) return reply.code(401).send(gelatoErrorBody('unauthenticated', 'Invalid API key.'))
  })

  app.post('/v4/orders', (request, reply) => reply.send(orderWire(state.create((request.body ?? {}) as CreateBody))))
  app.get('/v4/orders/:id', (request, reply) => reply.send(orderWire(state.get(z.object({ id: z.string() }).parse(request.params).id))))
  app.post('/v4/*', (request, reply) => {
    const path = request.url.split('?')[0] ?? ''
    if (path === '/v4/orders:search') {
      const body = searchSchema.parse(request.body ?? {})
      return reply.send({ orders: state.search(body).map(summary) })
    }
    const cancel = /^\/v4\/orders\/([^/:]+):cancel$/.exec(path)
    if (cancel?.[1]) {
      state.cancel(state.get(decodeURIComponent(cancel[1])))
      return reply.code(200).send({})
    }
    throw new GelatoSimError(404, 'not_found', 'Not Found')
  })

  app.get('/v3/catalogs', (_request, reply) => reply.send(state.catalogs.map((c) => ({ catalogUid: c.catalogUid, title: c.title }))))
  app.post('/v3/*', (request, reply) => {
    const path = request.url.split('?')[0] ?? ''
    const match = /^\/v3\/catalogs\/([^/:]+)\/products:search$/.exec(path)
    const catalog = match?.[1] ? state.catalogs.find((c) => c.catalogUid === decodeURIComponent(match[1] ?? '')) : undefined
    if (!catalog) throw new GelatoSimError(404, 'not_found', 'Catalog not found.')
    const page = z.object({ limit: z.number().int().min(1).default(50).transform((n) => Math.min(n, 100)), offset: z.number().int().min(0).default(0) }).loose().parse(request.body ?? {})
    return reply.send({ products: catalog.products.slice(page.offset, page.offset + page.limit).map((p) => ({ productUid: p.productUid, attributes: p.attributes })), hits: { attributeHits: {} } })
  })
}
