// Table types for kysely, matching migrations/. Columns with a default are
// `Generated`, so inserts may leave them out.
import type { ColumnType, Generated } from 'kysely'

type Timestamp = ColumnType<Date, Date | string, Date | string>
type CreatedAt = ColumnType<Date, Date | string | undefined, Date | string>
type Json<T = unknown> = ColumnType<T, string, string>

export const orderStates = ['received', 'pending_payment', 'held', 'submitted', 'in_production', 'partially_shipped', 'shipped', 'fulfilled', 'needs_attention', 'cancelled'] as const
export type OrderState = typeof orderStates[number]

export const submissionStates = ['pending', 'held', 'submitting', 'submitted', 'needs_attention', 'cancel_requested', 'cancelled'] as const
export type SubmissionState = typeof submissionStates[number]

/** A supplier's registry name (src/suppliers/registry.ts checks it at the edge; the database does not). */
export type SupplierName = string
/** A supplier's name, or 'none' (shipped by the merchant). */
export type LineSupplier = string

export interface OrdersTable {
  id: Generated<string>
  shop: string
  shopify_order_id: string
  name: string | null
  order_number: string | null
  email: string | null
  state: ColumnType<OrderState, OrderState | undefined, OrderState>
  state_reason: string | null
  state_changed_at: CreatedAt
  financial_status: string | null
  test: Generated<boolean>
  cancelled_at: Timestamp | null
  shopify_created_at: Timestamp | null
  shopify_updated_at: Timestamp | null
  snapshot: Json | null
  synced_at: Timestamp | null
  approved_at: Timestamp | null
  approved_by: string | null
  hold_until: Timestamp | null
  cancelled_locally_at: Timestamp | null
  cancelled_locally_by: string | null
  created_at: CreatedAt
  updated_at: CreatedAt
}

export interface WebhookEventsTable {
  id: Generated<string>
  /** 'shopify' or a supplier's name. */
  source: string
  shop: string
  topic: string
  dedupe_key: string
  event_id: string | null
  webhook_id: string | null
  api_version: string | null
  triggered_at: Timestamp | null
  received_at: CreatedAt
  raw_body: Buffer
  status: ColumnType<'received' | 'processed' | 'ignored' | 'failed' | 'redacted', 'received' | 'processed' | 'ignored' | 'failed' | 'redacted' | undefined>
  error: string | null
  order_id: string | null
  replay_of: string | null
}

export interface OrderLinesTable {
  id: Generated<string>
  order_id: string
  shopify_line_item_id: string
  variant_id: string | null
  product_id: string | null
  sku: string | null
  vendor: string | null
  title: string | null
  quantity: number
  routable_quantity: Generated<number>
  supplier: LineSupplier | null
  mapping_id: string | null
  state: ColumnType<'pending' | 'routed' | 'skipped' | 'unroutable' | 'removed', 'pending' | 'routed' | 'skipped' | 'unroutable' | 'removed' | undefined>
  reason: string | null
  created_at: CreatedAt
  updated_at: CreatedAt
}

export interface FulfillmentOrderRefsTable {
  fulfillment_order_id: string
  order_id: string
}

export interface SupplierOrdersTable {
  id: Generated<string>
  order_id: string
  supplier: SupplierName
  sequence: Generated<number>
  generation: Generated<number>
  external_id: string
  supplier_order_id: string | null
  state: ColumnType<SubmissionState, SubmissionState | undefined, SubmissionState>
  reason: string | null
  supplier_status: string | null
  supplier_status_reason: string | null
  supplier_updated_at: Timestamp | null
  attempts: Generated<number>
  last_error: string | null
  draft: Json | null
  hold_until: Timestamp | null
  next_poll_at: Timestamp | null
  submitted_at: Timestamp | null
  created_at: CreatedAt
  updated_at: CreatedAt
}

export interface SupplierOrderLinesTable {
  supplier_order_id: string
  order_line_id: string
  quantity: number
  /** The supplier's own SKU for the line, from its order reads (Printify's shipment webhooks name items by it). */
  supplier_sku: ColumnType<string | null, string | null | undefined, string | null>
}

export interface ShipmentsTable {
  id: Generated<string>
  supplier_order_id: string
  dedupe_key: string
  supplier_shipment_id: string | null
  carrier: string | null
  /** The supplier's service text (Printful `service`), which names the DHL of a bare "DHL". */
  service: ColumnType<string | null, string | null | undefined, string | null>
  tracking_number: string | null
  tracking_url: string | null
  status: string | null
  items: ColumnType<unknown, string | undefined, string>
  shipped_at: Timestamp | null
  delivered_at: Timestamp | null
  shopify_sync_state: ColumnType<'pending' | 'synced' | 'failed', 'pending' | 'synced' | 'failed' | undefined>
  /** Why the last write-back to Shopify failed (state failed). */
  shopify_sync_error: string | null
  shopify_synced_at: Timestamp | null
  /** The parcel carries lines an earlier parcel carried: its tracking joins their Shopify fulfillments. */
  reshipment: ColumnType<boolean, boolean | undefined, boolean>
  created_at: CreatedAt
  updated_at: CreatedAt
}

