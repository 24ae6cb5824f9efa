// The order list of GET /v1/orders: filters, and keyset pagination on
// (created_at, id) descending, a stable order however rows are added. The
// cursor carries created_at at Postgres's microsecond precision (a JS Date
// would round it to milliseconds and skip or repeat rows on a page edge).
import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import type { LineSupplier, OrderState } from '../../db/schema.ts'
import { AppError } from '../../lib/errors.ts'
import { stuckCondition, stuckFor, stuckOrderIds, type StuckThresholds } from './stuck.ts'

export interface OrderFilters {
  readonly state?: OrderState | undefined
  readonly supplier?: LineSupplier | undefined
  readonly stuck?: boolean | undefined
  /** Order name, email, our id, Shopify id (number or GID), or a tracking number. */
  readonly q?: string | undefined
  readonly createdAfter?: Date | undefined
  readonly createdBefore?: Date | undefined
  readonly limit: number
  readonly cursor?: string | undefined
}

export interface OrderListItem {
  readonly id: string
  readonly shopifyOrderId: string
  readonly name: string | null
  readonly state: OrderState
  readonly stateReason: string | null
  readonly stateChangedAt: Date
  readonly financialStatus: string | null
  readonly test: boolean
  readonly stuck: boolean
  /** How long past its state's STUCK_AFTER, in seconds; null when not stuck. */
  readonly stuckForSeconds: number | null
  readonly createdAt: Date
  readonly updatedAt: Date
}

interface Cursor { readonly at: string, readonly id: string }

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const timestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/

export function encodeCursor (cursor: Cursor): string {
  return Buffer.from(`${cursor.at}|${cursor.id}`).toString('base64url')
}

export function decodeCursor (text: string): Cursor {
  const [at, id, ...rest] = Buffer.from(text, 'base64url').toString('utf8').split('|')
  if (!at || !id || rest.length > 0 || !timestamp.test(at) || !uuid.test(id)) {
    throw new AppError('bad_request', 'querystring.cursor: not a cursor from this API (pass nextCursor back as it was given)')
  }
  return { at, id }
}

function likePattern (text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

export async function listOrders (db: Db, filters: OrderFilters, thresholds: StuckThresholds, now: Date): Promise<{ orders: OrderListItem[], nextCursor: string | null }> {
  let query = db.selectFrom('orders as o')
    .select(['o.id', 'o.shopify_order_id', 'o.name', 'o.state', 'o.state_reason', 'o.state_changed_at', 'o.financial_status', 'o.test', 'o.created_at', 'o.updated_at'])
    .select(sql<string>`to_char(o.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('cursor_at'))
  if (filters.state) query = query.where('o.state', '=', filters.state)
  if (filters.stuck === true) query = query.where(sql<boolean>`o.id in (${stuckOrderIds(thresholds, now)})`)
  if (filters.stuck === false) query = query.where((eb) => eb.not(stuckCondition(thresholds, now)(eb)))
  if (filters.createdAfter) query = query.where('o.created_at', '>=', filters.createdAfter)
  if (filters.createdBefore) query = query.where('o.created_at', '<', filters.createdBefore)
  const supplier = filters.supplier
  if (supplier) {
    // One correlated EXISTS over both tables: probed per order in created_at order, so a common
    // supplier costs a few probes; two OR'd EXISTS are planned as hashed sets of every such order.
    const supplierOrders = supplier === 'none' ? sql`` : sql`union all select 1 from supplier_orders s where s.order_id = o.id and s.supplier = ${supplier}`
    query = query.where(sql<boolean>`exists (select 1 from order_lines l where l.order_id = o.id and l.supplier = ${supplier} ${supplierOrders})`)
  }
  const q = filters.q?.trim()
  if (q) {
    const digits = /^#?(\d+)$/.exec(q)?.[1]
    // One index look-up per way of finding an order (trigram for a part of a name, a whole email), so the search
    // never reads the whole table; an OR over these columns would (BENCHMARKS.md, console at 1M).
    query = query.where(sql<boolean>`o.id in (
      select id from orders where name ilike ${likePattern(q)}
      ${q.includes('@') ? sql`union select id from orders where lower(email) = ${q.toLowerCase()}` : sql``}
      union select id from orders where shopify_order_id = ${digits ? `gid://shopify/Order/${digits}` : q}
      ${uuid.test(q) ? sql`union select ${q.toLowerCase()}::uuid` : sql``}
      union select so.order_id from shipments sh join supplier_orders so on so.id = sh.supplier_order_id where sh.tracking_number = ${q})`)
  }
  if (filters.cursor) {
    const cursor = decodeCursor(filters.cursor)
    query = query.where(sql<boolean>`(o.created_at, o.id) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)`)
  }
  const rows = await query.orderBy('o.created_at', 'desc').orderBy('o.id', 'desc').limit(filters.limit + 1).execute()
  const page = rows.slice(0, filters.limit)
  const last = page.at(-1)
  return {
    orders: page.map((row) => {
      const overdue = stuckFor(thresholds, row.state, row.state_changed_at, now)
      return {
        id: row.id,
        shopifyOrderId: row.shopify_order_id,
        name: row.name,
        state: row.state,
        stateReason: row.state_reason,
        stateChangedAt: row.state_changed_at,
        financialStatus: row.financial_status,
        test: row.test,
        stuck: overdue !== undefined,
        stuckForSeconds: overdue === undefined ? null : Math.floor(overdue / 1000),
        createdAt: row.created_at,
        updatedAt: row.updated_at
      }
    }),
    nextCursor: rows.length > filters.limit && last ? encodeCursor({ at: last.cursor_at, id: last.id }) : null
  }
}
