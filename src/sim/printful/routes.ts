// Printful v1 API routes: the {code,result} envelope, {code,result,error}
// errors (suppliers.md §1.2), bearer auth with X-PF-Store-Id for account-level
// tokens (§1.1), and the order, store and sync-product endpoints.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { orderBodySchema, parseOrderBody, PrintfulSimError } from './orders.ts'
import { ratesFor } from './shipping.ts'
import type { PrintfulState } from './state.ts'
import type { SyncProductStore } from './sync-products.ts'

const id = z.union([z.string().min(1), z.number().int()])
const ratesBodySchema = z.object({
  recipient: z.object({ address1: z.string().min(1), city: z.string().min(1), country_code: z.string().length(2), state_code: z.string().nullish(), zip: z.union([z.string(), z.number()]).nullish(), phone: z.string().nullish() }),
  items: z.array(z.object({ variant_id: id.optional(), external_variant_id: id.optional(), warehouse_product_variant_id: id.optional(), quantity: z.number().int().min(1), value: z.string().optional() })).min(1),
  currency: z.string().length(3).optional(),
  locale: z.string().optional()
})

/** v1 event types (suppliers.md §1.8). */
export const printfulEventTypes: readonly string[] = [
  'package_shipped', 'package_returned', 'order_created', 'order_updated', 'order_failed', 'order_canceled',
  'order_put_hold', 'order_put_hold_approval', 'order_remove_hold', 'product_synced', 'product_updated', 'product_deleted', 'stock_updated'
]

/** WebhookInfo as GET /webhooks answers it: with nothing configured, url null and no types. */
export interface PrintfulWebhookInfo { readonly url: string | null, readonly types: readonly string[], readonly params: unknown }

export interface PrintfulWebhookConfig {
  get (): PrintfulWebhookInfo
  /** undefined disables webhooks (DELETE /webhooks). */
  set (config: { url: string, types: readonly string[], params: unknown } | undefined): PrintfulWebhookInfo
}

export function printfulError (status: number, message: string, reason?: string): unknown {
  const reasons: Record<number, string> = { 400: 'BadRequest', 401: 'BadRequest', 403: 'Forbidden', 404: 'NotFound', 429: 'TooManyRequests', 500: 'InternalServerError' }
  return { code: status, result: message, error: { reason: reason ?? reasons[status] ?? 'Error', message } }
}

const flag = z.enum(['true', 'false', '1', '0']).optional().transform((v) => v === 'true' || v === '1')
const paging = (max: number, dflt: number) => z.object({
  offset: z.coerce.number().int().min(0).default(0),
  // "limit at most 100" (§1.5): larger values are clamped, not refused.
  limit: z.coerce.number().int().min(1).default(dflt).transform((n) => Math.min(n, max))
})

export function printfulMapError (err: unknown): { status: number, body: unknown } | undefined {
  if (err instanceof PrintfulSimError) return { status: err.status, body: printfulError(err.status, err.message, err.reason) }
  if (err instanceof z.ZodError) return { status: 400, body: printfulError(400, 'Invalid parameter') }
  // A body that is not JSON: "430 INVALID JSON" is a code in the body (§1.2 error table), sent with HTTP 400 here.
  if (err instanceof Error && 'code' in err && typeof err.code === 'string' && err.code.startsWith('FST_ERR_CTP')) {
    return { status: 400, body: { code: 430, result: 'Invalid JSON', error: { reason: 'BadRequest', message: err.message } } }
  }
  return undefined
}

export interface PrintfulAuth { readonly token: string, readonly accountLevelToken: boolean }

