// Reads a whole order, page by page. The order query nests short lists (Shopify
// refuses a query above 1000 points); whatever did not fit is fetched here, so
// the mapper always sees every line, fulfillment order line and fulfillment.
import { AppError } from '../lib/errors.ts'
import * as docs from './documents.ts'
import * as wire from './admin-wire.ts'
import type { GraphqlTransport } from './graphql-client.ts'

/** Page sizes the documents are sent with; documents.test.ts checks each query's cost at these. */
export interface QueryLimits {
  /** Order lines per page, and fulfillment order / fulfillment lines per follow-up page. */
  readonly lines: number
  /** Fulfillment orders per page (each carries up to `nestedLines` lines). */
  readonly fulfillmentOrders: number
  readonly nestedLines: number
  /** Fulfillments read with the order; more are listed by id and read one by one. */
  readonly fulfillments: number
  readonly fulfillmentIds: number
}

// Defaults keep the order query near 500 points (documents.test.ts prints each cost): a
// typical POD order (a few lines, one or two fulfillment orders) is read in one request,
// and the requested cost reserved from the bucket stays well under Shopify's 1000 limit.
export function queryLimits (pageSize = 25): QueryLimits {
  const lines = Math.min(250, Math.max(1, pageSize))
  return { lines, fulfillmentOrders: 5, nestedLines: Math.min(10, lines), fulfillments: 5, fulfillmentIds: 250 }
}

type PageInfo = wire.OrderWire['lineItems']['pageInfo']

async function rest<T> (pageInfo: PageInfo, fetchPage: (after: string | null) => Promise<{ pageInfo: PageInfo, nodes: T[] }>): Promise<T[]> {
  const nodes: T[] = []
  let page = pageInfo
  while (page.hasNextPage) {
    const next = await fetchPage(page.endCursor)
    nodes.push(...next.nodes)
    page = next.pageInfo
  }
  return nodes
}

const done: PageInfo = { hasNextPage: false, endCursor: null }

function lost (what: string): never {
  throw new AppError('upstream_invalid_response', `Shopify lost ${what} while it was being paged`)
}

export async function completeFulfillmentOrder (transport: GraphqlTransport, limits: QueryLimits, fo: wire.FulfillmentOrderWire): Promise<wire.FulfillmentOrderWire> {
  const more = await rest(fo.lineItems.pageInfo, async (after) => {
    const data = await transport.execute(docs.fulfillmentOrderLineItemsQuery, { id: fo.id, first: limits.lines, after }, wire.fulfillmentOrderLineItemsResponse)
    return data.fulfillmentOrder?.lineItems ?? lost(`fulfillment order ${fo.id}`)
  })
  return { ...fo, lineItems: { pageInfo: done, nodes: [...fo.lineItems.nodes, ...more] } }
}

export async function completeFulfillment (transport: GraphqlTransport, limits: QueryLimits, fulfillment: wire.FulfillmentWire): Promise<wire.FulfillmentWire> {
  const more = await rest(fulfillment.fulfillmentLineItems.pageInfo, async (after) => {
    const data = await transport.execute(docs.fulfillmentLineItemsQuery, { id: fulfillment.id, first: limits.lines, after }, wire.fulfillmentLineItemsResponse)
    return data.fulfillment?.fulfillmentLineItems ?? lost(`fulfillment ${fulfillment.id}`)
  })
  return { ...fulfillment, fulfillmentLineItems: { pageInfo: done, nodes: [...fulfillment.fulfillmentLineItems.nodes, ...more] } }
}

export async function readFulfillmentOrders (transport: GraphqlTransport, limits: QueryLimits, orderId: string, first: { pageInfo: PageInfo, nodes: wire.FulfillmentOrderWire[] }): Promise<wire.FulfillmentOrderWire[]> {
  const more = await rest(first.pageInfo, async (after) => {
    const data = await transport.execute(docs.orderFulfillmentOrdersQuery, { id: orderId, first: limits.fulfillmentOrders, after, foLines: limits.nestedLines }, wire.orderFulfillmentOrdersResponse)
    return data.order?.fulfillmentOrders ?? lost(`order ${orderId}`)
  })
  return Promise.all([...first.nodes, ...more].map((fo) => completeFulfillmentOrder(transport, limits, fo)))
}

/** The whole order, or undefined when Shopify has none by that id. */
export async function readOrder (transport: GraphqlTransport, limits: QueryLimits, id: string): Promise<wire.OrderWire | undefined> {
  const data = await transport.execute(docs.orderQuery, {
    id, lines: limits.lines, fulfillmentOrders: limits.fulfillmentOrders, foLines: limits.nestedLines, fulfillments: limits.fulfillments
  }, wire.orderResponse)
  const order = data.order
  if (!order) return undefined
  const moreLines = await rest(order.lineItems.pageInfo, async (after) => {
    const page = await transport.execute(docs.orderLineItemsQuery, { id, first: limits.lines, after }, wire.orderLineItemsResponse)
    return page.order?.lineItems ?? lost(`order ${id}`)
  })
  const fulfillmentOrders = await readFulfillmentOrders(transport, limits, id, order.fulfillmentOrders)
  let fulfillments = order.fulfillments
  if (fulfillments.length >= limits.fulfillments) {
    // Order.fulfillments cannot be paged: list every id, then read the ones that did not fit.
    const ids = await transport.execute(docs.orderFulfillmentIdsQuery, { id, first: limits.fulfillmentIds }, wire.orderFulfillmentIdsResponse)
    const known = new Set(fulfillments.map((f) => f.id))
    const missing = (ids.order?.fulfillments ?? []).filter((f) => !known.has(f.id))
    const extra = await Promise.all(missing.map(async (f) => {
      const one = await transport.execute(docs.fulfillmentQuery, { id: f.id }, wire.fulfillmentResponse)
      return one.fulfillment ?? lost(`fulfillment ${f.id}`)
    }))
    fulfillments = [...fulfillments, ...extra]
  }
  return {
    ...order,
    lineItems: { pageInfo: done, nodes: [...order.lineItems.nodes, ...moreLines] },
    fulfillmentOrders: { pageInfo: done, nodes: fulfillmentOrders },
    fulfillments: await Promise.all(fulfillments.map((f) => completeFulfillment(transport, limits, f)))
  }
}
