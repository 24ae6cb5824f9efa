// Stored webhook deliveries as ops see them: listed newest first in cursor
// pages, never with their raw bodies (they hold customers' addresses).
import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import { decodeCursor, encodeCursor } from './order-list.ts'

export type WebhookStatus = 'received' | 'processed' | 'ignored' | 'failed' | 'redacted'

export interface WebhookFilters {
  /** 'shopify' or a supplier's name. */
  readonly source?: string | undefined
  readonly topic?: string | undefined
  readonly status?: WebhookStatus | undefined
  readonly orderId?: string | undefined
  readonly limit: number
  readonly cursor?: string | undefined
}

export interface WebhookListItem {
  readonly id: string
  readonly source: string
  readonly shop: string
  readonly topic: string
  readonly eventId: string | null
  readonly webhookId: string | null
  readonly status: WebhookStatus
  readonly error: string | null
  readonly orderId: string | null
  readonly replayOf: string | null
  readonly bodyBytes: number
  readonly triggeredAt: Date | null
  readonly receivedAt: Date
}

export async function listWebhookEvents (db: Db, filters: WebhookFilters): Promise<{ webhooks: WebhookListItem[], nextCursor: string | null }> {
  let query = db.selectFrom('webhook_events as w')
    .select(['w.id', 'w.source', 'w.shop', 'w.topic', 'w.event_id', 'w.webhook_id', 'w.status', 'w.error', 'w.order_id', 'w.replay_of', 'w.triggered_at', 'w.received_at'])
    .select(sql<number>`octet_length(w.raw_body)`.as('body_bytes'))
    .select(sql<string>`to_char(w.received_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('cursor_at'))
  if (filters.source) query = query.where('w.source', '=', filters.source)
  if (filters.topic) query = query.where('w.topic', '=', filters.topic)
  if (filters.status) query = query.where('w.status', '=', filters.status)
  if (filters.orderId) query = query.where('w.order_id', '=', filters.orderId)
  if (filters.cursor) {
    const cursor = decodeCursor(filters.cursor)
    query = query.where(sql<boolean>`(w.received_at, w.id) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)`)
  }
  const rows = await query.orderBy('w.received_at', 'desc').orderBy('w.id', 'desc').limit(filters.limit + 1).execute()
  const page = rows.slice(0, filters.limit)
  const last = page.at(-1)
  return {
    webhooks: page.map((row) => ({
      id: row.id,
      source: row.source,
      shop: row.shop,
      topic: row.topic,
      eventId: row.event_id,
      webhookId: row.webhook_id,
      status: row.status,
      error: row.error,
      orderId: row.order_id,
      replayOf: row.replay_of,
      bodyBytes: Number(row.body_bytes),
      triggeredAt: row.triggered_at,
      receivedAt: row.received_at
    })),
    nextCursor: rows.length > filters.limit && last ? encodeCursor({ at: last.cursor_at, id: last.id }) : null
  }
}
