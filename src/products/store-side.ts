// The store side of the product push, over the Admin API transport the
// service already has: products through StoreProducts (src/shopify/products/),
// the shop's currency read once, and the customId's metafield definition
// ensured once per process, before the first product is created.
import type { GraphqlTransport } from '../shopify/index.ts'
import { createStoreProducts } from '../shopify/products/client.ts'
import type { ProductStore } from './push.ts'
import { shopCurrencyReader } from './shop-currency.ts'

export function productStoreOf (transport: GraphqlTransport): ProductStore {
  const products = createStoreProducts(transport)
  let identifier: Promise<void> | undefined
  return {
    products,
    currency: shopCurrencyReader(transport),
    ready: async () => {
      identifier ??= products.ensureIdentifier().catch((err: unknown) => { identifier = undefined; throw err })
      return identifier
    }
  }
}
