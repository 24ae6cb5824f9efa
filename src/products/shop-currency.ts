// The store's currency, read once per process: a shop's currency is set when
// it is created and changing it is a support matter, so one read serves every
// push. Supplier prices in another currency are refused (price.ts).
import { z } from 'zod'
import type { GraphqlTransport } from '../shopify/index.ts'

export const shopCurrencyQuery = `query ShopCurrency {
  shop { currencyCode }
}`

const response = z.object({ shop: z.object({ currencyCode: z.string().regex(/^[A-Z]{3}$/) }) })

export function shopCurrencyReader (transport: Pick<GraphqlTransport, 'execute'>): () => Promise<string> {
  let known: Promise<string> | undefined
  return async () => {
    known ??= transport.execute(shopCurrencyQuery, {}, response).then((data) => data.shop.currencyCode)
    // A failed read is not remembered: the next push asks again.
    return known.catch((err: unknown) => { known = undefined; throw err })
  }
}
