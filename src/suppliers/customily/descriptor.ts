// Customily, as the registry knows it: a provider of per-order print files
// (not a supplier: it prints nothing), looked up at submission by the line's
// personalization id. Nothing outside this folder names it.
import { z } from 'zod'
import { csv, httpUrl, positiveInt } from '../../lib/env-schemas.ts'
import type { FileProvider, FileProviderDescriptor, SupplierEnv } from '../common/descriptor.ts'
import { CustomilyClient } from './client.ts'
import { choosePrintFile } from './print-file.ts'

// Customily's item URL as a template: {id} is the personalization id, {shop} the
// storefront domain, each percent-encoded where it is put (docs/customily.md).
const itemUrl = z.string().trim().refine((template) => {
  const placeholders = template.match(/\{[^}]*\}/g) ?? []
  if (placeholders.filter((p) => p === '{id}').length !== 1 || placeholders.filter((p) => p === '{shop}').length !== 1 || placeholders.length !== 2) return false
  try {
    return /^https?:$/.test(new URL(template.replace('{id}', 'x').replace('{shop}', 'x')).protocol)
  } catch {
    return false
  }
}, { error: 'must be an http(s) URL template holding {id} and {shop} once each, e.g. https://sh.customily.com/api/standalone/item/{id}?shop={shop}' })

const storefrontDomain = z.string().trim().toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]$/, { error: 'must be the storefront\'s domain, like yourstore.com (no https://, no path)' })

const settings = z.object({
  // Customily's help article 42965126428315: the item API and the token on different hosts.
  CUSTOMILY_API_URL: httpUrl.default('https://sh.customily.com'),
  CUSTOMILY_API_KEY: z.string().min(1).optional(),
  CUSTOMILY_TOKEN_URL: httpUrl.default('https://app.customily.com/api/token'),
  CUSTOMILY_ITEM_URL: itemUrl.optional(),
  CUSTOMILY_SHOP_DOMAIN: storefrontDomain.optional(),
  CUSTOMILY_PROPERTIES: csv('a comma-separated list of property names').default(['_customily_id', 'customily_id', '_personalization_id']),
  // Customily renders about 30 minutes after the order: how long to wait between look-ups of a file not ready yet.
  CUSTOMILY_RETRY_SECONDS: positiveInt('a number of seconds (1-3600)', 1, 3600).default(300)
})
type Settings = z.output<typeof settings>

function own (env: SupplierEnv): Settings {
  return env as Settings
}

/** Customily look-ups, when the key and the storefront domain are set. */
export function customilySettings (env: SupplierEnv): { readonly apiKey: string, readonly tokenUrl: string, readonly itemUrl: string, readonly shopDomain: string } | undefined {
  const s = own(env)
  if (!s.CUSTOMILY_API_KEY || !s.CUSTOMILY_SHOP_DOMAIN) return undefined
  return {
    apiKey: s.CUSTOMILY_API_KEY,
    tokenUrl: s.CUSTOMILY_TOKEN_URL,
    // The article's URL, with "?" where its example writes "&" (docs/customily.md says why).
    itemUrl: s.CUSTOMILY_ITEM_URL ?? `${s.CUSTOMILY_API_URL}/api/standalone/item/{id}?shop={shop}`,
    shopDomain: s.CUSTOMILY_SHOP_DOMAIN
  }
}

/** The client behind the small FileProvider interface the domain sees. */
export function customilyFiles (client: CustomilyClient, retryMs: number): FileProvider {
  return {
    name: 'customily',
    displayName: 'Customily',
    retryMs,
    async printFile (personalizationId, placement) {
      const found = await client.personalization(personalizationId)
      if (found.state === 'not_ready') return { state: 'not_ready' }
      return { state: 'ready', ...choosePrintFile(found, placement) }
    },
    problems: () => client.problems(),
    checkAccess: () => client.checkAccess()
  }
}

export const customily: FileProviderDescriptor = {
  name: 'customily',
  displayName: 'Customily',
  settings,
  envExample: `# --- Customily (personalized products) ---------------------------------------
# Customily's API (help.customily.com article 42965126428315): a token from one host,
# the personalization item from another. Look-ups run when the key and the shop domain are set.
# CUSTOMILY_API_KEY=replace-with-api-key
# The storefront domain Customily knows the shop by (the article: shop=yourstore.com).
# CUSTOMILY_SHOP_DOMAIN=yourstore.com
# CUSTOMILY_TOKEN_URL=https://app.customily.com/api/token
# Origin of the item API; the item URL below defaults to it.
# CUSTOMILY_API_URL=https://sh.customily.com
# The item URL as a template: {id} is the personalization id, {shop} the shop domain, each
# percent-encoded. The article's example writes "<id>&shop=", its text calls both query-string
# parameters; the default reads it as "?shop=". If every look-up answers 404, try the other.
# CUSTOMILY_ITEM_URL=https://sh.customily.com/api/standalone/item/{id}?shop={shop}
# Line item property names that may hold the personalization id.
# CUSTOMILY_PROPERTIES=_customily_id,customily_id,_personalization_id
# Seconds between look-ups of a production file not rendered yet (Customily takes about
# 30 minutes); after 2 hours without one the supplier order needs attention.
# CUSTOMILY_RETRY_SECONDS=300
`,
  configureWith: 'CUSTOMILY_API_KEY and CUSTOMILY_SHOP_DOMAIN',
  problems: (env) => own(env).CUSTOMILY_API_KEY && !own(env).CUSTOMILY_SHOP_DOMAIN
    ? ['CUSTOMILY_SHOP_DOMAIN is not set: personalized lines cannot be looked up at Customily (set the storefront domain Customily knows the shop by, e.g. yourstore.com)']
    : [],
  propertiesSetting: 'CUSTOMILY_PROPERTIES',
  propertyNames: (env) => own(env).CUSTOMILY_PROPERTIES,
  create (env, defaults) {
    const found = customilySettings(env)
    if (!found) return undefined
    const client = new CustomilyClient({ ...found, ...(defaults.timeoutMs === undefined ? {} : { timeoutMs: defaults.timeoutMs }) })
    return customilyFiles(client, own(env).CUSTOMILY_RETRY_SECONDS * 1000)
  }
}
