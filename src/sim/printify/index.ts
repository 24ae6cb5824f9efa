// startPrintifySimulator: a Printify v1 API on loopback, with signed webhooks
// and the shop's auto-send of on-hold orders. See docs/simulators.md for what
// it does not reproduce.
import { createHmac } from 'node:crypto'
import { z } from 'zod'
import { advanceSchema, type Advance } from '../common/advance.ts'
import { baseControl, createSimServer, serveSimulator, type BaseControl, type RunningSimulator } from '../common/server.ts'
import type { RateLimitSettings } from '../common/rate-limit.ts'
import { WebhookSender, type WebhookRetryPolicy } from '../common/webhook-sender.ts'
import { printifyErrorBody } from './orders.ts'
import { printifyMapError, registerPrintifyRoutes, type PrintifyWebhook } from './routes.ts'
import { allPublishDetails, PrintifyProductStore, type PrintifyProductPatch, type PublishDetails } from './products.ts'
import { PrintifyState, type PrintifyShop, type ShopOrderIdMode } from './state.ts'
import { defaultPrintifyProducts, printifyTime, type PyOrder, type SimPrintifyProduct } from './wire.ts'

export interface PrintifySimOptions {
  readonly port?: number
  readonly host?: string
  readonly token?: string
  /** sales_channel "custom_integration" is an API shop; "shopify" imports the store's orders itself. */
  readonly shop?: Partial<PrintifyShop>
  readonly products?: readonly SimPrintifyProduct[]
  /** Default 600 per 60 s per account (§2.2). */
  readonly rateLimit?: RateLimitSettings
  /** On-hold orders go to production by themselves after this long; null = manual. Default 24 h (§2.4). */
  readonly autoSendAfterMs?: number | null
  /** HTTP status of validation refusals: the docs show 400, the table lists 422 (§2.2). */
  readonly validationStatus?: 400 | 422
  /** How long a new order stays `pending`, refusing send_to_production with 8502 (default defaultPendingForMs; 0 = on hold at once). */
  readonly pendingForMs?: number
  /** What metadata.shop_order_id holds (default `absent`: our text external_id does not come back). */
  readonly shopOrderId?: ShopOrderIdMode
  /** Default 200 per 30 minutes for publish.json (§2.2). */
  readonly publishLimit?: RateLimitSettings
  readonly webhookUrl?: string
  readonly webhookSecret?: string
  /**
   * Default: 3 retries, then the webhook is blocked for 1 hour (§2.5). The
   * retry intervals are not documented; one minute each is assumed.
   */
  readonly webhookRetry?: WebhookRetryPolicy
  readonly now?: () => number
}

export interface PrintifyControl extends BaseControl {
  advance (orderId: string, step: Advance): Promise<PyOrder>
  order (orderId: string): PyOrder | undefined
  orders (): PyOrder[]
  setAutoSendAfter (ms: number | null): void
  /** Sends the on-hold orders whose auto-send time has come on the simulator's clock; awaits their webhooks. */
  runDueAutoSends (): Promise<PyOrder[]>
  setValidationStatus (status: 400 | 422): void
  setPendingFor (ms: number): void
  setShopOrderId (mode: ShopOrderIdMode): void
  settleWebhooks (): Promise<void>
  /** The product as GET products/{id}.json shows it (`is_locked`, `external`), or undefined. */
  product (productId: string): Record<string, unknown> | undefined
  /** Adds a product, or replaces the one with its id (refused while it is locked). */
  putProduct (product: SimPrintifyProduct): void
  /** The merchant's edits in Printify: price in cents, enabled (refused while the product is locked). */
  updateProduct (productId: string, patch: PrintifyProductPatch): void
  /** The merchant presses Publish: the product is locked and product:publish:started sent (not counted in the API's publish limit); awaits the webhook. */
  publishProduct (productId: string, details?: Partial<PublishDetails>): Promise<void>
  /** The merchant deletes the product: product:deleted; awaits the webhook. */
  deleteProduct (productId: string): Promise<void>
  setPublishLimit (settings: RateLimitSettings): void
}

export const printifySimDefaults = { token: 'py-sim-token', shopId: 5432, webhookSecret: 'py-sim-webhook-secret' } as const

