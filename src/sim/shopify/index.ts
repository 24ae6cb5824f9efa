// A simulated Shopify store for tests, the demo and `pod-bridge sim`: the real
// 2026-10 Admin GraphQL schema, the token endpoint, signed webhooks, and a control
// API (typed here, and over HTTP under /_control). See README.md in this folder.
import { buildShopifySimulator, type ShopifySimulatorOptions } from './server.ts'
import type { ShopifySimStore } from './store-control.ts'

export interface ShopifySimulator {
  /** Origin to use as SHOPIFY_API_URL, e.g. http://127.0.0.1:41234 */
  readonly url: string
  readonly store: ShopifySimStore
  close (): Promise<void>
}

export async function startShopifySimulator (options: ShopifySimulatorOptions): Promise<ShopifySimulator> {
  const { app, store, shutdown } = buildShopifySimulator(options)
  const host = options.host ?? '127.0.0.1'
  await app.listen({ port: options.port ?? 0, host })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : options.port ?? 0
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    store,
    async close () {
      shutdown()
      await store.idle()
      await app.close()
    }
  }
}

export { buildShopifySimulator } from './server.ts'
export type { ShopifySimulatorOptions } from './server.ts'
export type { Faults, ShopifySimStore, SimFulfillmentInfo, SimFulfillmentOrderInfo, SimOrderRef, SimRequest } from './store-control.ts'
export type { CancelInput, CreateOrderInput, EditOrderInput, HoldInput, LineInput, LocationInput, ProductEditInput, RefundInput, VariantInput } from './store/control-inputs.ts'
export type { ProductControl, SimProductInfo } from './product-control.ts'
export type { FailureKind, ThrottleOptions } from './graphql/graphql-endpoint.ts'
export type { CostStatus, CostThrottleSettings } from './graphql/cost-bucket.ts'
export { standardPlan } from './graphql/cost-bucket.ts'
export { actualCost, estimateCost } from './graphql/query-cost.ts'
export type { WebhookDelivery } from './webhook-sender.ts'
export { signBody, topicEnum } from './webhook-sender.ts'
export { adminSchema, adminApiVersion } from './graphql/admin-schema.ts'
export { orderInputFromRest, parseShopifyJson } from './rest-import.ts'
