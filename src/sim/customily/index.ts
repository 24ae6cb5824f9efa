// startCustomilySimulator: Customily's token endpoint and personalization item
// look-up (suppliers.md §3), with items that are "not ready yet" for a while
// after an order, as Customily renders files about 30 minutes later. Both the
// documented path form ("{id}&shop=") and the usual one ("{id}?shop=") answer.
import { randomBytes, randomUUID } from 'node:crypto'
import { z } from 'zod'
import { baseControl, createSimServer, listenOnLoopback, type BaseControl, type RunningSimulator } from '../common/server.ts'
import type { RateLimitSettings } from '../common/rate-limit.ts'
import { WebhookSender } from '../common/webhook-sender.ts'

export interface CustomilyItemSpec {
  /** Not ready until this many milliseconds after it was added (default 0). */
  readonly readyAfterMs?: number | undefined
  /** Not ready for this many look-ups (default 0). */
  readonly notReadyLookups?: number | undefined
  readonly productionUrl?: string | undefined
  readonly previewUrl?: string | undefined
  readonly podPlaceholder?: string | undefined
}

export interface CustomilySimOptions {
  readonly port?: number
  readonly host?: string
  readonly apiKey?: string
  readonly shopDomain?: string
  readonly tokenLifetimeSeconds?: number
  readonly rateLimit?: RateLimitSettings
  readonly now?: () => number
}

export interface CustomilyControl extends BaseControl {
  /** Registers a personalization (as a shopper's order would); returns its id. */
  addItem (id?: string, spec?: CustomilyItemSpec): string
  /** Invalidates every token issued so far. */
  expireTokens (): void
}

interface StoredItem { readonly id: string, readonly addedAt: number, readonly spec: CustomilyItemSpec, lookups: number }

export const customilySimDefaults = { apiKey: 'cu-sim-key', shopDomain: 'pod-bridge-demo.myshopify.com' } as const

export async function startCustomilySimulator (options: CustomilySimOptions = {}): Promise<RunningSimulator<CustomilyControl>> {
  const now = options.now ?? Date.now
  const apiKey = options.apiKey ?? customilySimDefaults.apiKey
  const shopDomain = options.shopDomain ?? customilySimDefaults.shopDomain
  const tokens = new Map<string, number>()
  const items = new Map<string, StoredItem>()
  const core = createSimServer({
    name: 'customily',
    errorBody: (_status, message) => ({ message }),
    // No rate limit is documented; a generous one keeps the machinery uniform.
    rateLimit: options.rateLimit ?? { limit: 6_000, windowMs: 60_000 },
    rateKey: () => 'account',
    now,
    webhooks: new WebhookSender({})
  })

  core.app.post('/api/token', (request, reply) => {
    const body = z.object({ apiKey: z.string().optional() }).loose().safeParse(request.body ?? {})
    const given = (body.success ? body.data.apiKey : undefined) ?? request.headers['x-api-key']
    if (given !== apiKey) return reply.code(401).send({ message: 'Invalid API key' })
    const token = randomBytes(24).toString('hex')
    const lifetime = options.tokenLifetimeSeconds ?? 3_600
    tokens.set(token, now() + lifetime * 1000)
    return reply.send({ token, expiresIn: lifetime })
  })

  core.app.get('/api/standalone/item/:ref', (request, reply) => {
    const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1]
    const expires = bearer ? tokens.get(bearer) : undefined
    if (expires === undefined || expires <= now()) return reply.code(401).send({ message: 'Unauthorized' })
    // "/item/<guid>&shop=<domain>" as the docs write it, or "/item/<guid>?shop=<domain>".
    const ref = decodeURIComponent(z.object({ ref: z.string() }).parse(request.params).ref)
    const [id = '', inline] = ref.split('&shop=')
    const shop = inline ?? z.object({ shop: z.string().optional() }).parse(request.query).shop
    if (shop !== shopDomain) return reply.code(404).send({ message: 'Shop not found' })
    const item = items.get(id)
    if (!item) return reply.code(404).send({ message: 'Item not found' })
    item.lookups += 1
    if (item.lookups <= (item.spec.notReadyLookups ?? 0) || now() - item.addedAt < (item.spec.readyAfterMs ?? 0)) {
      return reply.code(404).send({ message: 'Item not ready yet' })
    }
    const productionUrl = item.spec.productionUrl ?? `https://cdn.customily.com/production/${id}.png`
    return reply.send({
      id: item.id, clientId: 'sim-client', quantity: 1, productId: 'sim-product',
      previewUrl: item.spec.previewUrl ?? `https://cdn.customily.com/preview/${id}.png`,
      productionUrl,
      optionsJson: '[]', orderElement: null, orderId: '1001', orderItemId: '1',
      exportedFiles: [{ url: productionUrl, epsId: null, podPlaceholder: item.spec.podPlaceholder ?? 'front', personalizationId: id }],
      createdDate: new Date(item.addedAt).toISOString()
    })
  })

  const control: CustomilyControl = {
    ...baseControl(core),
    addItem: (id = randomUUID(), spec = {}) => {
      items.set(id, { id, addedAt: now(), spec, lookups: 0 })
      return id
    },
    expireTokens: () => { tokens.clear() }
  }
  core.app.post('/_control/items', (request, reply) => {
    const body = z.object({ id: z.string().optional(), readyAfterMs: z.number().int().min(0).optional(), notReadyLookups: z.number().int().min(0).optional(), productionUrl: z.url().optional(), previewUrl: z.url().optional(), podPlaceholder: z.string().optional() }).parse(request.body ?? {})
    const { id, ...spec } = body
    return reply.send({ id: control.addItem(id, spec) })
  })

  const url = await listenOnLoopback(core.app, options.port ?? 0, options.host)
  return { url, control, close: () => core.app.close() }
}
