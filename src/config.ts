// The one place that reads the environment (STYLE.md §2). Every variable of
// DESIGN.md's contract table is parsed here, once, into a frozen typed object.
// A bad value stops startup with a message naming the variable; values are
// never echoed back, so a secret pasted into the wrong variable is not printed.
import { isIP } from 'node:net'
import { z } from 'zod'

const stateNames = ['received', 'pending_payment', 'held', 'submitting', 'submitted', 'in_production', 'partially_shipped', 'shipped'] as const
type StuckState = typeof stateNames[number]

const csv = (what: string) => z.string({ error: `must be ${what}` })
  .transform((value) => value.split(',').map((part) => part.trim()).filter((part) => part.length > 0))

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .transform((value) => value.replace(/\/+$/, ''))

const positiveInt = (what: string, min: number, max: number) =>
  z.string().trim()
    .regex(/^\d+$/, { error: `must be ${what}` })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { error: `must be ${what}` })

const durationUnits: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }

function parseDuration (text: string): number | undefined {
  const match = /^(\d+)([smhd])$/.exec(text.trim())
  if (!match?.[1] || !match[2]) return undefined
  return Number(match[1]) * (durationUnits[match[2]] ?? 0)
}

export const defaultStuckAfter: Record<StuckState, number> = {
  received: 10 * 60_000,
  pending_payment: 3 * 86_400_000,
  held: 2 * 86_400_000,
  submitting: 10 * 60_000,
  submitted: 3 * 86_400_000,
  in_production: 7 * 86_400_000,
  partially_shipped: 7 * 86_400_000,
  shipped: 2 * 86_400_000
}

const stuckAfter = z.string().transform((text, ctx) => {
  const result: Record<StuckState, number> = { ...defaultStuckAfter }
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [state, duration] = part.split('=')
    const ms = duration === undefined ? undefined : parseDuration(duration)
    if (!state || !(stateNames as readonly string[]).includes(state) || ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `must be a list like "submitting=10m,submitted=3d" (states: ${stateNames.join(', ')}; units s, m, h, d)` })
      return z.NEVER
    }
    result[state as StuckState] = ms
  }
  return result
})

const approvalMode = z.string().transform((text, ctx) => {
  if (text === 'auto' || text === 'manual') return { kind: text } as const
  const delay = /^delay:(\d+)$/.exec(text)
  if (delay?.[1]) return { kind: 'delay', minutes: Number(delay[1]) } as const
  ctx.addIssue({ code: 'custom', message: 'must be auto, manual or delay:<minutes>' })
  return z.NEVER
})

const shippingMethod = z.object({
  printful: z.string().min(1).optional(),
  // Printify's shipping_method: 1 standard, 2 priority, 3 Printify Express, 4 economy (suppliers.md §2.4).
  printify: z.number().int().min(1).max(4).optional()
}).strict()

const shippingMethods = z.string().transform((text, ctx) => {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be JSON, e.g. {"*":{"printful":"STANDARD","printify":1},"Express":{"printful":"PRINTFUL_FAST","printify":2}}' })
    return z.NEVER
  }
  const result = z.record(z.string(), shippingMethod).safeParse(parsed)
  if (!result.success) {
    ctx.addIssue({ code: 'custom', message: 'must map shipping line titles or codes to {"printful": "<method>", "printify": <1-4>} (Printify: 1 standard, 2 priority, 3 Printify Express, 4 economy)' })
    return z.NEVER
  }
  return result.data
})

// Fastify's trustProxy: off, or the proxies' addresses (proxy-addr also knows the names
// loopback, linklocal and uniquelocal). Off by default: otherwise any client could name its own
// address in X-Forwarded-For and escape the failed-auth brake. No hop count: it cannot tell a
// proxy from a client that sends enough hops itself (fastify 5 ignores one for that reason).
const proxyNames = new Set(['loopback', 'linklocal', 'uniquelocal'])
const trustProxy = z.string().trim().transform((text, ctx): false | string[] => {
  if (text === 'off' || text === 'false') return false
  const parts = text.split(',').map((part) => part.trim()).filter(Boolean)
  const valid = parts.length > 0 && parts.every((part) => {
    const [address, prefix, extra] = part.split('/')
    if (proxyNames.has(part)) return true
    return extra === undefined && address !== undefined && isIP(address) !== 0 && (prefix === undefined || /^\d{1,3}$/.test(prefix))
  })
  if (!valid) {
    ctx.addIssue({ code: 'custom', message: 'must be off, or a comma-separated list of the proxies\' addresses or CIDR ranges (or loopback, linklocal, uniquelocal)' })
    return z.NEVER
  }
  return parts
})