export async function startPrintifySimulator (options: PrintifySimOptions = {}): Promise<RunningSimulator<PrintifyControl>> {
  const now = options.now ?? Date.now
  const token = options.token ?? printifySimDefaults.token
  const secret = options.webhookSecret ?? printifySimDefaults.webhookSecret
  let nextEvent = 1
  let nextWebhook = 1
  // A uuid-shaped event id from a sequence, so a run is reproducible.
  const eventId = () => `00000000-0000-4000-8000-${(nextEvent++).toString(16).padStart(12, '0')}`
  // X-Pfy-Signature: sha256=<hex HMAC-SHA256 of the raw body> (§2.5 "Securing your Webhooks").
  const signWith = (key: string | undefined) => (body: string): Record<string, string> => key ? { 'x-pfy-signature': `sha256=${createHmac('sha256', key).update(body).digest('hex')}` } : {}
  // Two ways in: webhooks made over the API (one per topic and URL, each
  // signed with its own secret), and the control API's URL (a test's
  // shortcut: every topic, signed with the simulator's secret).
  const registered: PrintifyWebhook[] = []
  const webhooks = new WebhookSender({
    ...(options.webhookUrl ? { url: options.webhookUrl } : {}),
    retry: options.webhookRetry ?? { delaysMs: [60_000, 60_000, 60_000], blockForMs: 3_600_000 },
    now,
    sign: signWith(secret)
  })
  const shop: PrintifyShop = { id: printifySimDefaults.shopId, title: 'Simulated API shop', sales_channel: 'custom_integration', ...options.shop }
  const send = (type: string, event: unknown) => {
    for (const hook of registered.filter((w) => w.topic === type)) webhooks.sendLaterTo({ url: hook.url, sign: signWith(hook.secret) }, type, event)
    webhooks.sendLater(type, event)
  }
  const products = new PrintifyProductStore({
    products: options.products ?? defaultPrintifyProducts,
    shopId: shop.id,
    now,
    ...(options.publishLimit ? { publishLimit: options.publishLimit } : {}),
    emit: (type, productId, data) => { send(type, { id: eventId(), type, created_at: printifyTime(now()), resource: { id: productId, type: 'product', data } }) }
  })
  const state = new PrintifyState({
    shop,
    // One list: orders name the products the shop has now.
    products: products.products,
    autoSendAfterMs: options.autoSendAfterMs === undefined ? 24 * 3_600_000 : options.autoSendAfterMs,
    now,
    // Envelope {id (uuid), type, created_at, resource:{id, type, data}} (§2.5).
    emit: (type, order, data) => {
      send(type, { id: eventId(), type, created_at: printifyTime(now()), resource: { id: order.id, type: 'order', data } })
    }
  })
  if (options.validationStatus) state.validationStatus = options.validationStatus
  if (options.pendingForMs !== undefined) state.pendingForMs = options.pendingForMs
  if (options.shopOrderId) state.shopOrderId = options.shopOrderId
  const core = createSimServer({
    name: 'printify',
    errorBody: (status, message) => printifyErrorBody(status, message, message),
    mapError: printifyMapError,
    rateLimit: options.rateLimit ?? { limit: 600, windowMs: 60_000 },
    // "Counted per account, not per token" (§2.2): the simulator is one account.
    rateKey: () => 'account',
    now,
    webhooks
  })
  // Ids shaped like Printify's (24 hex digits), from a sequence.
  registerPrintifyRoutes(core.app, state, products, { token }, registered, () => (nextWebhook++).toString(16).padStart(24, '0'))

  const control: PrintifyControl = {
    ...baseControl(core),
    advance: async (orderId, step) => {
      const order = state.advance(state.get(orderId), advanceSchema.parse(step))
      await webhooks.settle()
      return order
    },
    order: (orderId) => state.orders.has(orderId) ? state.get(orderId) : undefined,
    orders: () => state.list(),
    setAutoSendAfter: (ms) => { state.autoSendAfterMs = ms },
    runDueAutoSends: async () => {
      const sent = state.runDueAutoSends()
      await webhooks.settle()
      return sent
    },
    setValidationStatus: (status) => { state.validationStatus = status },
    setPendingFor: (ms) => { state.pendingForMs = ms },
    setShopOrderId: (mode) => { state.shopOrderId = mode },
    settleWebhooks: () => webhooks.settle(),
    product: (productId) => {
      const product = products.products.find((p) => p.id === productId)
      return product ? products.wire(product) : undefined
    },
    putProduct: (product) => { products.put(product) },
    updateProduct: (productId, patch) => { products.update(productId, patch) },
    publishProduct: async (productId, details = {}) => {
      products.publish(productId, { ...allPublishDetails, ...details })
      await webhooks.settle()
    },
    deleteProduct: async (productId) => {
      products.delete(productId)
      await webhooks.settle()
    },
    setPublishLimit: (settings) => { products.publishLimiter.set(settings) }
  }
  core.app.post('/_control/orders/:id/advance', (request) => control.advance(z.object({ id: z.string() }).parse(request.params).id, advanceSchema.parse(request.body)))
  core.app.get('/_control/orders', (_request, reply) => reply.send(control.orders()))
  core.app.post('/_control/auto-send', () => control.runDueAutoSends())
  core.app.put('/_control/shop', (request, reply) => {
    const body = z.object({
      autoSendAfterMs: z.number().int().min(0).nullable().optional(),
      validationStatus: z.union([z.literal(400), z.literal(422)]).optional(),
      pendingForMs: z.number().int().min(0).optional(),
      shopOrderId: z.enum(['absent', 'other', 'echo']).optional()
    }).parse(request.body)
    if (body.autoSendAfterMs !== undefined) control.setAutoSendAfter(body.autoSendAfterMs)
    if (body.validationStatus !== undefined) control.setValidationStatus(body.validationStatus)
    if (body.pendingForMs !== undefined) control.setPendingFor(body.pendingForMs)
    if (body.shopOrderId !== undefined) control.setShopOrderId(body.shopOrderId)
    return reply.code(204).send()
  })

  const productId = (request: { params: unknown }) => z.object({ id: z.string() }).parse(request.params).id
  core.app.get('/_control/products/:id', (request, reply) => {
    const product = control.product(productId(request))
    return product ? reply.send(product) : reply.code(404).send(printifyErrorBody(404, 'Product not found.', 'Product not found.'))
  })
  core.app.put('/_control/products/:id', (request, reply) => {
    control.updateProduct(productId(request), z.object({
      title: z.string().optional(), description: z.string().optional(), tags: z.array(z.string()).optional(),
      variants: z.array(z.object({ id: z.number().int(), price: z.number().int().min(0).optional(), is_enabled: z.boolean().optional() })).optional()
    }).parse(request.body ?? {}))
    return reply.code(204).send()
  })
  core.app.post('/_control/products/:id/publish', async (request, reply) => {
    await control.publishProduct(productId(request), z.record(z.string(), z.boolean()).parse(request.body ?? {}))
    return reply.code(204).send()
  })
  core.app.delete('/_control/products/:id', async (request, reply) => {
    await control.deleteProduct(productId(request))
    return reply.code(204).send()
  })

  return serveSimulator(core, control, webhooks, options, () => { state.close() })
}
