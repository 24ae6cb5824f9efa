// Builds the supplier clients the configuration asks for (DESIGN.md env
// table). The composition root calls this once; nothing here reads process.env.
import type { Config } from '../config.ts'
import { CustomilyClient } from './customily/client.ts'
import { PrintfulSupplier } from './printful/supplier.ts'
import { PrintifySupplier } from './printify/supplier.ts'

export interface Suppliers {
  readonly printful?: PrintfulSupplier
  readonly printify?: PrintifySupplier
  readonly customily?: CustomilyClient
}

export interface SupplierClientDefaults {
  /** Whole-request timeout for every supplier call (default 15 s). */
  readonly timeoutMs?: number
  /** Sent to Printify, which requires one (default "pod-bridge"). */
  readonly userAgent?: string
}

export function createSuppliers (config: Config, defaults: SupplierClientDefaults = {}): Suppliers {
  const env = config.env
  const timeout = defaults.timeoutMs === undefined ? {} : { timeoutMs: defaults.timeoutMs }
  return {
    ...(env.PRINTFUL_API_TOKEN
      ? { printful: new PrintfulSupplier({ apiUrl: env.PRINTFUL_API_URL, token: env.PRINTFUL_API_TOKEN, ...(env.PRINTFUL_STORE_ID ? { storeId: env.PRINTFUL_STORE_ID } : {}), ...timeout }) }
      : {}),
    ...(env.PRINTIFY_API_TOKEN && env.PRINTIFY_SHOP_ID
      ? { printify: new PrintifySupplier({ apiUrl: env.PRINTIFY_API_URL, token: env.PRINTIFY_API_TOKEN, shopId: env.PRINTIFY_SHOP_ID, userAgent: defaults.userAgent ?? 'pod-bridge', ...timeout }) }
      : {}),
    ...(config.customily ? { customily: new CustomilyClient({ ...config.customily, ...timeout }) } : {})
  }
}

export type { CatalogVariant, Problem, Supplier, SupplierAccepted, SupplierEvent, SupplierName, SupplierObservation, SupplierOrderDraft, SupplierRef, SupplierShipment, SupplierStatus, SupplierStoreInfo } from './common/supplier.ts'
export { PrintfulSupplier } from './printful/supplier.ts'
export { PrintifySupplier } from './printify/supplier.ts'
export { CustomilyClient } from './customily/client.ts'
export { verifyPrintifyWebhook, parsePrintifyWebhook } from './printify/webhook.ts'
export { parsePrintfulWebhook } from './printful/webhook.ts'
