// startPrintfulSimulator: a Printful v1 API on loopback, for tests, benchmarks,
// `pod-bridge sim` and `pod-bridge demo`. See docs/simulators.md for what it
// does not reproduce.
import { z } from 'zod'
import { advanceSchema, type Advance } from '../common/advance.ts'
import { baseControl, createSimServer, serveSimulator, unixSeconds, type BaseControl, type RunningSimulator } from '../common/server.ts'
import type { RateLimitSettings } from '../common/rate-limit.ts'
import { WebhookSender, type WebhookRetryPolicy } from '../common/webhook-sender.ts'
import { defaultSyncProducts, type SimSyncProduct } from './catalog.ts'
import { PrintfulState, type PrintfulStore } from './state.ts'
import { SyncProductStore } from './sync-products.ts'
import { PrintfulSimError } from './orders.ts'
import { printfulError, printfulEventTypes, printfulMapError, registerPrintfulRoutes, type PrintfulWebhookInfo } from './routes.ts'
import type { PfOrder } from './wire.ts'

export interface PrintfulSimOptions {
  readonly port?: number
  readonly host?: string
  readonly token?: string
  /** An account-level token: store-scoped endpoints then need X-PF-Store-Id (§1.1). */
  readonly accountLevelToken?: boolean
  /** Store type as GET /stores reports it: "native" is a Manual/API store; "shopify" imports Shopify orders itself. */
  readonly store?: Partial<PrintfulStore>
  readonly syncProducts?: readonly SimSyncProduct[]
  /** Default 120 per 60 s (§1.3). */
  readonly rateLimit?: RateLimitSettings
  readonly webhookUrl?: string
  /** Default: retries after 1, 4, 16, 64, 256 and 1024 minutes (§1.8). */
  readonly webhookRetry?: WebhookRetryPolicy
  readonly now?: () => number
}

const minute = 60_000

export interface PrintfulControl extends BaseControl {
  /** Moves an order (by id or @external_id) and awaits the webhooks it sends. */
  advance (ref: string | number, step: Advance): Promise<PfOrder>
  order (ref: string | number): PfOrder | undefined
  orders (): PfOrder[]
  /** §1.7: send tracking numbers as JSON numbers. */
  setNumericTracking (on: boolean): void
  /** §1.4: confirmed orders go on hold until `advance(id, { to: 'draft' })`. */
  setAsyncCostCalculation (on: boolean): void
  settleWebhooks (): Promise<void>
  /** A sync variant as GET /store/variants/{id} shows it (external_id, retail_price, ...), or undefined. */
  syncVariant (id: number): Record<string, unknown> | undefined
  /** The merchant changes a retail price in Printful (a decimal string, "29.99"). */
  setRetailPrice (syncVariantId: number, retailPrice: string): void
}

export const printfulSimDefaults = { token: 'pf-sim-token', storeId: 10 } as const

export async function startPrintfulSimulator (options: PrintfulSimOptions = {}): Promise<RunningSimulator<PrintfulControl>> {
  const now = options.now ?? Date.now
  const token = options.token ?? printfulSimDefaults.token
  const store: PrintfulStore = { id: printfulSimDefaults.storeId, type: 'native', name: 'Simulated API store', ...options.store }
  const webhooks = new WebhookSender({
    ...(options.webhookUrl ? { url: options.webhookUrl } : {}),
    retry: options.webhookRetry ?? { delaysMs: [1, 4, 16, 64, 256, 1024].map((m) => m * minute) },
    now
  })
  // The types set over the API, with the URL they were set for. A URL set by
  // the control API (setWebhookUrl, a test's shortcut) receives every type.
  let subscribed: { url: string, types: readonly string[], params: unknown } | undefined
  const selected = (type: string): boolean => subscribed === undefined || subscribed.url !== webhooks.url || subscribed.types.includes(type)
  const webhookInfo = (): PrintfulWebhookInfo => {
    if (!webhooks.url) return { url: null, types: [], params: [] }
    return subscribed?.url === webhooks.url ? { url: subscribed.url, types: subscribed.types, params: subscribed.params } : { url: webhooks.url, types: printfulEventTypes, params: [] }
  }
  // The v1 webhook envelope {type, created, retries, store, data} (§1.8); v1 events are unsigned.
  const sync = new SyncProductStore(options.syncProducts ?? defaultSyncProducts)
  const state = new PrintfulState({
    store,
    // One list: orders name the sync variants as they are now.
    products: sync.products,
    now,
    emit: (type, data) => {
      if (selected(type)) webhooks.sendLater(type, { type, created: unixSeconds(now()), retries: 0, store: store.id, data })
      return Promise.resolve()
    }
  })
  const core = createSimServer({
    name: 'printful',
    errorBody: (status, message) => printfulError(status, message),
    mapError: printfulMapError,
    rateLimit: options.rateLimit ?? { limit: 120, windowMs: 60_000 },
    rateKey: () => token,
    // §1.3: the X-Ratelimit-* family; Reset = seconds until the bucket is full again.
    rateHeaders: (d) => ({
      'x-ratelimit-policy': `${String(d.limit)};w=${String(Math.round(d.windowMs / 1000))};`,
      'x-ratelimit-limit': String(d.limit),
      'x-ratelimit-remaining': String(d.remaining),
      'x-ratelimit-reset': String(d.resetMs / 1000)
    }),
    now,
    webhooks
  })
  registerPrintfulRoutes(core.app, state, sync, { token, accountLevelToken: options.accountLevelToken ?? false }, {
    get: webhookInfo,
    set: (config) => {
      subscribed = config
      webhooks.setUrl(config?.url)
      return webhookInfo()
    }
  })

  const find = (ref: string | number): PfOrder | undefined => {
    try { return state.get(String(ref)) } catch { return undefined }
  }
  const control: PrintfulControl = {
    ...baseControl(core),
    advance: async (ref, step) => {
      const order = await state.advance(state.get(String(ref)), advanceSchema.parse(step))
      await webhooks.settle()
      return order
    },
    order: find,
    orders: () => [...state.orders.values()],
    setNumericTracking: (on) => { state.numericTracking = on },
    setAsyncCostCalculation: (on) => { state.asyncCostCalculation = on },
    settleWebhooks: () => webhooks.settle(),
    syncVariant: (id) => {
      try {
        const { product, variant } = sync.variant(id)
        return sync.variantWire(product, variant)
      } catch { return undefined }
    },
    setRetailPrice: (id, retailPrice) => { sync.setRetailPrice(id, retailPrice) }
  }

  core.app.post('/_control/orders/:id/advance', async (request) => control.advance(z.object({ id: z.string() }).parse(request.params).id, advanceSchema.parse(request.body)))
  core.app.get('/_control/orders', (_request, reply) => reply.send(control.orders()))
  core.app.put('/_control/quirks', async (request, reply) => {
    const body = z.object({ numericTracking: z.boolean().optional(), asyncCostCalculation: z.boolean().optional() }).parse(request.body)
    if (body.numericTracking !== undefined) control.setNumericTracking(body.numericTracking)
    if (body.asyncCostCalculation !== undefined) control.setAsyncCostCalculation(body.asyncCostCalculation)
    return reply.code(204).send()
  })

  core.app.put('/_control/sync-variants/:id', async (request, reply) => {
    control.setRetailPrice(Number(z.object({ id: z.string() }).parse(request.params).id), z.object({ retailPrice: z.string() }).parse(request.body).retailPrice)
    return reply.code(204).send()
  })

  return serveSimulator(core, control, webhooks, options)
}

export { PrintfulSimError }
export type { RunningSimulator }
