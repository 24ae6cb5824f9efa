// startGelatoSimulator: Gelato's Order API v4 and Product API v3 on loopback,
// split orders and late refusals on demand, and unsigned webhooks carrying the
// one fixed header the dashboard can add. See docs/simulators.md for what it
// does not reproduce.
import { z } from 'zod'
import { advanceSchema, type Advance } from '../common/advance.ts'
import { baseControl, createSimServer, listenOnLoopback, type BaseControl, type RunningSimulator } from '../common/server.ts'
import type { RateLimitSettings } from '../common/rate-limit.ts'
import { WebhookSender, type WebhookRetryPolicy } from '../common/webhook-sender.ts'
import { gelatoMapError, registerGelatoRoutes } from './routes.ts'
import { gelatoErrorBody, GelatoState } from './state.ts'
import { defaultGelatoCatalogs, type GtSimCatalog, type GtSimOrder } from './wire.ts'

export interface GelatoSimOptions {
  readonly port?: number
  readonly host?: string
  readonly apiKey?: string
  readonly catalogs?: readonly GtSimCatalog[]
  /** Gelato documents no limit: 120 per 60 s is assumed, the budget the bridge defaults to. */
  readonly rateLimit?: RateLimitSettings
  readonly webhookUrl?: string
  /** The header the dashboard adds to every delivery (default X-Webhook-Secret) and its value. */
  readonly webhookHeader?: { readonly name: string, readonly value: string }
  /** "3 times, with 5 seconds delay between each try" (https://dashboard.gelato.com/docs/webhooks/ "Retries"). */
  readonly webhookRetry?: WebhookRetryPolicy
  readonly now?: () => number
}

export interface GelatoControl extends BaseControl {
  advance (orderId: string, step: Advance): Promise<GtSimOrder>
  /** The next order with two or more items is split in two connected orders. */
  splitNextOrder (): void
  order (orderId: string): GtSimOrder | undefined
  orders (): GtSimOrder[]
  settleWebhooks (): Promise<void>
}

export const gelatoSimDefaults = { apiKey: 'gelato-sim-api-key', webhookSecret: 'gelato-sim-webhook-secret' } as const

export async function startGelatoSimulator (options: GelatoSimOptions = {}): Promise<RunningSimulator<GelatoControl>> {
  const now = options.now ?? Date.now
  const apiKey = options.apiKey ?? gelatoSimDefaults.apiKey
  const header = options.webhookHeader ?? { name: 'X-Webhook-Secret', value: gelatoSimDefaults.webhookSecret }
  let nextEvent = 1
  const webhooks = new WebhookSender({
    ...(options.webhookUrl ? { url: options.webhookUrl } : {}),
    // Three tries in all: two retries after the first, 5 s apart.
    retry: options.webhookRetry ?? { delaysMs: [5_000, 5_000] },
    now,
    // Not signed: the fixed header is all there is.
    sign: () => ({ [header.name.toLowerCase()]: header.value })
  })
  const state = new GelatoState({
    catalogs: options.catalogs ?? defaultGelatoCatalogs,
    now,
    // Event objects as on the webhooks page: {id, event, orderId, storeId, orderReferenceId, ...}.
    emit: (event, order, extra) => {
      const id = `${event === 'order_status_updated' ? 'os' : 'oi'}_${(nextEvent++).toString(16).padStart(13, '0')}`
      const base = { id, event, orderId: order.id, storeId: null, orderReferenceId: order.orderReferenceId }
      const body = event === 'order_status_updated'
        ? {
            ...base,
            fulfillmentStatus: order.fulfillmentStatus,
            items: order.items.map((item) => ({
              itemReferenceId: item.itemReferenceId,
              fulfillmentStatus: item.fulfillmentStatus,
              fulfillments: (order.shipment?.packages ?? []).filter((p) => p.orderItemIds.includes(item.id) && p.trackingCode)
                .map((p) => ({ trackingCode: p.trackingCode, trackingUrl: p.trackingUrl, shipmentMethodName: order.shipment?.shipmentMethodName, shipmentMethodUid: order.shipment?.shipmentMethodUid }))
            }))
          }
        : { ...base, ...extra }
      webhooks.sendLater(event, body)
    }
  })
  const core = createSimServer({
    name: 'gelato',
    errorBody: (status, message) => gelatoErrorBody(status === 429 ? 'resource_exhausted' : status >= 500 ? 'internal' : 'invalid_argument', message),
    mapError: gelatoMapError,
    rateLimit: options.rateLimit ?? { limit: 120, windowMs: 60_000 },
    // One account, one key.
    rateKey: () => 'account',
    now,
    webhooks
  })
  registerGelatoRoutes(core.app, state, { apiKey })

  const control: GelatoControl = {
    ...baseControl(core),
    advance: async (orderId, step) => {
      const order = state.advance(state.get(orderId), advanceSchema.parse(step))
      await webhooks.settle()
      return order
    },
    splitNextOrder: () => { state.splitNext = true },
    order: (orderId) => state.orders.get(orderId),
    orders: () => state.list(),
    settleWebhooks: () => webhooks.settle()
  }
  core.app.post('/_control/orders/:id/advance', (request) => control.advance(z.object({ id: z.string() }).parse(request.params).id, advanceSchema.parse(request.body)))
  core.app.get('/_control/orders', (_request, reply) => reply.send(control.orders()))
  core.app.post('/_control/split-next', async (_request, reply) => { control.splitNextOrder(); return reply.code(204).send() })

  const url = await listenOnLoopback(core.app, options.port ?? 0, options.host)
  return {
    url,
    control,
    close: async () => {
      webhooks.close()
      await webhooks.settle()
      await core.app.close()
    }
  }
}