const booleanFlag = z.enum(['true', 'false', '1', '0'], { error: 'must be true or false' }).transform((v) => v === 'true' || v === '1')

const shopDomain = z.string().trim().toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, { error: 'must be the store\'s my-store.myshopify.com domain' })

// Customily's item URL as a template: {id} is the personalization id, {shop} the
// storefront domain, each percent-encoded where it is put (docs/customily.md).
const customilyItemUrl = z.string().trim().refine((template) => {
  const placeholders = template.match(/\{[^}]*\}/g) ?? []
  if (placeholders.filter((p) => p === '{id}').length !== 1 || placeholders.filter((p) => p === '{shop}').length !== 1 || placeholders.length !== 2) return false
  try {
    return /^https?:$/.test(new URL(template.replace('{id}', 'x').replace('{shop}', 'x')).protocol)
  } catch {
    return false
  }
}, { error: 'must be an http(s) URL template holding {id} and {shop} once each, e.g. https://sh.customily.com/api/standalone/item/{id}?shop={shop}' })

const storefrontDomain = z.string().trim().toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]$/, { error: 'must be the storefront\'s domain, like yourstore.com (no https://, no path)' })

const envSchema = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, { error: 'must be a postgres:// URL' }).optional(),
  EMBEDDED_POSTGRES: z.enum(['auto', 'off'], { error: 'must be auto or off' }).default('auto'),
  // Unset is not the same as './.data': only the default may move (see db/embedded-access.ts).
  DATA_DIR: z.string().min(1).optional(),
  PORT: positiveInt('a port number (0-65535; 0 picks a free one)', 0, 65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  TRUST_PROXY: trustProxy.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'must be one of fatal, error, warn, info, debug, trace, silent' }).default('info'),
  SHOPIFY_SHOP_DOMAIN: shopDomain.optional(),
  SHOPIFY_CLIENT_ID: z.string().min(1).optional(),
  SHOPIFY_CLIENT_SECRET: z.string().min(1).optional(),
  SHOPIFY_ADMIN_ACCESS_TOKEN: z.string().min(1).optional(),
  SHOPIFY_WEBHOOK_SECRETS: csv('a comma-separated list of secrets').optional(),
  SHOPIFY_API_VERSION: z.string().regex(/^\d{4}-(01|04|07|10)$/, { error: 'must be a Shopify API version like 2026-10' }).default('2026-10'),
  SHOPIFY_API_URL: httpUrl.optional(),
  PRINTFUL_API_TOKEN: z.string().min(1).optional(),
  PRINTFUL_STORE_ID: z.string().regex(/^\d+$/, { error: 'must be a numeric store id' }).optional(),
  PRINTFUL_API_URL: httpUrl.default('https://api.printful.com'),
  PRINTIFY_API_TOKEN: z.string().min(1).optional(),
  PRINTIFY_SHOP_ID: z.string().regex(/^\d+$/, { error: 'must be a numeric shop id' }).optional(),
  PRINTIFY_API_URL: httpUrl.default('https://api.printify.com'),
  PRINTIFY_WEBHOOK_SECRET: z.string().min(1).optional(),
  PRINTFUL_WEBHOOK_SECRET: z.string().min(16, { error: 'must be at least 16 characters (it is a token in the webhook URL)' }).optional(),
  // Customily's help article 42965126428315: the item API and the token on different hosts.
  CUSTOMILY_API_URL: httpUrl.default('https://sh.customily.com'),
  CUSTOMILY_API_KEY: z.string().min(1).optional(),
  CUSTOMILY_TOKEN_URL: httpUrl.default('https://app.customily.com/api/token'),
  CUSTOMILY_ITEM_URL: customilyItemUrl.optional(),
  CUSTOMILY_SHOP_DOMAIN: storefrontDomain.optional(),
  OPS_API_TOKEN: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
  OPS_READ_TOKEN: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
  APPROVAL_MODE: approvalMode.default({ kind: 'auto' }),
  ROUTE_WHEN: z.enum(['paid', 'authorized'], { error: 'must be paid or authorized' }).default('paid'),
  SUPPLIER_POLL_INTERVAL: positiveInt('a number of seconds (10-86400)', 10, 86_400).default(300),
  ROUTE_ORDERS_CREATED_AFTER: z.iso.datetime({ offset: true, error: 'must be an ISO time like 2026-11-01T00:00:00Z' }).optional(),
  SHIPPING_METHODS: shippingMethods.default({ '*': {} }),
  PRINTFUL_RATE_PER_MINUTE: positiveInt('a number of requests per minute (1-100000)', 1, 100_000).default(120),
  PRINTIFY_RATE_PER_MINUTE: positiveInt('a number of requests per minute (1-100000)', 1, 100_000).default(600),
  CUSTOMILY_PROPERTIES: csv('a comma-separated list of property names').default(['_customily_id', 'customily_id', '_personalization_id']),
  // Customily renders about 30 minutes after the order: how long to wait between look-ups of a file not ready yet.
  CUSTOMILY_RETRY_SECONDS: positiveInt('a number of seconds (1-3600)', 1, 3600).default(300),
  NOTIFY_CUSTOMER: booleanFlag.default(true),
  STUCK_AFTER: stuckAfter.default(defaultStuckAfter),
  ALERT_WEBHOOK_URL: httpUrl.optional(),
  // pg-boss refuses a heartbeat under 10 s.
  JOB_HEARTBEAT_SECONDS: positiveInt('a number of seconds (10-3600)', 10, 3600).default(30),
  JOB_EXPIRE_SECONDS: positiveInt('a number of seconds (2-86400)', 2, 86_400).default(900)
}).superRefine((env, ctx) => {
  if (env.EMBEDDED_POSTGRES === 'off' && !env.DATABASE_URL) {
    ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'is required when EMBEDDED_POSTGRES=off (the Docker image): set it to your Postgres server\'s URL' })
  }
  if (Boolean(env.SHOPIFY_CLIENT_ID) !== Boolean(env.SHOPIFY_CLIENT_SECRET)) {
    ctx.addIssue({ code: 'custom', path: [env.SHOPIFY_CLIENT_ID ? 'SHOPIFY_CLIENT_SECRET' : 'SHOPIFY_CLIENT_ID'], message: 'must be set together with the other of SHOPIFY_CLIENT_ID and SHOPIFY_CLIENT_SECRET' })
  }
  if (env.OPS_READ_TOKEN !== undefined && env.OPS_READ_TOKEN === env.OPS_API_TOKEN) {
    ctx.addIssue({ code: 'custom', path: ['OPS_READ_TOKEN'], message: 'must differ from OPS_API_TOKEN (the read-only token would change things)' })
  }
  if (env.JOB_EXPIRE_SECONDS <= env.JOB_HEARTBEAT_SECONDS) {
    ctx.addIssue({ code: 'custom', path: ['JOB_EXPIRE_SECONDS'], message: 'must be longer than JOB_HEARTBEAT_SECONDS' })
  }
})

