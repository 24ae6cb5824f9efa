// Gelato, as the registry knows it (src/suppliers/registry.ts): everything
// the rest of the bridge needs of Gelato, and nothing outside this folder
// names it.
import { z } from 'zod'
import { AppError } from '../../lib/errors.ts'
import { httpUrl, positiveInt } from '../../lib/env-schemas.ts'
import type { SupplierDescriptor, SupplierEnv } from '../common/descriptor.ts'
import { checkGelatoOrder } from './check.ts'
import { gelatoItemRef } from './item-ref.ts'
import { GelatoSupplier } from './supplier.ts'
import { parseGelatoWebhook, verifyGelatoWebhook } from './webhook.ts'
import { registerGelato } from './webhook-setup.ts'

const settings = z.object({
  GELATO_API_KEY: z.string().min(1).optional(),
  // The Order API's host (https://dashboard.gelato.com/docs/orders/v4/create).
  GELATO_API_URL: httpUrl.default('https://order.gelatoapis.com'),
  // The Product API's host (https://dashboard.gelato.com/docs/products/product/search/).
  GELATO_PRODUCT_API_URL: httpUrl.default('https://product.gelatoapis.com'),
  GELATO_WEBHOOK_SECRET: z.string().min(16, { error: 'must be at least 16 characters (it is the only check on Gelato webhooks)' }).optional(),
  // Gelato documents no request limit for its Order API: a modest budget until it says otherwise.
  GELATO_RATE_PER_MINUTE: positiveInt('a number of requests per minute (1-100000)', 1, 100_000).default(120)
})
type Settings = z.output<typeof settings>

/** config.ts parsed the environment with `settings`: read back typed. */
function own (env: SupplierEnv): Settings {
  return env as Settings
}

export const gelato: SupplierDescriptor = {
  name: 'gelato',
  displayName: 'Gelato',
  // The dashboard's order page, by Gelato's order id.
  dashboardUrl: (id) => `https://dashboard.gelato.com/orders/${encodeURIComponent(id)}`,
  externalIdLetter: 'g',
  settings,
  envExample: `# --- Gelato ------------------------------------------------------------------
# GELATO_API_KEY=replace-with-api-key
# GELATO_API_URL=https://order.gelatoapis.com
# GELATO_PRODUCT_API_URL=https://product.gelatoapis.com
# Gelato webhooks are unsigned: set them up in Gelato's dashboard with the header
# X-Webhook-Secret carrying this value (16+ characters; see the README).
# GELATO_WEBHOOK_SECRET=replace-with-a-long-random-string
# Shared request budget across all replicas (Gelato documents no limit).
# GELATO_RATE_PER_MINUTE=120
`,
  configureWith: 'GELATO_API_KEY',
  problems: (env) => own(env).GELATO_API_KEY && !own(env).GELATO_WEBHOOK_SECRET ? ['GELATO_WEBHOOK_SECRET is not set: Gelato webhooks are refused, and Gelato orders are only polled'] : [],
  create (env, defaults) {
    const s = own(env)
    if (!s.GELATO_API_KEY) return undefined
    return new GelatoSupplier({
      apiUrl: s.GELATO_API_URL, productApiUrl: s.GELATO_PRODUCT_API_URL, apiKey: s.GELATO_API_KEY,
      ...(defaults.timeoutMs === undefined ? {} : { timeoutMs: defaults.timeoutMs })
    })
  },
  check: checkGelatoOrder,
  webhook: {
    // Unsigned (https://dashboard.gelato.com/docs/webhooks/): a trigger to re-read the order.
    trusted: false,
    verify ({ headers, query }, env) {
      const secret = own(env).GELATO_WEBHOOK_SECRET
      if (!secret) throw new AppError('not_configured', 'GELATO_WEBHOOK_SECRET is not set: Gelato webhooks are refused')
      if (!verifyGelatoWebhook(headers, query, secret)) throw new AppError('unauthorized', 'missing or wrong X-Webhook-Secret header on the Gelato webhook')
    },
    parse: (rawBody) => parseGelatoWebhook(rawBody),
    account: () => 'gelato',
    register: (_supplier, base, env, _options, io) => registerGelato(base, own(env).GELATO_WEBHOOK_SECRET, io)
  },
  itemRef: gelatoItemRef,
  // shipmentMethodUid: "normal", "standard", "express", or a method's uid from the shipment methods list (v4/create).
  shippingMethod: z.string().trim().min(1).max(200),
  shippingMethodHint: '"gelato": "<shipmentMethodUid>" (normal, standard, express or a method uid)',
  capabilities: {
    // Gelato's own facility: a draft order is kept and never produced until submitted (order_details "draft").
    testOrders: 'draft',
    // Cancel only before production (v4/cancel; order_details): our pending, on hold and draft.
    cancellableStates: ['draft', 'pending', 'on_hold'],
    confirmAfterCreate: false,
    // The search lists orders by status, but paging a whole account's orders is no cheaper than reading ours by reference.
    listReads: false,
    // Packages name order items, which carry our line id as itemReferenceId.
    shipmentItems: 'line'
  },
  ratePerMinute: (env) => own(env).GELATO_RATE_PER_MINUTE,
  dashboard: 'Gelato\'s dashboard'
}
