// `pod-bridge webhooks register --url <public url>`: the store's webhook
// subscriptions; `pod-bridge webhooks register-suppliers --url <public url>`:
// each configured supplier's (its descriptor's webhook.register). Both are
// idempotent: what is there is kept, and what would be replaced is shown first.
import type { Config } from '../config.ts'
import { openDatabase } from '../db/database.ts'
import { AppError, errorMessage, isAppError } from '../lib/errors.ts'
import { createShopifyAdminClient, shopifyClientOptions, type ShopifyAdminClient } from '../shopify/index.ts'
import { appConfigToml, planSubscriptions, pointsAtBridge, publicBaseUrl, shopifyWebhookUri } from '../shopify/subscriptions.ts'
import { complianceTopics, topicEnum } from '../shopify/webhook-topics.ts'
import { builtInRegistry, type Registry } from '../suppliers/registry.ts'
import { describeSubscriptionCheck, runSubscriptionCheck } from '../webhook-subscriptions.ts'

export interface WebhooksIo {
  print (line: string): void
  error (line: string): void
  /** Asks a yes/no question on the terminal; undefined when there is no terminal to ask on. */
  readonly confirm: ((question: string) => Promise<boolean>) | undefined
}

export interface RegisterOptions {
  readonly url: string
  /** A Dev Dashboard app: create shop-specific subscriptions over the API too (by default its configuration declares them). */
  readonly shopLevel: boolean
  /**
   * Once `url` is subscribed, delete the same topics' subscriptions at another address of this
   * bridge (any host, the bridge's webhook path): the old host after a move. Anything else stays.
   */
  readonly replace?: boolean
}

export async function registerShopifyWebhooks (config: Config, options: RegisterOptions, io: WebhooksIo): Promise<number> {
  const clientOptions = shopifyClientOptions(config.shopify)
  const auth = config.shopify.auth
  if (!clientOptions || !auth || !config.shopify.shopDomain) throw new AppError('config', 'webhooks register needs the store: set SHOPIFY_SHOP_DOMAIN and its credentials')
  const uri = shopifyWebhookUri(options.url)
  const shopify = createShopifyAdminClient(clientOptions)
  try {
    if (auth.kind === 'client_credentials' && !options.shopLevel) {
      printAppConfiguration(config, uri, io)
    } else {
      await createSubscriptions(shopify, uri, options.replace ?? false, io)
    }
    await recordCheck(config, shopify, auth.kind, io)
    return 0
  } catch (err) {
    return reportFailure(err, io)
  } finally {
    await shopify.close()
  }
}

// A Dev Dashboard app's subscriptions belong in its configuration: app-specific
// subscriptions apply to every shop, are kept up to date by Shopify, and are not
// deleted after failed deliveries as API-made ones are (shopify.md §1.5). The
// compliance topics can only be declared there.
function printAppConfiguration (config: Config, uri: string, io: WebhooksIo): void {
  io.print('This is a Dev Dashboard app (SHOPIFY_CLIENT_ID/SECRET): its webhook subscriptions belong in the app\'s configuration,')
  io.print('not in the store. Add this to the app\'s shopify.app.toml, then release it with `shopify app deploy`')
  io.print('(link the file to the app first with `shopify app config link`):')
  io.print('')
  for (const line of appConfigToml(uri, config.shopify.apiVersion).split('\n')) io.print(line)
  io.print('')
  io.print(`The compliance topics (${complianceTopics.join(', ')}) can only be declared there.`)
  io.print('Shopify\'s API does not list subscriptions declared in the configuration, so the daily check reports these topics')
  io.print('as "declared in the app configuration; cannot be verified via the API", with when each last arrived.')
  io.print('To create shop-specific subscriptions over the API instead, run again with --shop-level.')
}

async function createSubscriptions (shopify: ShopifyAdminClient, uri: string, replace: boolean, io: WebhooksIo): Promise<void> {
  const plan = planSubscriptions(await shopify.webhookSubscriptions(), uri)
  io.print(`Shopify webhook subscriptions for ${uri}:`)
  for (const subscription of plan.keep) io.print(`  kept     ${subscription.topic}`)
  for (const topic of plan.create) {
    await shopify.createWebhookSubscription(topicEnum(topic), uri)
    io.print(`  created  ${topicEnum(topic)}`)
  }
  // Deleted only after every topic is subscribed at the new address: no moment without delivery.
  const replaced = replace ? plan.elsewhere.filter((s) => pointsAtBridge(s.uri)) : []
  for (const subscription of replaced) {
    await shopify.deleteWebhookSubscription(subscription.id)
    io.print(`  deleted  ${subscription.topic} → ${subscription.uri} (an old address of this bridge)`)
  }
  const left = plan.elsewhere.filter((s) => !replaced.includes(s))
  if (left.length > 0) {
    io.print(replace
      ? 'Left alone, the same topics at addresses that are not this bridge\'s webhook path (another tool\'s?):'
      : 'Left alone, the same topics at other addresses (Shopify delivers to each; --replace deletes the ones at an old address of this bridge):')
    for (const subscription of left) io.print(`  ${subscription.topic} → ${subscription.uri} (${subscription.id})`)
  }
  io.print(`${plan.create.length} created, ${plan.keep.length} kept${replace ? `, ${replaced.length} deleted` : ''}.`)
}

/** Stores a fresh subscriptions check when the service's database is configured, so /readyz stops reporting what was just fixed. */
async function recordCheck (config: Config, shopify: ShopifyAdminClient, auth: 'client_credentials' | 'static', io: WebhooksIo): Promise<void> {
  if (!('url' in config.database)) {
    io.print('No DATABASE_URL: the service re-checks the subscriptions at its next start and daily.')
    return
  }
  const handle = openDatabase(config.database.url, { max: 1, applicationName: 'pod-bridge-webhooks' })
  try {
    io.print(`Subscriptions check: ${describeSubscriptionCheck(await runSubscriptionCheck({ db: handle.db, shopify, auth })).summary}`)
  } finally {
    await handle.close()
  }
}

export interface RegisterSuppliersOptions {
  readonly url: string
  /** Replace a configuration the supplier keeps one of (a whole store's) without asking. */
  readonly yes: boolean
}

export async function registerSupplierWebhooks (config: Config, options: RegisterSuppliersOptions, io: WebhooksIo, registry: Registry = builtInRegistry): Promise<number> {
  const base = publicBaseUrl(options.url)
  const suppliers = registry.createSuppliers(config.env)
  const configured = registry.suppliers.filter((d) => suppliers[d.name] !== undefined)
  if (configured.length === 0) throw new AppError('config', `no supplier configured: set ${registry.suppliers.map((d) => d.configureWith).join(' and/or ')}`)
  try {
    let code = 0
    for (const descriptor of configured) {
      const supplier = suppliers[descriptor.name]
      if (supplier) code = Math.max(code, await descriptor.webhook.register(supplier, base, config.env, options, io))
    }
    return code
  } catch (err) {
    return reportFailure(err, io)
  }
}

function reportFailure (err: unknown, io: WebhooksIo): number {
  if (isAppError(err) && err.code === 'config') throw err
  io.error(`failed: ${errorMessage(err)}`)
  return 1
}