/** The names the service understands; the compose file and .env.example are checked against them in a test. */
export const configVariables: readonly string[] = Object.keys(envSchema.shape)

export type Env = z.output<typeof envSchema>

export interface Config {
  readonly env: Env
  /** `movable`: DATA_DIR was not set, so a root start may use a folder the server's user owns instead. */
  readonly database: { readonly url: string } | { readonly embedded: { readonly dataDir: string, readonly movable: boolean } }
  readonly http: { readonly port: number, readonly host: string, readonly trustProxy: Env['TRUST_PROXY'] }
  readonly logLevel: Env['LOG_LEVEL']
  readonly shopify: {
    readonly shopDomain: string | undefined
    readonly apiVersion: string
    readonly apiUrl: string | undefined
    readonly auth: { readonly kind: 'client_credentials', readonly clientId: string, readonly clientSecret: string } | { readonly kind: 'static', readonly accessToken: string } | undefined
    readonly webhookSecrets: readonly string[]
    readonly notifyCustomer: boolean
  }
  readonly opsApiToken: string | undefined
  /** Sees everything under /v1 and in the console, changes nothing (GET only). */
  readonly opsReadToken: string | undefined
  /** Customily look-ups, when the key and the storefront domain are set. */
  readonly customily: { readonly apiKey: string, readonly tokenUrl: string, readonly itemUrl: string, readonly shopDomain: string } | undefined
  readonly jobs: { readonly heartbeatSeconds: number, readonly expireSeconds: number }
}

export class ConfigError extends Error {
  readonly problems: readonly string[]
  constructor (problems: readonly string[]) {
    super(problems.join('; '))
    this.name = 'ConfigError'
    this.problems = problems
  }
}

