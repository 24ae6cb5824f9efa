// POST /admin/api/2026-10/graphql.json: authenticate, inject a fault when the
// test asked for one, validate against the real schema, execute, and answer in
// Shopify's envelope (data, errors, extensions.cost). With the cost throttle on
// (cost-bucket.ts) each document is priced by query-cost.ts and charged to the bucket.
import { execute, GraphQLError, parse, validate, type DocumentNode, type FormattedExecutionResult } from 'graphql'
import { adminSchema } from './admin-schema.ts'
import { rootValue, type ResolverContext } from './graphql-root.ts'
import type { SimEvent, StoreState } from '../store/store-model.ts'
import { VariantLimitRefusal } from '../store/store-products.ts'
import type { CostBucket } from './cost-bucket.ts'
import { actualCost, estimateCost } from './query-cost.ts'

export interface ThrottleOptions {
  /** What the request "would have cost"; the client waits (cost - available) / restoreRate seconds. */
  requestedQueryCost?: number
  currentlyAvailable?: number
  restoreRate?: number
  maximumAvailable?: number
}

export type FailureKind =
  | 'http_500' // a 5xx from Shopify's edge
  | 'http_503'
  | 'internal_error' // HTTP 200 with errors[].extensions.code INTERNAL_SERVER_ERROR
  | 'unauthorized' // 401, as for an expired or revoked token
  | 'timeout' // never answers: the client's own timeout must end the request
  | 'reset' // the connection is dropped
  | 'answer_lost' // the request is carried out, then never answered: the worst case for exactly-once

export interface EndpointResult { status: number, body: unknown, hang?: boolean, reset?: boolean }

// Full bucket figures for the Standard plan (shopify.md §3.6: 100 points/s; bucket size unconfirmed, see
// cost-bucket.ts). With the cost throttle off (the default) every document reports this nominal cost and a
// full bucket: nothing waits.
const bucket = { maximumAvailable: 2000, restoreRate: 100 }
const nominalCost = 10

function cost (currentlyAvailable: number, actual: number | null, requested = nominalCost, restoreRate = bucket.restoreRate, maximumAvailable = bucket.maximumAvailable): Record<string, unknown> {
  return { cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: { maximumAvailable, currentlyAvailable, restoreRate } } }
}

export function throttledResult (options: ThrottleOptions): EndpointResult {
  const requested = options.requestedQueryCost ?? nominalCost
  // Default: one point short, so the client's computed wait is 1/restoreRate s (10 ms): fast tests.
  const available = options.currentlyAvailable ?? requested - 1
  // shopify.md §3.6: a throttled answer has errors[0].extensions.code THROTTLED, actualQueryCost null and no data.
  return {
    status: 200,
    body: {
      errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
      extensions: cost(available, null, requested, options.restoreRate ?? bucket.restoreRate, options.maximumAvailable ?? bucket.maximumAvailable)
    }
  }
}

export function failureResult (kind: FailureKind): EndpointResult {
  switch (kind) {
    case 'http_500': return { status: 500, body: { errors: 'Internal Server Error' } }
    case 'http_503': return { status: 503, body: { errors: 'Service Unavailable' } }
    case 'internal_error': return { status: 200, body: { errors: [{ message: 'Internal error. Looks like something went wrong on our end.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } }
    case 'unauthorized': return unauthorizedResult()
    case 'timeout': return { status: 504, body: null, hang: true }
    case 'reset': return { status: 0, body: null, reset: true }
    case 'answer_lost': return { status: 504, body: null, hang: true }
  }
}

export function unauthorizedResult (): EndpointResult {
  // Shopify's 401 body for a bad or expired token carries `errors` as a string [unverified wording; not in shopify.md].
  return { status: 401, body: { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' } }
}

function errorBody (errors: readonly GraphQLError[]): Record<string, unknown> {
  return { errors: errors.map((e) => ({ ...e.toJSON(), extensions: { code: 'GRAPHQL_VALIDATION_FAILED', ...e.extensions } })) }
}

export interface GraphqlRequestBody { query?: unknown, variables?: unknown, operationName?: unknown }

/**
 * Runs one GraphQL request against the store; mutations' webhooks go to `emit`. With a cost bucket (the
 * throttle on) the requested cost must be available, else THROTTLED; it is taken, and after the call the
 * difference to the actual cost is given back.
 */
export async function runGraphql (state: StoreState, body: GraphqlRequestBody, emit: (events: SimEvent[]) => void, costBucket?: CostBucket | null): Promise<EndpointResult> {
  if (typeof body.query !== 'string' || body.query.trim() === '') {
    return { status: 400, body: { errors: { query: 'Required parameter missing or invalid' } } }
  }
  let document: DocumentNode
  try {
    document = parse(body.query)
  } catch (err) {
    return { status: 200, body: errorBody([err instanceof GraphQLError ? err : new GraphQLError(String(err))]) }
  }
  const schema = adminSchema()
  const invalid = validate(schema, document)
  if (invalid.length > 0) return { status: 200, body: errorBody(invalid) }
  const variables = body.variables && typeof body.variables === 'object' ? body.variables as Record<string, unknown> : undefined
  let requested = nominalCost
  if (costBucket) {
    requested = estimateCost(document, variables ?? {})
    if (!costBucket.take(requested)) return throttledResult({ requestedQueryCost: requested, ...costBucket.status() })
  }
  const collected: SimEvent[] = []
  const context: ResolverContext = { emit: (events) => { collected.push(...events) } }
  const result = await execute({
    schema,
    document,
    rootValue: rootValue(state),
    contextValue: context,
    ...(variables ? { variableValues: variables } : {}),
    ...(typeof body.operationName === 'string' ? { operationName: body.operationName } : {})
  })
  if (collected.length > 0) emit(collected)
  // The daily variant creation limit is a GraphQL error with code VARIANT_THROTTLE_EXCEEDED in a 200
  // answer, the mutation's field null (store-products.ts cites the reports); anything else unexpected is
  // an INTERNAL_SERVER_ERROR.
  const codeOf = (e: GraphQLError): string => e.originalError instanceof VariantLimitRefusal ? 'VARIANT_THROTTLE_EXCEEDED' : 'INTERNAL_SERVER_ERROR'
  const formatted: FormattedExecutionResult = {
    ...(result.errors ? { errors: result.errors.map((e) => ({ ...e.toJSON(), extensions: { code: codeOf(e), ...e.extensions } })) } : {}),
    ...(result.data !== undefined ? { data: result.data } : {})
  }
  if (!costBucket) return { status: 200, body: { ...formatted, extensions: cost(bucket.maximumAvailable - nominalCost, nominalCost) } }
  const actual = Math.min(requested, actualCost(document, variables ?? {}, result.data ?? null))
  costBucket.refund(requested - actual)
  const status = costBucket.status()
  return { status: 200, body: { ...formatted, extensions: cost(status.currentlyAvailable, actual, requested, status.restoreRate, status.maximumAvailable) } }
}
