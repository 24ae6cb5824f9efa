// Rows and snapshots for the routing tests, seeded directly as order.sync
// would leave them (the contract in DESIGN.md and the routing issue).
import { builtInRegistry } from '../../src/suppliers/registry.ts'
import { sql } from 'kysely'
import type { PgBoss } from 'pg-boss'
import type { Db } from '../../src/db/database.ts'
import { routeOrder, type RouteDeps } from '../../src/orders/routing/router.ts'
import type { OrderLine, OrderSnapshot } from '../../src/shopify/order-snapshot.ts'

let nextId = 1000

export interface LineSpec {
  readonly sku?: string | null
  readonly variantId?: string | null
  readonly vendor?: string | null
  readonly title?: string
  readonly quantity?: number
  readonly giftCard?: boolean
  readonly requiresShipping?: boolean
  /** What order.sync decided: pending (routable) by default. */
  readonly state?: 'pending' | 'skipped'
  readonly reason?: string
  readonly routableQuantity?: number
  /** Line item properties (where a Customily personalization id lives). */
  readonly properties?: readonly { name: string, value: string }[]
}

export function snapshotLine (spec: LineSpec, id = String(nextId++)): OrderLine {
  const quantity = spec.quantity ?? 1
  return {
    id: `gid://shopify/LineItem/${id}`,
    name: spec.title ?? `Item ${id}`,
    title: spec.title ?? `Item ${id}`,
    variantTitle: null,
    vendor: spec.vendor ?? null,
    sku: spec.sku === undefined ? `SKU-${id}` : spec.sku,
    variantId: spec.variantId === undefined ? `gid://shopify/ProductVariant/${id}` : spec.variantId,
    productId: `gid://shopify/Product/${id}`,
    quantity,
    currentQuantity: quantity,
    requiresShipping: spec.requiresShipping ?? !spec.giftCard,
    isGiftCard: spec.giftCard ?? false,
    properties: [...(spec.properties ?? [])],
    unitPrice: { amount: '25.00', currencyCode: 'USD' },
    remainingQuantity: quantity
  }
}

export type SnapshotOverrides = Partial<Omit<OrderSnapshot, 'shippingAddress'>> & { shippingAddress?: Partial<NonNullable<OrderSnapshot['shippingAddress']>> | null }

export function snapshot (lines: readonly OrderLine[], overrides: SnapshotOverrides = {}): OrderSnapshot {
  const legacyId = overrides.legacyId ?? String(5_000_000_000_000 + nextId++)
  const { shippingAddress, ...rest } = overrides
  return {
    id: `gid://shopify/Order/${legacyId}`,
    legacyId,
    name: '#1001',
    number: 1001,
    email: 'jane@example.com',
    createdAt: '2026-11-27T01:00:00Z',
    updatedAt: '2026-11-27T01:00:00Z',
    processedAt: '2026-11-27T01:00:00Z',
    test: false,
    financialStatus: 'PAID',
    fulfillmentStatus: 'UNFULFILLED',
    cancelledAt: null,
    cancelReason: null,
    closed: false,
    currencyCode: 'USD',
    localizedFields: [],
    shippingLines: [{ id: null, title: 'Standard', code: 'STANDARD', source: 'shopify' }],
    fulfillmentOrders: [],
    fulfillments: [],
    ...rest,
    lines: [...lines],
    shippingAddress: shippingAddress === null
      ? null
      : {
          firstName: 'Jane', lastName: 'Doe', name: 'Jane Doe', company: null, address1: '1 Main Street', address2: null,
          city: 'Springfield', province: 'Oregon', provinceCode: 'OR', country: 'United States', countryCode: 'US', zip: '97477', phone: null,
          ...shippingAddress
        }
  }
}

export interface SeededOrder { readonly orderId: string, readonly snapshot: OrderSnapshot, readonly lineIds: string[] }

/** An order as order.sync leaves it for the router: state received, one order_lines row per snapshot line. */
export async function seedOrder (db: Db, specs: readonly LineSpec[], overrides: SnapshotOverrides = {}): Promise<SeededOrder> {
  const lines = specs.map((spec) => snapshotLine(spec))
  const snap = snapshot(lines, overrides)
  const order = await db.insertInto('orders').values({
    shop: 'pod-bridge-test.myshopify.com',
    shopify_order_id: snap.id,
    name: snap.name,
    order_number: String(snap.number),
    test: snap.test,
    financial_status: snap.financialStatus,
    snapshot: JSON.stringify(snap),
    shopify_created_at: snap.createdAt,
    shopify_updated_at: snap.updatedAt
  }).returning('id').executeTakeFirstOrThrow()
  const lineIds = await insertLines(db, order.id, specs, lines)
  return { orderId: order.id, snapshot: snap, lineIds }
}

export async function insertLines (db: Db, orderId: string, specs: readonly LineSpec[], lines: readonly OrderLine[]): Promise<string[]> {
  const ids: string[] = []
  for (const [i, line] of lines.entries()) {
    const spec = specs[i] ?? {}
    const skipped = spec.state === 'skipped' || spec.giftCard === true
    const row = await db.insertInto('order_lines').values({
      order_id: orderId,
      shopify_line_item_id: line.id,
      variant_id: line.variantId,
      product_id: line.productId,
      sku: line.sku,
      vendor: line.vendor,
      title: line.title,
      quantity: line.currentQuantity,
      routable_quantity: spec.routableQuantity ?? (skipped ? 0 : line.remainingQuantity),
      state: skipped ? 'skipped' : 'pending',
      reason: skipped ? spec.reason ?? (spec.giftCard ? 'gift card' : 'not routable') : null
    }).returning('id').executeTakeFirstOrThrow()
    ids.push(row.id)
  }
  return ids
}

/** Adds lines to a seeded order, as order.sync does after an edit (an upsell). */
export async function addLines (db: Db, seeded: SeededOrder, specs: readonly LineSpec[]): Promise<SeededOrder> {
  const lines = specs.map((spec) => snapshotLine(spec))
  const snap = { ...seeded.snapshot, lines: [...seeded.snapshot.lines, ...lines] }
  await db.updateTable('orders').set({ snapshot: JSON.stringify(snap) }).where('id', '=', seeded.orderId).execute()
  const ids = await insertLines(db, seeded.orderId, specs, lines)
  return { orderId: seeded.orderId, snapshot: snap, lineIds: [...seeded.lineIds, ...ids] }
}

export function routeDepsFor (boss: PgBoss, overrides: Partial<RouteDeps> = {}): RouteDeps {
  return {
    boss,
    approval: { kind: 'auto' },
    shippingMethods: { '*': {} },
    configured: new Set(['printful', 'printify']),
    personalizationProperties: { customily: ['_customily_id', 'customily_id', '_personalization_id'] },
    registry: builtInRegistry,
    ...overrides
  }
}

export async function route (db: Db, deps: RouteDeps, orderId: string) {
  return db.transaction().execute((trx) => routeOrder(trx, deps, orderId))
}

export const printfulTee = { match: { sku: 'TEE-WHT-S' }, supplier: 'printful', ref: { syncVariantId: '4001' } } as const
export const printifyMug = { match: { sku: 'MUG-11' }, supplier: 'printify', ref: { productId: '5d39b159e7c48c000728c89f', variantId: '33719' } } as const

/** Jobs of a queue, as pg-boss stores them. */
export async function jobs (db: Db, queue: string): Promise<{ data: Record<string, unknown>, state: string }[]> {
  const rows = await sql<{ data: Record<string, unknown>, state: string }>`select data, state from pgboss.job where name = ${queue} order by created_on`.execute(db)
  return rows.rows
}
