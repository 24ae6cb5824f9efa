// startCustomilySimulator: Customily's token endpoint and personalization item
// look-up, on two origins as the real service has them (help.customily.com
// article 42965126428315: the token at app.customily.com, items at
// sh.customily.com; suppliers.md §3). Where the article is silent or
// contradicts itself, the stricter reading is modelled (docs/customily.md):
// - the shop is a query-string parameter (`/item/<id>?shop=<domain>`), as the
//   article's text says; its example's `/item/<id>&shop=` puts the shop inside
//   the path, where it is part of the id and names no known item (404);
// - the shop is the storefront domain given here, and no other;
// - an item exists once the shopper personalized it and has no file until
//   rendered (about 30 minutes after the order): 200 without files, or 404
//   where a test asks for that answer.
import { randomBytes, randomUUID } from 'node:crypto'
import { z } from 'zod'
import { baseControl, createSimServer, listenOnLoopback, type BaseControl, type RunningSimulator, type SimCore } from '../common/server.ts'
import type { RateLimitSettings } from '../common/rate-limit.ts'
import { WebhookSender } from '../common/webhook-sender.ts'

export interface CustomilyFileSpec { readonly url: string, readonly podPlaceholder?: string | undefined }

export interface CustomilyItemSpec {
  /** Not ready until this many milliseconds after it was added (default 0). */
  readonly readyAfterMs?: number | undefined
  /** Not ready for this many look-ups (default 0). */
  readonly notReadyLookups?: number | undefined
  /** How "not ready" is answered (undocumented): 200 with no files (default), or 404. */
  readonly notReadyStatus?: 200 | 404 | undefined
  /** Default: an `.ai`, as in the article's example. */
  readonly productionUrl?: string | undefined
  /** Default: one PNG export (or `productionUrl`, when given), for `podPlaceholder` (default none, as in the article). */
  readonly exportedFiles?: readonly CustomilyFileSpec[] | undefined
  readonly podPlaceholder?: string | undefined
  readonly previewUrl?: string | undefined
}

export interface CustomilySimOptions {
  /** Port of the item API (the token endpoint listens on any free port, or `tokenPort`). */
  readonly port?: number
  readonly tokenPort?: number
  readonly host?: string
  readonly apiKey?: string
  /** The storefront domain the shop is known by. */
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

/** The item API at `url`; the token endpoint at `tokenUrl`, on another origin. */
export interface CustomilySimulator extends RunningSimulator<CustomilyControl> {
  readonly tokenUrl: string
}

interface StoredItem { readonly id: string, readonly addedAt: number, readonly spec: CustomilyItemSpec, lookups: number }

export const customilySimDefaults = { apiKey: 'cu-sim-key', shopDomain: 'pod-bridge-demo.test' } as const

const itemSpecSchema = z.object({
  id: z.string().optional(),
  readyAfterMs: z.number().int().min(0).optional(),
  notReadyLookups: z.number().int().min(0).optional(),
  notReadyStatus: z.union([z.literal(200), z.literal(404)]).optional(),
  productionUrl: z.url().optional(),
  exportedFiles: z.array(z.object({ url: z.url(), podPlaceholder: z.string().optional() })).optional(),
  podPlaceholder: z.string().optional(),
  previewUrl: z.url().optional()
})

export async function startCustomilySimulator (options: CustomilySimOptions = {}): Promise<CustomilySimulator> {
  const now = options.now ?? Date.now
  const apiKey = options.apiKey ?? customilySimDefaults.apiKey
  const shopDomain = options.shopDomain ?? customilySimDefaults.shopDomain
  const tokens = new Map<string, number>()
  const items = new Map<string, StoredItem>()
  const server = (name: string): SimCore => createSimServer({
    name,
    errorBody: (_status, message) => ({ message }),
    // No rate limit is documented; a generous one keeps the machinery uniform.
    rateLimit: options.rateLimit ?? { limit: 6_000, windowMs: 60_000 },
    rateKey: () => 'account',
    now,
    webhooks: new WebhookSender({})
  })
  const tokenCore = server('customily-token')
  const itemCore = server('customily')

  // How the key is given is not documented (the article shows a screenshot): a JSON `apiKey` or an x-api-key header.
  tokenCore.app.post('/api/token', (request, reply) => {
    const body = z.object({ apiKey: z.string().optional() }).loose().safeParse(request.body ?? {})
    const given = (body.success ? body.data.apiKey : undefined) ?? request.headers['x-api-key']
    if (given !== apiKey) return reply.code(401).send({ message: 'Invalid API key' })
    const token = randomBytes(24).toString('hex')
    const lifetime = options.tokenLifetimeSeconds ?? 3_600
    tokens.set(token, now() + lifetime * 1000)
    // "Bearer" followed by the access_token (the V1 article, 15994177711643); the lifetime field is our assumption.
    return reply.send({ access_token: token, token_type: 'bearer', expires_in: lifetime })
  })

  itemCore.app.get('/api/standalone/item/:id', (request, reply) => {
    const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1]
    const expires = bearer ? tokens.get(bearer) : undefined
    if (expires === undefined || expires <= now()) return reply.code(401).send({ message: 'Unauthorized' })
    const { id } = z.object({ id: z.string() }).parse(request.params)
    const { shop } = z.object({ shop: z.string().optional() }).parse(request.query)
    const item = items.get(id)
    if (!item || shop !== shopDomain) return reply.code(404).send({ message: 'Item not found' })
    item.lookups += 1
    const ready = item.lookups > (item.spec.notReadyLookups ?? 0) && now() - item.addedAt >= (item.spec.readyAfterMs ?? 0)
    if (!ready && item.spec.notReadyStatus === 404) return reply.code(404).send({ message: 'Item not found' })
    return reply.send(itemBody(item, ready))
  })

