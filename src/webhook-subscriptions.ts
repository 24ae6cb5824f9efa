// The store's webhook subscriptions check: run at worker start and daily (job
// shopify.subscriptions.check), and after `pod-bridge webhooks register`. The
// result is kept in the settings table so every replica's /readyz and
// /v1/stats report the same thing, whichever replica ran the check.
//
// It never fails readiness: a missing subscription loses webhooks, not the
// ability to serve (reconciliation still catches every order within minutes),
// and taking the API out of a load balancer would lose the webhooks that do
// arrive. It is listed among /readyz's problems instead.
import { sql } from 'kysely'
import { z } from 'zod'
import type { Db } from './db/database.ts'
import { errorMessage } from './lib/errors.ts'
import type { ShopifyAdminClient, ShopifyAuth } from './shopify/index.ts'
import { evaluateSubscriptions } from './shopify/subscriptions.ts'

const SETTINGS_KEY = 'webhook_subscriptions_check'

export const subscriptionCheckSchema = z.object({
  checkedAt: z.string(),
  managedBy: z.enum(['admin_api', 'app_configuration']),
  status: z.enum(['ok', 'missing', 'unverifiable', 'failed']),
  topics: z.array(z.object({
    topic: z.string(),
    state: z.enum(['subscribed', 'missing', 'unverifiable']),
    uris: z.array(z.string()),
    /** Evidence the API cannot give for app-configuration subscriptions: when this topic last arrived. */
    lastDeliveryAt: z.string().nullable()
  })),
  missing: z.array(z.string()),
  error: z.string().nullable()
})
export type SubscriptionCheck = z.infer<typeof subscriptionCheckSchema>

export interface SubscriptionCheckDeps {
  readonly db: Db
  readonly shopify: Pick<ShopifyAdminClient, 'webhookSubscriptions'>
  readonly auth: ShopifyAuth['kind']
  readonly now?: () => Date
}

/** Reads the store's subscriptions, compares them with the topics the bridge needs, and stores the result. */
export async function runSubscriptionCheck (deps: SubscriptionCheckDeps): Promise<SubscriptionCheck> {
  const checkedAt = (deps.now?.() ?? new Date()).toISOString()
  const managedBy = deps.auth === 'client_credentials' ? 'app_configuration' : 'admin_api'
  let check: SubscriptionCheck
  try {
    const evaluation = evaluateSubscriptions(await deps.shopify.webhookSubscriptions(), deps.auth)
    const seen = await lastDeliveries(deps.db, evaluation.topics.map((t) => t.topic))
    check = {
      checkedAt,
      managedBy: evaluation.managedBy,
      status: evaluation.status,
      topics: evaluation.topics.map((t) => ({ ...t, uris: [...t.uris], lastDeliveryAt: seen.get(t.topic) ?? null })),
      missing: evaluation.topics.filter((t) => t.state === 'missing').map((t) => t.topic),
      error: null
    }
  } catch (err) {
    check = { checkedAt, managedBy, status: 'failed', topics: [], missing: [], error: errorMessage(err) }
  }
  await saveSubscriptionCheck(deps.db, check)
  return check
}

async function lastDeliveries (db: Db, topics: readonly string[]): Promise<Map<string, string>> {
  if (topics.length === 0) return new Map()
  const rows = await db.selectFrom('webhook_events')
    .select(['topic', sql<Date>`max(received_at)`.as('last')])
    .where('source', '=', 'shopify').where('topic', 'in', [...topics])
    .groupBy('topic').execute()
  return new Map(rows.map((r) => [r.topic, new Date(r.last).toISOString()]))
}

export async function saveSubscriptionCheck (db: Db, check: SubscriptionCheck): Promise<void> {
  const value = JSON.stringify(check)
  await db.insertInto('settings').values({ key: SETTINGS_KEY, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: sql`now()` }))
    .execute()
}

/** The latest stored check; undefined before the first one (or if the stored shape is from another version). */
export async function loadSubscriptionCheck (db: Db): Promise<SubscriptionCheck | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', SETTINGS_KEY).executeTakeFirst()
  const parsed = subscriptionCheckSchema.safeParse(row?.value)
  return parsed.success ? parsed.data : undefined
}

/** One line for /readyz's checks, and the problems worth a warning. */
export function describeSubscriptionCheck (check: SubscriptionCheck | undefined): { summary: string, problems: string[] } {
  if (!check) return { summary: 'not checked yet (checked at worker start and daily)', problems: [] }
  const at = `checked ${check.checkedAt}`
  switch (check.status) {
    case 'ok':
      return { summary: `ok: every topic subscribed (${at})`, problems: [] }
    case 'failed':
      return { summary: `check failed (${at})`, problems: [`Shopify webhook subscriptions could not be checked (${at}): ${check.error ?? 'unknown error'}`] }
    case 'unverifiable': {
      const count = check.topics.filter((t) => t.state === 'unverifiable').length
      return { summary: `${count} topic(s) declared in the app configuration; cannot be verified via the API (${at})`, problems: [] }
    }
    case 'missing':
      return {
        summary: `${check.missing.length} topic(s) missing (${at})`,
        problems: [`Shopify webhook subscriptions missing for ${check.missing.join(', ')} (${at}): run "pod-bridge webhooks register --url <public URL>". Webhooks made by hand under Settings > Notifications are not visible to the API; if yours are there, this can be ignored.`]
      }
  }
}
