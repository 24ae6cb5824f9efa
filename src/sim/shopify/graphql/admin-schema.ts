// The real Shopify Admin GraphQL schema, 2026-10, from an introspection result.
// Source: shopify-admin-2026-10.introspection.json.gz, copied from the team's
// reference folder (shared/reference/), which holds Shopify's published Admin API
// introspection for that version. Every request to the simulator is validated
// against it, so a misspelled field fails here as it would at Shopify.
import { existsSync, readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from 'graphql'

export const adminApiVersion = '2026-10'

let cached: GraphQLSchema | undefined

export function adminSchema (): GraphQLSchema {
  if (cached) return cached
  const file = [
    new URL('./shopify-admin-2026-10.introspection.json.gz', import.meta.url),
    // `tsc -p tsconfig.build.json` emits dist/src/... without this data file: fall back to the source tree.
    new URL('../../../../../src/sim/shopify/graphql/shopify-admin-2026-10.introspection.json.gz', import.meta.url)
  ].find((candidate) => existsSync(candidate))
  if (!file) throw new Error('shopify-admin-2026-10.introspection.json.gz not found next to admin-schema or in src/sim/shopify/graphql')
  const json = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as { data: IntrospectionQuery }
  // assumeValid: graphql 17 rejects Shopify's schema for deprecating fields that
  // implement non-deprecated interface fields (e.g. ChannelInformation.id). That is
  // a rule about the schema, not about queries, so documents are still fully validated.
  cached = buildClientSchema(json.data, { assumeValid: true })
  return cached
}