/** Parses an environment (normally `process.env`) into the service's config. Empty strings count as unset. */
export function loadConfig (environment: Readonly<Record<string, string | undefined>>): Config {
  const present: Record<string, string> = {}
  for (const name of configVariables) {
    const value = environment[name]
    if (value !== undefined && value.trim() !== '') present[name] = value
  }
  const parsed = envSchema.safeParse(present)
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`))
  }
  const env = parsed.data
  const shopifyAuth = env.SHOPIFY_CLIENT_ID && env.SHOPIFY_CLIENT_SECRET
    ? { kind: 'client_credentials', clientId: env.SHOPIFY_CLIENT_ID, clientSecret: env.SHOPIFY_CLIENT_SECRET } as const
    : env.SHOPIFY_ADMIN_ACCESS_TOKEN ? { kind: 'static', accessToken: env.SHOPIFY_ADMIN_ACCESS_TOKEN } as const : undefined
  return deepFreeze({
    env,
    database: env.DATABASE_URL ? { url: env.DATABASE_URL } : { embedded: { dataDir: env.DATA_DIR ?? './.data', movable: env.DATA_DIR === undefined } },
    http: { port: env.PORT, host: env.HOST, trustProxy: env.TRUST_PROXY },
    logLevel: env.LOG_LEVEL,
    shopify: {
      shopDomain: env.SHOPIFY_SHOP_DOMAIN,
      apiVersion: env.SHOPIFY_API_VERSION,
      apiUrl: env.SHOPIFY_API_URL ?? (env.SHOPIFY_SHOP_DOMAIN ? `https://${env.SHOPIFY_SHOP_DOMAIN}` : undefined),
      auth: shopifyAuth,
      webhookSecrets: env.SHOPIFY_WEBHOOK_SECRETS ?? (env.SHOPIFY_CLIENT_SECRET ? [env.SHOPIFY_CLIENT_SECRET] : []),
      notifyCustomer: env.NOTIFY_CUSTOMER
    },
    opsApiToken: env.OPS_API_TOKEN,
    opsReadToken: env.OPS_READ_TOKEN,
    customily: env.CUSTOMILY_API_KEY && env.CUSTOMILY_SHOP_DOMAIN
      ? {
          apiKey: env.CUSTOMILY_API_KEY,
          tokenUrl: env.CUSTOMILY_TOKEN_URL,
          // The article's URL, with "?" where its example writes "&" (docs/customily.md says why).
          itemUrl: env.CUSTOMILY_ITEM_URL ?? `${env.CUSTOMILY_API_URL}/api/standalone/item/{id}?shop={shop}`,
          shopDomain: env.CUSTOMILY_SHOP_DOMAIN
        }
      : undefined,
    jobs: { heartbeatSeconds: env.JOB_HEARTBEAT_SECONDS, expireSeconds: env.JOB_EXPIRE_SECONDS }
  })
}

/** What is missing for each part of the service to work; shown in /readyz detail and at startup. */
export function configurationProblems (config: Config): string[] {
  const problems: string[] = []
  if (!config.shopify.shopDomain) problems.push('SHOPIFY_SHOP_DOMAIN is not set: webhooks from any shop are accepted and the Admin API cannot be reached')
  if (!config.shopify.auth) problems.push('no Shopify credentials: set SHOPIFY_CLIENT_ID and SHOPIFY_CLIENT_SECRET (or SHOPIFY_ADMIN_ACCESS_TOKEN)')
  if (config.shopify.webhookSecrets.length === 0) problems.push('no Shopify webhook secret: set SHOPIFY_WEBHOOK_SECRETS or SHOPIFY_CLIENT_SECRET; every webhook is refused until then')
  if (!config.env.PRINTFUL_API_TOKEN && !config.env.PRINTIFY_API_TOKEN) problems.push('no supplier configured: set PRINTFUL_API_TOKEN and/or PRINTIFY_API_TOKEN')
  if (config.env.PRINTIFY_API_TOKEN && !config.env.PRINTIFY_SHOP_ID) problems.push('PRINTIFY_SHOP_ID is not set: Printify orders cannot be created')
  if (config.env.CUSTOMILY_API_KEY && !config.env.CUSTOMILY_SHOP_DOMAIN) problems.push('CUSTOMILY_SHOP_DOMAIN is not set: personalized lines cannot be looked up at Customily (set the storefront domain Customily knows the shop by, e.g. yourstore.com)')
  if (!config.opsApiToken) problems.push('OPS_API_TOKEN is not set: the /v1 ops API answers 503')
  return problems
}

function deepFreeze<T> (value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const inner of Object.values(value)) deepFreeze(inner)
  }
  return value
}
