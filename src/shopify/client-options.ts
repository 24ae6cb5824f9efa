// From the service's config to the client's options: the one place that knows
// both shapes, so the composition root stays a line long.
import type { Config } from '../config.ts'
import type { ShopifyClientOptions } from './graphql-client.ts'

/** undefined when the store or its credentials are not configured (configurationProblems() says which). */
export function shopifyClientOptions (shopify: Config['shopify'], extra: Partial<Omit<ShopifyClientOptions, 'apiUrl' | 'apiVersion' | 'auth'>> = {}): ShopifyClientOptions | undefined {
  if (!shopify.apiUrl || !shopify.auth) return undefined
  return { ...extra, apiUrl: shopify.apiUrl, apiVersion: shopify.apiVersion, auth: shopify.auth }
}
