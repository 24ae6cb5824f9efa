// Which webhook subscriptions the store needs, what to create, and what the
// store has. Two kinds exist (shopify.dev "Manage webhook subscriptions",
// https://shopify.dev/docs/apps/build/webhooks/subscribe):
// - shop-specific: made with webhookSubscriptionCreate, one shop at a time;
//   the only kind a legacy admin-created custom app can make itself;
// - app-specific: declared in the app's configuration (shopify.app.toml
//   `[webhooks]`), Shopify's recommendation for Dev Dashboard / CLI apps.
// The webhookSubscriptions query lists shop-specific ones only: "Returns only
// shop-scoped subscriptions, not app-scoped subscriptions configured in TOML
// files" (https://shopify.dev/docs/api/admin-graphql/2025-07/connections/WebhookSubscriptionConnection;
// also kinngh/shopify-nextjs-prisma-app#64). So for a Dev Dashboard app a topic
// absent from the API is "cannot be verified", not "missing".
import type { ShopifyAuth } from './access-token.ts'
import type { WebhookSubscription } from './admin-client.ts'
import { complianceTopics, subscribedTopics, topicEnum } from './webhook-topics.ts'

/** DESIGN.md: every topic goes to this one route. */
export const SHOPIFY_WEBHOOK_PATH = '/webhooks/shopify'

/** `https://bridge.example` (or `.../webhooks/shopify`) → `https://bridge.example/webhooks/shopify`. Throws on anything else. */
export function shopifyWebhookUri (publicUrl: string): string {
  const url = publicBaseUrl(publicUrl)
  return `${url}${SHOPIFY_WEBHOOK_PATH}`
}

/** The service's public origin (and path prefix, behind a proxy), without a trailing slash or a route. */
export function publicBaseUrl (publicUrl: string): string {
  let url: URL
  try {
    url = new URL(publicUrl)
  } catch {
    throw new Error(`--url must be the service's public URL, e.g. https://bridge.example.com (got "${publicUrl}")`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`--url must be an http(s) URL (got "${publicUrl}")`)
  if (url.search || url.hash) throw new Error(`--url must not carry a query or fragment (got "${publicUrl}")`)
  const path = url.pathname.replace(/\/+$/, '').replace(/\/webhooks\/[a-z0-9_-]+$/, '')
  return `${url.origin}${path}`
}

/** True when a subscription delivers to this service's Shopify route (any host: the check does not know the public URL). */
export function pointsAtBridge (uri: string): boolean {
  try {
    return new URL(uri).pathname.replace(/\/+$/, '').endsWith(SHOPIFY_WEBHOOK_PATH)
  } catch {
    return false
  }
}

export interface SubscriptionPlan {
  /** Topics (orders/create spelling) with no subscription at `uri`. */
  readonly create: readonly string[]
  /** Already there: left alone. */
  readonly keep: readonly WebhookSubscription[]
  /** The same topic at another address: reported, never changed (it may be another copy of the bridge, or another tool's). */
  readonly elsewhere: readonly WebhookSubscription[]
}

export function planSubscriptions (existing: readonly WebhookSubscription[], uri: string, topics: readonly string[] = subscribedTopics): SubscriptionPlan {
  const create: string[] = []
  const keep: WebhookSubscription[] = []
  const elsewhere: WebhookSubscription[] = []
  for (const topic of topics) {
    const same = existing.filter((s) => s.topic === topicEnum(topic))
    const here = same.filter((s) => s.uri === uri)
    if (here.length > 0) keep.push(...here)
    else create.push(topic)
    elsewhere.push(...same.filter((s) => s.uri !== uri))
  }
  return { create, keep, elsewhere }
}

/** The `[webhooks]` block for a Dev Dashboard app's shopify.app.toml. */
export function appConfigToml (uri: string, apiVersion: string): string {
  const list = (topics: readonly string[]): string => topics.map((t) => `"${t}"`).join(', ')
  return [
    '[webhooks]',
    `api_version = "${apiVersion}"`,
    '',
    '  [[webhooks.subscriptions]]',
    `  topics = [ ${list(subscribedTopics)} ]`,
    `  uri = "${uri}"`,
    '',
    '  [[webhooks.subscriptions]]',
    `  compliance_topics = [ ${list(complianceTopics)} ]`,
    `  uri = "${uri}"`
  ].join('\n')
}

export type TopicState = 'subscribed' | 'missing' | 'unverifiable'

export interface TopicCheck {
  readonly topic: string
  readonly state: TopicState
  /** Where the store's API-visible subscriptions for this topic deliver. */
  readonly uris: readonly string[]
}

export interface SubscriptionEvaluation {
  /** How this app's subscriptions are managed: Admin API (legacy custom app) or the app's configuration (Dev Dashboard app). */
  readonly managedBy: 'admin_api' | 'app_configuration'
  readonly status: 'ok' | 'missing' | 'unverifiable'
  readonly topics: readonly TopicCheck[]
}

/**
 * A topic is subscribed when an API-visible subscription for it delivers to
 * /webhooks/shopify. Without one, a legacy app is missing it; a Dev Dashboard
 * app may declare it in its configuration, which the API does not show.
 */
export function evaluateSubscriptions (existing: readonly WebhookSubscription[], auth: ShopifyAuth['kind']): SubscriptionEvaluation {
  const managedBy = auth === 'client_credentials' ? 'app_configuration' : 'admin_api'
  const topics = subscribedTopics.map((topic): TopicCheck => {
    const uris = existing.filter((s) => s.topic === topicEnum(topic)).map((s) => s.uri)
    const state: TopicState = uris.some(pointsAtBridge) ? 'subscribed' : managedBy === 'app_configuration' ? 'unverifiable' : 'missing'
    return { topic, state, uris }
  })
  const status = topics.some((t) => t.state === 'missing') ? 'missing' : topics.some((t) => t.state === 'unverifiable') ? 'unverifiable' : 'ok'
  return { managedBy, status, topics }
}