export interface ShipmentFulfillmentsTable {
  shipment_id: string
  fulfillment_order_id: string
  shopify_fulfillment_id: string
  created_at: CreatedAt
}

export interface OrderEventsTable {
  id: ColumnType<string, never, never>
  order_id: string
  supplier_order_id: string | null
  at: CreatedAt
  kind: string
  actor: string
  detail: string | null
  data: Json | null
  error: string | null
}

export interface VariantMappingsTable {
  id: Generated<string>
  match_kind: 'variant_id' | 'sku' | 'sku_prefix' | 'vendor'
  match_value: string
  personalization: string | null
  placement: string | null
  managed_by: string | null
  source: Generated<string>
  created_at: CreatedAt
  updated_at: CreatedAt
}

/** Where a mapping sends a line: a supplier and its item reference (that supplier's schema). None: shipped by the merchant. */
export interface MappingTargetsTable {
  mapping_id: string
  position: Generated<number>
  supplier: SupplierName
  ref: Json
}

export interface MappingImportsTable {
  id: Generated<string>
  supplier: SupplierName
  state: ColumnType<'running' | 'done' | 'failed', 'running' | 'done' | 'failed' | undefined>
  store_variants: Generated<number>
  processed: Generated<number>
  created: Generated<number>
  updated: Generated<number>
  kept: Generated<number>
  unmatched: Generated<number>
  unmatched_sample: ColumnType<unknown, string | undefined, string>
  products_done: Generated<number>
  stalls: Generated<number>
  error: string | null
  started_at: CreatedAt
  finished_at: Timestamp | null
  updated_at: CreatedAt
}

export interface WatermarksTable {
  name: string
  at: Timestamp
  cursor: string | null
  updated_at: CreatedAt
}

export interface SettingsTable {
  key: string
  value: Json
  updated_at: CreatedAt
}

export interface RateBudgetsTable {
  supplier: string
  tokens: number
  refilled_at: CreatedAt
  blocked_until: Timestamp | null
  last_error: string | null
  next_turn_at: Timestamp | null
  updated_at: CreatedAt
}

export interface AlertsTable {
  id: Generated<string>
  order_id: string
  kind: 'needs_attention' | 'stuck'
  state: string
  episode_at: Timestamp
  reason: string | null
  status: ColumnType<'pending' | 'sent' | 'skipped', 'pending' | 'sent' | 'skipped' | undefined>
  attempts: Generated<number>
  last_error: string | null
  claimed_until: Timestamp | null
  sent_at: Timestamp | null
  created_at: CreatedAt
}

/** A supplier product the push has seen (issue 18). */
export interface ProductsTable {
  id: Generated<string>
  supplier: SupplierName
  supplier_product_id: string
  title: string | null
  shopify_product_id: string | null
  handle: string | null
  store_status: string | null
  digests: ColumnType<Record<string, string>, string | undefined, string>
  variant_ids: ColumnType<Record<string, string>, string | undefined, string>
  media_ids: ColumnType<Record<string, string>, string | undefined, string>
  /** The tags the push last wrote: on an update only the difference moves (tagsAdd/tagsRemove), the merchant's own stay. */
  pushed_tags: ColumnType<string[], string | undefined, string>
  last_push_at: Timestamp | null
  outcome: string | null
  reason: string | null
  acknowledged_at: Timestamp | null
  created_at: CreatedAt
  updated_at: CreatedAt
}

/** A product's timeline: each push, archive and withdrawal. */
export interface ProductEventsTable {
  id: Generated<string>
  product_id: string
  at: CreatedAt
  kind: string
  actor: string
  outcome: string | null
  detail: string | null
  data: Json | null
  error: string | null
}

export interface Database {
  orders: OrdersTable
  webhook_events: WebhookEventsTable
  order_lines: OrderLinesTable
  fulfillment_order_refs: FulfillmentOrderRefsTable
  supplier_orders: SupplierOrdersTable
  supplier_order_lines: SupplierOrderLinesTable
  shipments: ShipmentsTable
  shipment_fulfillments: ShipmentFulfillmentsTable
  order_events: OrderEventsTable
  variant_mappings: VariantMappingsTable
  mapping_targets: MappingTargetsTable
  mapping_imports: MappingImportsTable
  watermarks: WatermarksTable
  settings: SettingsTable
  rate_budgets: RateBudgetsTable
  alerts: AlertsTable
  products: ProductsTable
  product_events: ProductEventsTable
}