  const item = baseControl(itemCore)
  const token = baseControl(tokenCore)
  const control: CustomilyControl = {
    ...item,
    // Faults go where their path points: the token endpoint or the item API.
    injectFault: (spec) => { (spec.path?.includes('/api/token') ? token : item).injectFault(spec) },
    clearFaults: () => { item.clearFaults(); token.clearFaults() },
    pendingFaults: () => [...token.pendingFaults(), ...item.pendingFaults()],
    requests: (filter) => [...token.requests(filter), ...item.requests(filter)].sort((a, b) => a.at.localeCompare(b.at)),
    clearRequests: () => { item.clearRequests(); token.clearRequests() },
    setRateLimit: (settings) => { item.setRateLimit(settings); token.setRateLimit(settings) },
    addItem: (id = randomUUID(), spec = {}) => {
      items.set(id, { id, addedAt: now(), spec, lookups: 0 })
      return id
    },
    expireTokens: () => { tokens.clear() }
  }
  itemCore.app.post('/_control/items', (request, reply) => {
    const { id, ...spec } = itemSpecSchema.parse(request.body ?? {})
    return reply.send({ id: control.addItem(id, spec) })
  })

  const url = await listenOnLoopback(itemCore.app, options.port ?? 0, options.host)
  let tokenOrigin: string
  try {
    tokenOrigin = await listenOnLoopback(tokenCore.app, options.tokenPort ?? 0, options.host)
  } catch (err) {
    await itemCore.app.close()
    throw err
  }
  return { url, tokenUrl: `${tokenOrigin}/api/token`, control, close: async () => { await Promise.all([itemCore.app.close(), tokenCore.app.close()]) } }
}

/** The article's example response, with this item's files; before rendering, no files yet. */
function itemBody (item: StoredItem, ready: boolean): Record<string, unknown> {
  const { id, spec } = item
  const exported = spec.exportedFiles ?? [{ url: spec.productionUrl ?? `https://cdn.customily.com/ExportFile/sim/${id}.png`, podPlaceholder: spec.podPlaceholder }]
  return {
    id, clientId: '41201', quantity: '1', productId: 'sim-template',
    previewUrl: spec.previewUrl ?? `https://preview.customily.com/assets/previews/${id}.jpeg`,
    productionUrl: ready ? spec.productionUrl ?? `https://cdn.customily.com/ExportFile/sim/${id}.ai` : null,
    optionsJson: '[]', orderElement: '1001', orderId: null, orderItemId: '0',
    exportedFiles: ready ? exported.map((file, index) => ({ url: file.url, epsId: index + 1, podPlaceholder: file.podPlaceholder ?? null, personalizationId: id })) : [],
    createdDate: new Date(item.addedAt).toISOString()
  }
}
