// startGelatoSimulator: Gelato's Order API v4 and Product API v3 on loopback,
// split orders and late refusals on demand, and unsigned webhooks carrying the
// one fixed header the dashboard can add. See docs/simulators.md for what it
// does not reproduce.
import { z } from 'zod'
import { advanceSchema, type Advance } from '../common/advance.ts'
import { baseControl, createSimServer, serveSimulator, type BaseControl, type RunningSimulator } from '../common/server.ts'
import type { RateLimitSettings } from '../common/rate-limit.ts'
import { WebhookSender, type WebhookRetryPolicy } from '../common/webhook-sender.ts'
import { gelatoMapError, registerGelatoRoutes } from './routes.ts'
import { gelatoErrorBody, GelatoState } from './state.ts'
import { defaultGelatoCatalogs, gelatoTime, simUuid, type GtSimCatalog, type GtSimOrder } from './wire.ts'

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
  /** How long a new order stays out of POST /v4/orders:search (default 3 s, the top of the documented 1-3 s queueing delay). */
  readonly searchLagMs?: number
  /** The same for GET /v4/orders/{id} (default 0: the create answers with the id). */
  readonly getLagMs?: number
  readonly now?: () => number
}

/**
 * "Order creation is internally queued ... a small delay (typically 1-3
 * seconds)" (https://dashboard.gelato.com/docs/orders/v2/status): the top of
 * that range; `setSearchLag` sets a longer one, since "typically" is no bound.
 */
export const defaultSearchLagMs = 3_000

const eventPrefix: Readonly<Record<string, string>> = { order_status_updated: 'os', order_item_status_updated: 'is', order_item_tracking_code_updated: 'tc' }

export interface GelatoControl extends BaseControl {
  advance (orderId: string, step: Advance): Promise<GtSimOrder>
  /** The next order with two or more items is split in two connected orders. */
  splitNextOrder (): void
  /** How long new orders stay out of the search (and of GET by id when `get` is given). */
  setSearchLag (searchLagMs: number, getLagMs?: number): void
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
    searchLagMs: options.searchLagMs ?? defaultSearchLagMs,
    getLagMs: options.getLagMs ?? 0,
    // Event objects as on https://dashboard.gelato.com/docs/webhooks/, field for
    // field and in the docs' order; ids prefixed as in its examples (os_, is_, tc_).
    emit: (event, order, extra) => {
      const id = `${eventPrefix[event] ?? 'ev'}_${(nextEvent++).toString(16).padStart(13, '0')}`
      const created = gelatoTime(now())
      // Where the order is made: the simulator has one hub per destination country.
      const where = { country: order.shippingAddress.country ?? '', stateProvince: order.shippingAddress.state ?? '', facilityId: simUuid(0xfac, 1) }
      const base = { id, event, orderId: order.id, storeId: null }
      let body: Record<string, unknown>
      if (event === 'order_status_updated') {
        body = {
          ...base,
          orderReferenceId: order.orderReferenceId,
          fulfillmentStatus: order.fulfillmentStatus,
          items: order.items.map((item) => ({
            itemReferenceId: item.itemReferenceId,
            fulfillmentStatus: item.fulfillmentStatus,
            fulfillments: (order.shipment?.packages ?? []).filter((p) => p.orderItemIds.includes(item.id) && p.trackingCode)
              .map((p) => ({
                trackingCode: p.trackingCode,
                trackingUrl: p.trackingUrl,
                shipmentMethodName: order.shipment?.shipmentMethodName,
                shipmentMethodUid: order.shipment?.shipmentMethodUid,
                fulfillmentCountry: where.country,
                fulfillmentStateProvince: where.stateProvince,
                fulfillmentFacilityId: where.facilityId
              }))
          }))
        }
      } else if (event === 'order_item_status_updated') {
        const { itemReferenceId, status, comment } = extra
        body = {
          id, event, itemReferenceId, orderReferenceId: order.orderReferenceId, orderId: order.id, storeId: null,
          fulfillmentCountry: where.country, fulfillmentStateProvince: where.stateProvince, fulfillmentFacilityId: where.facilityId,
          status, comment, created
        }
      } else {
        // order_item_tracking_code_updated: the example names the place productionCountry/-StateProvince/-FacilityId.
        const { itemReferenceId, ...tracking } = extra
        body = {
          ...base, itemReferenceId, orderReferenceId: order.orderReferenceId, ...tracking,
          productionCountry: where.country, productionStateProvince: where.stateProvince, productionFacilityId: where.facilityId, created
        }
      }
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
      const order = state.advance(state.known(orderId), advanceSchema.parse(step))
      await webhooks.settle()
      return order
    },
    splitNextOrder: () => { state.splitNext = true },
    setSearchLag: (searchLagMs, getLagMs) => {
      state.searchLagMs = searchLagMs
      if (getLagMs !== undefined) state.getLagMs = getLagMs
    },
    order: (orderId) => state.orders.get(orderId),
    orders: () => state.list(),
    settleWebhooks: () => webhooks.settle()
  }
  core.app.post('/_control/orders/:id/advance', (request) => control.advance(z.object({ id: z.string() }).parse(request.params).id, advanceSchema.parse(request.body)))
  core.app.get('/_control/orders', (_request, reply) => reply.send(control.orders()))
  core.app.post('/_control/split-next', async (_request, reply) => { control.splitNextOrder(); return reply.code(204).send() })
  core.app.put('/_control/search-lag', async (request, reply) => {
    const body = z.object({ searchLagMs: z.number().int().min(0), getLagMs: z.number().int().min(0).optional() }).parse(request.body)
    control.setSearchLag(body.searchLagMs, body.getLagMs)
    return reply.code(204).send()
  })

  return serveSimulator(core, control, webhooks, options)
}
