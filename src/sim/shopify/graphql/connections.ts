// Relay connections as the Admin API serves them: first/last required and at
// most 250 (Shopify refuses a connection without either; shopify.md §3.6 prices a
// connection by `first`), opaque cursors that encode the item's sort key, so paging
// stays stable while items change. The error texts are Shopify's as remembered [unverified].
import { GraphQLError } from 'graphql'

export interface ConnectionArgs { first?: number | null, last?: number | null, after?: string | null, before?: string | null, reverse?: boolean | null }

export interface Connection<T> {
  nodes: T[]
  edges: Array<{ node: T, cursor: string }>
  pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }
}

const maxPage = 250

export function encodeCursor (key: string): string {
  return Buffer.from(JSON.stringify({ k: key })).toString('base64url')
}

function decodeCursor (cursor: string): string {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (parsed && typeof parsed === 'object' && 'k' in parsed && typeof parsed.k === 'string') return parsed.k
  } catch {
    // fall through to the error Shopify gives for a cursor it did not issue
  }
  throw new GraphQLError('Invalid cursor for current pagination sort.', { extensions: { code: 'BAD_REQUEST' } })
}

/** A fixed-width key from a numeric id, so keys compare as strings. */
export function idKey (id: string): string {
  return id.padStart(24, '0')
}

/** `items` sorted ascending by `key`. */
export function connection<T> (items: readonly T[], args: ConnectionArgs, key: (item: T) => string): Connection<T> {
  const first = args.first ?? undefined
  const last = args.last ?? undefined
  if (first === undefined && last === undefined) {
    throw new GraphQLError('you must provide one of first or last', { extensions: { code: 'BAD_REQUEST' } })
  }
  if ((first !== undefined && (first < 0 || first > maxPage)) || (last !== undefined && (last < 0 || last > maxPage))) {
    throw new GraphQLError(`The page size must be between 0 and ${maxPage}.`, { extensions: { code: 'BAD_REQUEST' } })
  }
  let ordered = args.reverse ? [...items].reverse() : [...items]
  const ahead = (a: string, b: string): boolean => args.reverse ? a < b : a > b
  if (args.after) {
    const after = decodeCursor(args.after)
    ordered = ordered.filter((item) => ahead(key(item), after))
  }
  if (args.before) {
    const before = decodeCursor(args.before)
    ordered = ordered.filter((item) => ahead(before, key(item)))
  }
  const total = ordered.length
  let start = 0
  let end = total
  if (first !== undefined) end = Math.min(end, first)
  if (last !== undefined) start = Math.max(0, end - last)
  const page = ordered.slice(start, end)
  const edges = page.map((node) => ({ node, cursor: encodeCursor(key(node)) }))
  return {
    nodes: page,
    edges,
    pageInfo: {
      hasNextPage: end < total,
      hasPreviousPage: start > 0 || Boolean(args.after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null
    }
  }
}
