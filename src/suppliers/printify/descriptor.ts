// Printify, as the registry knows it (src/suppliers/registry.ts): everything
// the rest of the bridge needs of Printify, and nothing outside this folder
// names it.
import { z } from 'zod'
import { AppError } from '../../lib/errors.ts'
import { httpUrl, positiveInt } from '../../lib/env-schemas.ts'
import type { SupplierDescriptor, SupplierEnv } from '../common/descriptor.ts'
import { checkPrintifyOrder } from './check.ts'
import { printifyItemRef } from './item-ref.ts'
import { PrintifySupplier } from './supplier.ts'
import { parsePrintifyWebhook, verifyPrintifyWebhook } from './webhook.ts'
import { registerPrintify } from './webhook-setup.ts'

const settings = z.object({
  PRINTIFY_API_TOKEN: z.string().min(1).optional(),
  PRINTIFY_SHOP_ID: z.string().regex(/^\d+$/, { error: 'must be a numeric shop id' }).optional(),
  PRINTIFY_API_URL: httpUrl.default('https://api.printify.com'),
  PRINTIFY_WEBHOOK_SECRET: z.string().min(1).optional(),
  PRINTIFY_RATE_PER_MINUTE: positiveInt('a number of requests per minute (1-100000)', 1, 100_000).default(600)
})
type Settings = z.output<typeof settings>

/** config.ts parsed the environment with `settings`: read back typed. */
function own (env: SupplierEnv): Settings {
  return env as Settings
}

export const printify: SupplierDescriptor = {
  name: 'printify',
  displayName: 'Printify',
  // No documented per-order URL: its orders page (the console shows the order id beside it).
  dashboardUrl: () => 'https://printify.com/app/orders',
  externalIdLetter: 'y',
  settings,
  envExample: `# --- Printify ----------------------------------------------------------------
# PRINTIFY_API_TOKEN=replace-with-personal-access-token
# PRINTIFY_SHOP_ID=1234567
# PRINTIFY_API_URL=https://api.printify.com
# Verifies X-Pfy-Signature on Printify webhooks.
# PRINTIFY_WEBHOOK_SECRET=replace-with-webhook-secret
# Printify allows 600 requests/minute per account.
# PRINTIFY_RATE_PER_MINUTE=600
`,
  configureWith: 'PRINTIFY_API_TOKEN and PRINTIFY_SHOP_ID',
  problems: (env) => own(env).PRINTIFY_API_TOKEN && !own(env).PRINTIFY_SHOP_ID ? ['PRINTIFY_SHOP_ID is not set: Printify orders cannot be created'] : [],
  create (env, defaults) {
    const s = own(env)
    if (!s.PRINTIFY_API_TOKEN || !s.PRINTIFY_SHOP_ID) return undefined
    return new PrintifySupplier({
      apiUrl: s.PRINTIFY_API_URL, token: s.PRINTIFY_API_TOKEN, shopId: s.PRINTIFY_SHOP_ID,
      // Printify requires a User-Agent (§2.2).
      userAgent: defaults.userAgent ?? 'pod-bridge',
      ...(defaults.timeoutMs === undefined ? {} : { timeoutMs: defaults.timeoutMs })
    })
  },
  // A test order is never created at Printify (testOrders: never): it is no problem of the order's.
  check: (draft) => checkPrintifyOrder(draft).filter((p) => p.field !== 'test'),
  // X-Pfy-Signature: sha256=<hex HMAC of the raw body> (§2.5).
  webhook: {
    trusted: true,
    verify ({ rawBody, headers }, env) {
      const secret = own(env).PRINTIFY_WEBHOOK_SECRET
      if (!secret) throw new AppError('not_configured', 'PRINTIFY_WEBHOOK_SECRET is not set: Printify webhooks are refused')
      const signature = headers['x-pfy-signature']
      if (!verifyPrintifyWebhook(rawBody, typeof signature === 'string' ? signature : undefined, secret)) throw new AppError('unauthorized', 'the X-Pfy-Signature does not match the body')
    },
    parse: parsePrintifyWebhook,
    account: (env) => own(env).PRINTIFY_SHOP_ID ?? 'printify',
    register (supplier, base, env, _options, io) {
      if (!(supplier instanceof PrintifySupplier)) throw new Error(`the Printify descriptor was given the ${supplier.name} client`)
      return registerPrintify(supplier.api, base, own(env).PRINTIFY_WEBHOOK_SECRET, io)
    }
  },
  itemRef: printifyItemRef,
  // shipping_method: 1 standard, 2 priority, 3 Printify Express, 4 economy (§2.4).
  shippingMethod: z.number().int().min(1).max(4),
  shippingMethodHint: '"printify": <1-4> (1 standard, 2 priority, 3 Printify Express, 4 economy)',
  capabilities: {
    // An unsent Printify order goes to production by itself after a delay (§2.4).
    testOrders: 'never',
    // cancel.json is "only accepted for orders in on-hold or payment-not-received" (§2.4).
    cancellableStates: ['on_hold'],
    confirmAfterCreate: true,
    listReads: true,
    // Shipment webhooks name SKUs only (§2.5).
    shipmentItems: 'sku'
  },
  ratePerMinute: (env) => own(env).PRINTIFY_RATE_PER_MINUTE,
  dashboard: 'Printify\'s dashboard'
}
