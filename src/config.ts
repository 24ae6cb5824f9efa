// The one place that reads the environment (STYLE.md §2). Every variable of
// DESIGN.md's contract table is parsed here, once, into a frozen typed object.
// A bad value stops startup with a message naming the variable; values are
// never echoed back, so a secret pasted into the wrong variable is not printed.
import { isIP } from 'node:net'
import { z } from 'zod'
import { csv, httpUrl, positiveInt } from './lib/env-schemas.ts'
import { builtInRegistry, type Registry } from './suppliers/registry.ts'
import { priceMarkup, type PriceRule } from './lib/price-markup.ts'

const stateNames = ['received', 'pending_payment', 'held', 'submitting', 'submitted', 'in_production', 'partially_shipped', 'shipped'] as const
type StuckState = typeof stateNames[number]

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

// Each supplier's value is its descriptor's (`shippingMethod`): SHIPPING_METHODS={"*":{"<supplier>": <value>}}.
const shippingMethod = z.object(Object.fromEntries(builtInRegistry.suppliers.map((d) => [d.name, d.shippingMethod.optional()]))).strict()

const shippingMethods = z.string().transform((text, ctx) => {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    ctx.addIssue({ code: 'custom', message: `must be JSON, e.g. {"*":{"<supplier>":<its method>},"Express":{...}} with the suppliers ${builtInRegistry.names.join(', ')}` })
    return z.NEVER
  }
  const result = z.record(z.string(), shippingMethod).safeParse(parsed)
  if (!result.success) {
    ctx.addIssue({ code: 'custom', message: `must map shipping line titles or codes to ${builtInRegistry.shippingMethodsShape}` })
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
  // Each supplier's own settings (src/suppliers/<name>/descriptor.ts).
  ...builtInRegistry.settingsShape,
  OPS_API_TOKEN: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
  OPS_READ_TOKEN: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
  APPROVAL_MODE: approvalMode.default({ kind: 'auto' }),
  ROUTE_WHEN: z.enum(['paid', 'authorized'], { error: 'must be paid or authorized' }).default('paid'),
  SUPPLIER_POLL_INTERVAL: positiveInt('a number of seconds (10-86400)', 10, 86_400).default(300),
  ROUTE_ORDERS_CREATED_AFTER: z.iso.datetime({ offset: true, error: 'must be an ISO time like 2026-11-01T00:00:00Z' }).optional(),
  SHIPPING_METHODS: shippingMethods.default({ '*': {} }),
  NOTIFY_CUSTOMER: booleanFlag.default(true),
  STUCK_AFTER: stuckAfter.default(defaultStuckAfter),
  ALERT_WEBHOOK_URL: httpUrl.optional(),
  // Product push (issue 18): a person looks at a pushed product before it sells, unless told otherwise.
  PRODUCT_PUSH_STATUS: z.enum(['draft', 'active'], { error: 'must be draft or active' }).default('draft'),
  PRICE_MARKUP: priceMarkup.optional(),
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
  readonly jobs: { readonly heartbeatSeconds: number, readonly expireSeconds: number }
  /** The product push: the status of products it creates, the price rule for variants without a retail price. */
  readonly products: { readonly status: 'draft' | 'active', readonly markup: PriceRule | undefined }
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
    jobs: { heartbeatSeconds: env.JOB_HEARTBEAT_SECONDS, expireSeconds: env.JOB_EXPIRE_SECONDS },
    products: { status: env.PRODUCT_PUSH_STATUS, markup: env.PRICE_MARKUP }
  })
}

/** What is missing for each part of the service to work; shown in /readyz detail and at startup. */
export function configurationProblems (config: Config, registry: Registry = builtInRegistry): string[] {
  const problems: string[] = []
  if (!config.shopify.shopDomain) problems.push('SHOPIFY_SHOP_DOMAIN is not set: webhooks from any shop are accepted and the Admin API cannot be reached')
  if (!config.shopify.auth) problems.push('no Shopify credentials: set SHOPIFY_CLIENT_ID and SHOPIFY_CLIENT_SECRET (or SHOPIFY_ADMIN_ACCESS_TOKEN)')
  if (config.shopify.webhookSecrets.length === 0) problems.push('no Shopify webhook secret: set SHOPIFY_WEBHOOK_SECRETS or SHOPIFY_CLIENT_SECRET; every webhook is refused until then')
  problems.push(...registry.settingsProblems(config.env))
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
