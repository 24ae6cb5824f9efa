// Mutations answer HTTP 200 with `userErrors` when Shopify refuses what was asked
// (shopify.md §3.6: "Mutations return userErrors with HTTP 200. Always check them").
// They become one typed error so the fulfillment job can tell "over-fulfilment" or
// "fulfillment order closed" from a network failure: the code is upstream_rejected.
import { z } from 'zod'
import { AppError } from '../lib/errors.ts'

export const userErrorSchema = z.object({
  field: z.array(z.string()).nullable().optional(),
  message: z.string(),
  code: z.string().nullable().optional()
})

export type ShopifyUserError = z.infer<typeof userErrorSchema>

export class ShopifyUserErrors extends AppError {
  readonly mutation: string
  readonly userErrors: readonly ShopifyUserError[]

  constructor (mutation: string, userErrors: readonly ShopifyUserError[]) {
    super('upstream_rejected', `Shopify ${mutation} refused: ${userErrors.map((e) => e.message).join('; ')}`, {
      detail: { mutation, userErrors: userErrors.map((e) => ({ field: e.field ?? null, message: e.message, code: e.code ?? null })) }
    })
    this.name = 'ShopifyUserErrors'
    this.mutation = mutation
    this.userErrors = userErrors
  }
}

export function isShopifyUserErrors (err: unknown): err is ShopifyUserErrors {
  return err instanceof ShopifyUserErrors
}

export function throwOnUserErrors (mutation: string, userErrors: readonly ShopifyUserError[]): void {
  if (userErrors.length > 0) throw new ShopifyUserErrors(mutation, userErrors)
}
