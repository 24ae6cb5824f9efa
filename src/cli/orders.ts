// `pod-bridge orders [--stuck] [--state] [--supplier] [--q] [--limit]`: a table
// of orders, newest first; `pod-bridge order <ref>`: one order and its timeline.
import { z } from 'zod'
import { formatDuration } from '../lib/duration.ts'
import { getJson, shortTime, since, table, type OpsClientOptions } from './ops-client.ts'

export interface OrdersOptions {
  readonly stuck: boolean
  readonly state: string | undefined
  readonly supplier: string | undefined
  readonly q: string | undefined
  readonly limit: string | undefined
  readonly cursor: string | undefined
}

// The API's answers, checked: a service of another version fails loudly here.
const listAnswer = z.object({
  orders: z.array(z.object({ id: z.string(), name: z.string().nullable(), shopifyOrderId: z.string(), state: z.string(), stateReason: z.string().nullable(), stateChangedAt: z.string(), stuck: z.boolean(), stuckForSeconds: z.number().nullable(), createdAt: z.string() })),
  nextCursor: z.string().nullable()
})

const detailAnswer = z.object({
  order: z.object({ id: z.string(), name: z.string().nullable(), shopifyOrderId: z.string(), state: z.string(), stateReason: z.string().nullable().optional(), stateChangedAt: z.string().optional(), financialStatus: z.string().nullable(), stuck: z.boolean().optional(), createdAt: z.string() }),
  lines: z.array(z.object({ shopifyLineItemId: z.string(), sku: z.string().nullable(), quantity: z.number(), supplier: z.string().nullable(), state: z.string(), reason: z.string().nullable() })),
  supplierOrders: z.array(z.object({ supplier: z.string(), externalId: z.string(), supplierOrderId: z.string().nullable(), state: z.string(), supplierStatus: z.string().nullable(), reason: z.string().nullable() })),
  shipments: z.array(z.object({ supplier: z.string(), carrier: z.string().nullable(), trackingNumber: z.string().nullable(), trackingUrl: z.string().nullable(), shippedAt: z.string().nullable(), shopifyFulfillmentIds: z.array(z.string()) })),
  timeline: z.array(z.object({ at: z.string(), kind: z.string(), actor: z.string().optional(), detail: z.string().nullable(), error: z.string().nullable().optional() }))
})

export async function ordersCommand (client: OpsClientOptions, options: OrdersOptions, print: (line: string) => void): Promise<number> {
  const answer = listAnswer.parse(await getJson(client, 'v1/orders', {
    stuck: options.stuck ? 'true' : undefined, state: options.state, supplier: options.supplier, q: options.q, limit: options.limit, cursor: options.cursor
  }))
  if (answer.orders.length === 0) {
    print('no orders match')
    return 0
  }
  const rows = answer.orders.map((o) => [
    o.name ?? o.shopifyOrderId,
    o.state,
    since(o.stateChangedAt),
    o.stuck ? `STUCK +${formatDuration((o.stuckForSeconds ?? 0) * 1000)}` : '',
    shortTime(o.createdAt),
    o.stateReason ?? '',
    o.id
  ])
  for (const line of table(['ORDER', 'STATE', 'IN STATE', 'STUCK', 'CREATED', 'REASON', 'ID'], rows)) print(line)
  if (answer.nextCursor) print(`more: pod-bridge orders --cursor ${answer.nextCursor}`)
  return 0
}

export type OrderDetail = z.infer<typeof detailAnswer>

/** `GET /v1/orders/:ref`, checked. */
export async function fetchOrderDetail (client: OpsClientOptions, ref: string): Promise<OrderDetail> {
  return detailAnswer.parse(await getJson(client, `v1/orders/${encodeURIComponent(ref)}`))
}

/** One line per timeline entry; `when` formats its moment (default: the UTC time). */
export function timelineLines (timeline: OrderDetail['timeline'], when: (iso: string) => string = shortTime): string[] {
  return timeline.map((e) => `${when(e.at)}  ${e.kind.padEnd(18)} ${e.actor ? `[${e.actor}] ` : ''}${e.detail ?? ''}${e.error ? `  ERROR: ${e.error}` : ''}`)
}

export async function orderCommand (client: OpsClientOptions, ref: string, print: (line: string) => void): Promise<number> {
  const d = await fetchOrderDetail(client, ref)
  const o = d.order
  print(`Order ${o.name ?? o.shopifyOrderId}  ${o.state}${o.stuck ? '  (STUCK)' : ''}${o.stateReason ? `: ${o.stateReason}` : ''}`)
  print(`  id ${o.id}  shopify ${o.shopifyOrderId}  payment ${o.financialStatus ?? '-'}  first seen ${shortTime(o.createdAt)}${o.stateChangedAt ? `  in state since ${shortTime(o.stateChangedAt)} (${since(o.stateChangedAt)})` : ''}`)
  print('')
  print('Lines')
  if (d.lines.length === 0) print('  (none yet)')
  else for (const line of table(['LINE', 'SKU', 'QTY', 'SUPPLIER', 'STATE', 'REASON'], d.lines.map((l) => [l.shopifyLineItemId.replace('gid://shopify/LineItem/', ''), l.sku ?? '-', String(l.quantity), l.supplier ?? '-', l.state, l.reason ?? '']))) print(`  ${line}`)
  print('')
  print('Supplier orders')
  if (d.supplierOrders.length === 0) print('  (none)')
  else for (const line of table(['SUPPLIER', 'EXTERNAL ID', 'THEIR ID', 'STATE', 'THEIR STATUS', 'REASON'], d.supplierOrders.map((s) => [s.supplier, s.externalId, s.supplierOrderId ?? '-', s.state, s.supplierStatus ?? '-', s.reason ?? '']))) print(`  ${line}`)
  print('')
  print('Shipments')
  if (d.shipments.length === 0) print('  (none)')
  else for (const line of table(['SUPPLIER', 'CARRIER', 'TRACKING', 'SHIPPED', 'IN SHOPIFY'], d.shipments.map((s) => [s.supplier, s.carrier ?? '-', s.trackingNumber ?? '-', shortTime(s.shippedAt), s.shopifyFulfillmentIds.length > 0 ? 'yes' : 'not yet']))) print(`  ${line}`)
  print('')
  print('Timeline')
  for (const line of timelineLines(d.timeline)) print(`  ${line}`)
  return 0
}