export function registerPrintfulRoutes (app: FastifyInstance, state: PrintfulState, sync: SyncProductStore, auth: PrintfulAuth, hooks: PrintfulWebhookConfig): void {
  app.addHook('preHandler', async (request, reply) => {
    if (request.url.startsWith('/_control/') || reply.sent) return
    const header = request.headers.authorization ?? ''
    const match = /^Bearer (\S+)$/.exec(header)
    if (!match) return reply.code(401).send(printfulError(401, 'Malformed Authorization header.'))
    if (match[1] !== auth.token) return reply.code(401).send(printfulError(401, 'The access token provided is invalid.', 'Unauthorized'))
    const scoped = request.url.startsWith('/orders') || request.url.startsWith('/store/') || request.url.startsWith('/webhooks') || request.url.startsWith('/shipping/')
    if (scoped && auth.accountLevelToken) {
      const storeId = request.headers['x-pf-store-id']
      // "required only for account level token" (§1.1).
      if (storeId === undefined) return reply.code(400).send(printfulError(400, 'This endpoint requires a store: send the X-PF-Store-Id header'))
      if (String(storeId) !== String(state.store.id)) return reply.code(404).send(printfulError(404, 'Store not found'))
    }
  })

  const ok = (reply: FastifyReply, result: unknown, extra: Record<string, unknown> = {}) => reply.send({ code: 200, result, ...extra })
  const ref = (request: FastifyRequest) => z.object({ id: z.string() }).parse(request.params).id

  app.get('/stores', async (_request, reply) => ok(reply, [state.store]))

  app.get('/orders', async (request, reply) => {
    const query = paging(100, 20).extend({ status: z.string().optional() }).parse(request.query)
    const all = [...state.orders.values()].filter((o) => query.status === undefined || o.status === query.status).sort((a, b) => b.id - a.id)
    return ok(reply, all.slice(query.offset, query.offset + query.limit), { paging: { total: all.length, offset: query.offset, limit: query.limit } })
  })

  app.post('/orders', async (request, reply) => {
    const query = z.object({ confirm: flag, update_existing: flag }).parse(request.query)
    const order = await state.create(parseOrderBody(request.body), { confirm: query.confirm, updateExisting: query.update_existing })
    return ok(reply, order)
  })

  app.get('/orders/:id', async (request, reply) => ok(reply, state.get(ref(request))))

  app.put('/orders/:id', async (request, reply) => {
    const query = z.object({ confirm: flag }).parse(request.query)
    const body = orderBodySchema.parse(request.body ?? {})
    return ok(reply, await state.update(state.get(ref(request)), body, { confirm: query.confirm }))
  })

  app.delete('/orders/:id', async (request, reply) => ok(reply, await state.cancel(state.get(ref(request)))))

  app.post('/orders/:id/confirm', async (request, reply) => ok(reply, await state.confirm(state.get(ref(request)))))

  app.get('/store/products', async (request, reply) => {
    const query = paging(100, 20).parse(request.query)
    const list = sync.products.slice(query.offset, query.offset + query.limit).map((p) => sync.productWire(p))
    return ok(reply, list, { paging: { total: sync.products.length, offset: query.offset, limit: query.limit } })
  })

  app.get('/store/products/:id', async (request, reply) => {
    const product = sync.find(ref(request))
    return ok(reply, { sync_product: sync.productWire(product), sync_variants: product.variants.map((v) => sync.variantWire(product, v)) })
  })

  app.get('/store/variants/:id', async (request, reply) => {
    const { product, variant } = sync.variant(Number(ref(request)))
    return ok(reply, sync.variantWire(product, variant))
  })

  // "Modify a Sync Variant": only the fields sent change (printful-v1-openapi.json PUT /store/variants/{id}).
  // external_id is the one modelled; other fields are accepted and left as they are.
  app.put('/store/variants/:id', async (request, reply) => {
    const id = Number(ref(request))
    sync.variant(id)
    const body = z.object({ external_id: z.string().optional() }).loose().parse(request.body ?? {})
    if (body.external_id !== undefined) sync.setExternalId(id, body.external_id)
    const { product, variant } = sync.variant(id)
    return ok(reply, sync.variantWire(product, variant))
  })

  // POST /shipping/rates (v1 "Shipping Rate API"): CalculateShippingRates needs recipient and items;
  // AddressInfo needs address1, city and country_code, and state_code "for United States, Australia
  // and Canada"; each ItemInfo names a variant_id, external_variant_id or warehouse_product_variant_id.
  app.post('/shipping/rates', async (request, reply) => {
    const parsed = ratesBodySchema.safeParse(request.body)
    if (!parsed.success) throw new PrintfulSimError(400, `Invalid parameter: ${parsed.error.issues[0]?.path.join('.') ?? 'body'}`)
    const { recipient, items, currency } = parsed.data
    const country = recipient.country_code.toUpperCase()
    if (['US', 'CA', 'AU'].includes(country) && !recipient.state_code) throw new PrintfulSimError(400, `Recipient: State code is missing for ${country}`)
    items.forEach((item, index) => {
      if (item.variant_id === undefined && item.external_variant_id === undefined && item.warehouse_product_variant_id === undefined) throw new PrintfulSimError(400, `Item ${String(index)}: a variant id is required`)
      const external = item.external_variant_id
      if (external !== undefined && !sync.products.some((p) => p.variants.some((v) => v.externalId === String(external)))) throw new PrintfulSimError(400, `Item ${String(index)}: Sync variant not found`)
    })
    return ok(reply, ratesFor(country, currency ?? 'USD'))
  })

  // §1.8 / §5.6: one webhook configuration per store; a new POST silently replaces the old one.
  app.post('/webhooks', async (request, reply) => {
    const body = z.object({ url: z.url(), types: z.array(z.string()).min(1), params: z.record(z.string(), z.unknown()).optional() }).parse(request.body)
    const unknown = body.types.filter((type) => !printfulEventTypes.includes(type))
    if (unknown.length > 0) throw new PrintfulSimError(400, `Invalid webhook type(s): ${unknown.join(', ')}`)
    return ok(reply, hooks.set({ url: body.url, types: body.types, params: body.params ?? [] }))
  })
  app.get('/webhooks', async (_request, reply) => ok(reply, hooks.get()))
  app.delete('/webhooks', async (_request, reply) => ok(reply, hooks.set(undefined)))
}
