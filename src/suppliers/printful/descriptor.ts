// Printful, as the registry knows it (src/suppliers/registry.ts): everything
// the rest of the bridge needs of Printful, and nothing outside this folder
// names it.
import { createHash, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'
import { AppError } from '../../lib/errors.ts'
import { httpUrl, positiveInt } from '../../lib/env-schemas.ts'
import type { SupplierDescriptor, SupplierEnv } from '../common/descriptor.ts'
import type { Supplier } from '../common/supplier.ts'
import { checkPrintfulOrder } from './check.ts'
import { printfulItemRef } from './item-ref.ts'
import { checkShippingMethods } from './shipping-check.ts'
import { PrintfulSupplier } from './supplier.ts'
import { parsePrintfulWebhook } from './webhook.ts'
import { registerPrintful } from './webhook-setup.ts'

const settings = z.object({
  PRINTFUL_API_TOKEN: z.string().min(1).optional(),
  PRINTFUL_STORE_ID: z.string().regex(/^\d+$/, { error: 'must be a numeric store id' }).optional(),
  PRINTFUL_API_URL: httpUrl.default('https://api.printful.com'),
  PRINTFUL_WEBHOOK_SECRET: z.string().min(16, { error: 'must be at least 16 characters (it is a token in the webhook URL)' }).optional(),
  PRINTFUL_RATE_PER_MINUTE: positiveInt('a number of requests per minute (1-100000)', 1, 100_000).default(120)
})
type Settings = z.output<typeof settings>

/** config.ts parsed the environment with `settings`: read back typed. */
function own (env: SupplierEnv): Settings {
  return env as Settings
}

/** The registry gives each descriptor the client its own create() made. */
function printfulOf (supplier: Supplier): PrintfulSupplier {
  if (!(supplier instanceof PrintfulSupplier)) throw new Error(`the Printful descriptor was given the ${supplier.name} client`)
  return supplier
}

function sameSecret (given: string, expected: string): boolean {
  const digest = (value: string): Buffer => createHash('sha256').update(value).digest()
  return timingSafeEqual(digest(given), digest(expected))
}

export const printful: SupplierDescriptor = {
  name: 'printful',
  displayName: 'Printful',
  // The order's own `dashboard_url` (samples/printful-order.sample.json, Printful's order example).
  dashboardUrl: (id) => `https://www.printful.com/dashboard?order_id=${encodeURIComponent(id)}`,
  externalIdLetter: 'f',
  settings,
  envExample: `# --- Printful ----------------------------------------------------------------
# PRINTFUL_API_TOKEN=replace-with-private-token
# Needed for account-level tokens: the Manual/API store's id.
# PRINTFUL_STORE_ID=1234567
# PRINTFUL_API_URL=https://api.printful.com
# Token placed in the Printful webhook URL (Printful v1 webhooks are unsigned); 16+ characters.
# PRINTFUL_WEBHOOK_SECRET=replace-with-a-long-random-string
# Shared request budget across all replicas (Printful allows 120/minute).
# PRINTFUL_RATE_PER_MINUTE=120
`,
  configureWith: 'PRINTFUL_API_TOKEN',
  problems: () => [],
  create (env, defaults) {
    const s = own(env)
    if (!s.PRINTFUL_API_TOKEN) return undefined
    return new PrintfulSupplier({
      apiUrl: s.PRINTFUL_API_URL, token: s.PRINTFUL_API_TOKEN,
      ...(s.PRINTFUL_STORE_ID ? { storeId: s.PRINTFUL_STORE_ID } : {}),
      ...(defaults.timeoutMs === undefined ? {} : { timeoutMs: defaults.timeoutMs })
    })
  },
  check: checkPrintfulOrder,
  // v1 webhooks carry no signature and no custom header (§1.8): the URL holds a secret token, and the event is only a trigger to re-read the order.
  webhook: {
    trusted: false,
    verify ({ query }, env) {
      const secret = own(env).PRINTFUL_WEBHOOK_SECRET
      if (!secret) throw new AppError('not_configured', 'PRINTFUL_WEBHOOK_SECRET is not set: Printful webhooks are refused')
      const token = query.token
      if (typeof token !== 'string' || !sameSecret(token, secret)) throw new AppError('unauthorized', 'missing or wrong token in the webhook URL')
    },
    parse: parsePrintfulWebhook,
    account: (env) => own(env).PRINTFUL_STORE_ID ?? 'printful',
    register: (supplier, base, env, options, io) => registerPrintful(printfulOf(supplier).api, base, own(env).PRINTFUL_WEBHOOK_SECRET, options, io)
  },
  itemRef: printfulItemRef,
  // A method id from POST /shipping/rates, e.g. STANDARD, PRINTFUL_FAST (§1.6).
  shippingMethod: z.string().min(1),
  shippingMethodHint: '"printful": "<method>"',
  capabilities: {
    // Test orders stay Printful drafts (DESIGN.md).
    testOrders: 'draft',
    // v1 DELETE cancels a pending or draft order (§1.5); failed ones too, as the supplier's cancel() notes.
    cancellableStates: ['draft', 'pending', 'failed'],
    confirmAfterCreate: false,
    listReads: true,
    shipmentItems: 'line'
  },
  ratePerMinute: (env) => own(env).PRINTFUL_RATE_PER_MINUTE,
  dashboard: 'Printful\'s dashboard',
  startupChecks (supplier, env, logger) {
    const methods = (env.SHIPPING_METHODS ?? {}) as Readonly<Record<string, Readonly<Record<string, unknown>>>>
    const configured = [...new Set(Object.values(methods).map((m) => m.printful).filter((id): id is string => typeof id === 'string'))]
    return checkShippingMethods(printfulOf(supplier), configured, logger)
  }
}
