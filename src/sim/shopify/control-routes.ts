// The control API over HTTP, for `pod-bridge sim` users and the demo: the same
// operations as the typed store object, JSON in and out, errors as
// {"error":{"code","message"}} like the bridge's own API.
import type { FastifyInstance, FastifyReply } from 'fastify'
import { z } from 'zod'
import { AppError, isAppError } from '../../lib/errors.ts'
import { cancelInputSchema, createOrderInputSchema, editOrderInputSchema, holdInputSchema, lineInputSchema, locationInputSchema, moveInputSchema, productEditInputSchema, refundInputSchema, variantInputSchema } from './store/control-inputs.ts'
import type { ShopifySimStore } from './store-control.ts'

const failSchema = z.object({
  count: z.number().int().positive().default(1),
  kind: z.enum(['http_500', 'http_503', 'internal_error', 'unauthorized', 'timeout', 'reset', 'answer_lost'])
})
const throttleSchema = z.object({
  count: z.number().int().positive().default(1),
  requestedQueryCost: z.number().positive().optional(),
  currentlyAvailable: z.number().nonnegative().optional(),
  restoreRate: z.number().positive().optional()
})
const costThrottleSchema = z.union([
  z.object({ restoreRate: z.number().positive(), maximumAvailable: z.number().positive().optional(), clockFactor: z.number().positive().optional() }),
  // null or an empty body: off
  z.null(),
  z.object({}).strict().transform(() => null)
])
const variantCountSchema = z.object({ count: z.number().int().nonnegative() })
const shopSchema = z.object({ currencyCode: z.string() })
const idParams = z.object({ id: z.string().min(1) })
const fulfillSchema = z.object({
  lineItems: z.array(z.object({ id: z.string(), quantity: z.number().int().positive() })).optional(),
  tracking: z.object({ company: z.string().optional(), number: z.string().optional(), url: z.string().optional() }).optional()
})

function sendError (reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof z.ZodError) return reply.code(400).send({ error: { code: 'bad_request', message: err.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ') } })
  if (isAppError(err)) return reply.code(err.status).send({ error: { code: err.code, message: err.message } })
  return reply.code(500).send({ error: { code: 'internal', message: err instanceof Error ? err.message : String(err) } })
}

export function registerControlRoutes (app: FastifyInstance, store: ShopifySimStore): void {
  const route = (path: string, handler: (params: { id: string }, body: unknown) => unknown): void => {
    app.post(path, async (request, reply) => {
      try {
        const params = path.includes(':id') ? idParams.parse(request.params) : { id: '' }
        const result = await handler(params, request.body ?? {})
        return await reply.code(200).send(result ?? { ok: true })
      } catch (err) {
        return sendError(reply, err)
      }
    })
  }
  // Ids in paths may be GIDs: encode them (gid%3A%2F%2Fshopify%2FOrder%2F1) or pass the numeric id.
  route('/_control/orders', (_p, body) => store.createOrder(createOrderInputSchema.parse(body)))
  route('/_control/orders/:id/pay', ({ id }) => store.pay(id))
  route('/_control/orders/:id/edit', ({ id }, body) => store.edit(id, editOrderInputSchema.parse(body)))
  route('/_control/orders/:id/lines', async ({ id }, body) => ({ lineItemId: await store.addLine(id, lineInputSchema.parse(body)) }))
  route('/_control/orders/:id/refund', ({ id }, body) => store.refund(id, refundInputSchema.parse(body)))
  route('/_control/orders/:id/cancel', ({ id }, body) => store.cancel(id, cancelInputSchema.parse(body)))
  route('/_control/fulfillment-orders/:id/hold', ({ id }, body) => store.holdFulfillmentOrder(id, holdInputSchema.parse(body)))
  route('/_control/fulfillment-orders/:id/release', ({ id }) => store.releaseHold(id))
  route('/_control/fulfillment-orders/:id/fulfill', async ({ id }, body) => {
    const input = fulfillSchema.parse(body)
    const tracking = input.tracking ? Object.fromEntries(Object.entries(input.tracking).filter(([, v]) => v !== undefined)) : undefined
    return { fulfillmentId: await store.fulfill(id, input.lineItems, tracking) }
  })
  route('/_control/fulfillment-orders/:id/move', async ({ id }, body) => ({ fulfillmentOrderId: await store.moveFulfillmentOrder(id, moveInputSchema.parse(body).location) }))
  route('/_control/locations', (_p, body) => store.addLocation(locationInputSchema.parse(body)))
  route('/_control/variants', (_p, body) => store.addProductVariant(variantInputSchema.parse(body)))
  route('/_control/throttle', (_p, body) => {
    const { count, ...options } = throttleSchema.parse(body)
    store.throttleNext(count, Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)))
  })
  route('/_control/fail', (_p, body) => {
    const { count, kind } = failSchema.parse(body)
    store.failNext(count, kind)
  })
  // Body { restoreRate, maximumAvailable?, clockFactor? } switches Shopify's cost throttle on; null or {} off.
  route('/_control/cost-throttle', (_p, body) => {
    const settings = costThrottleSchema.parse(body)
    store.setCostThrottle(settings === null ? null : { restoreRate: settings.restoreRate, ...(settings.maximumAvailable !== undefined ? { maximumAvailable: settings.maximumAvailable } : {}), ...(settings.clockFactor !== undefined ? { clockFactor: settings.clockFactor } : {}) })
    return { costThrottle: store.costThrottle() }
  })
  route('/_control/revoke-tokens', () => { store.revokeTokens() })
  route('/_control/webhooks/:id/redeliver', ({ id }) => store.redeliver(id))
  route('/_control/products/:id/edit', ({ id }, body) => store.editProduct(id, productEditInputSchema.parse(body)))
  route('/_control/products/:id/delete', ({ id }) => store.deleteProduct(id))
  route('/_control/shop', (_p, body) => {
    store.setCurrency(shopSchema.parse(body).currencyCode)
    return { currencyCode: store.currency() }
  })
  route('/_control/variant-count', (_p, body) => {
    store.setVariantCount(variantCountSchema.parse(body).count)
    return { count: store.variantCount() }
  })

  const read = (path: string, handler: (id: string) => unknown): void => {
    app.get(path, async (request, reply) => {
      try {
        const { id } = path.includes(':id') ? idParams.parse(request.params) : { id: '' }
        return await reply.send(handler(id))
      } catch (err) {
        return sendError(reply, err)
      }
    })
  }
  read('/_control/orders/:id', (id) => store.order(id))
  read('/_control/orders/:id/fulfillment-orders', (id) => store.fulfillmentOrders(id))
  read('/_control/orders/:id/fulfillments', (id) => store.fulfillments(id))
  read('/_control/requests', () => store.requests())
  read('/_control/webhooks', () => store.webhooks())
  read('/_control/products', () => store.products())
  read('/_control/products/:id', (id) => store.product(id))
  read('/_control/shop', () => ({ currencyCode: store.currency() }))
  read('/_control/cost-throttle', () => ({ costThrottle: store.costThrottle() }))
  read('/_control/product-set-calls', () => ({ count: store.productSetCalls() }))
  app.setNotFoundHandler((_request, reply) => sendError(reply, new AppError('not_found', 'no such simulator route')))
}
