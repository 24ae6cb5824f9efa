// What webhook configuration each supplier needs, and how it differs from
// what the supplier has (used by `pod-bridge webhooks register-suppliers`).
// Every event the bridge takes is a trigger to re-read the order (the
// supplier.sync job), so the lists are the events that can change an order we
// sent: its status, holds, failures, cancellations, parcels.
import type { PfWebhookInfo } from './printful/wire.ts'
import type { PyWebhookConfig } from './printify/wire.ts'

/** Printful v1 event types (suppliers.md §1.8), minus order_created (we created it) and the catalog/stock events. */
export const printfulWebhookTypes = [
  'package_shipped', 'package_returned',
  'order_updated', 'order_failed', 'order_canceled',
  'order_put_hold', 'order_put_hold_approval', 'order_remove_hold'
] as const

/** Printify order topics (suppliers.md §2.5), minus order:created (we created it). */
export const printifyWebhookTopics = ['order:updated', 'order:sent-to-production', 'order:shipment:created', 'order:shipment:delivered'] as const

/** Printful v1 webhooks are unsigned, so the URL carries the secret (src/http/webhooks/suppliers.ts). */
export function printfulWebhookUrl (base: string, secret: string): string {
  return `${base}/webhooks/printful?token=${encodeURIComponent(secret)}`
}

export function printifyWebhookUrl (base: string): string {
  return `${base}/webhooks/printify`
}

/** A URL fit to print: query values that may be secrets (token=...) are masked. */
export function redactUrl (url: string): string {
  try {
    const parsed = new URL(url)
    for (const key of [...parsed.searchParams.keys()]) parsed.searchParams.set(key, '***')
    return parsed.toString().replaceAll('%2A', '*')
  } catch {
    return url.replace(/\?.*$/, '?***')
  }
}

export type PrintfulPlan =
  | { readonly action: 'keep' }
  /** `current` is null when the store has no webhook configured: nothing is replaced. */
  | { readonly action: 'set', readonly current: PfWebhookInfo | null, readonly missingTypes: readonly string[] }

/** Printful keeps one configuration per store (§1.8): the same URL with every type we need is kept, anything else is replaced whole. */
export function planPrintful (current: PfWebhookInfo, url: string): PrintfulPlan {
  const missingTypes = printfulWebhookTypes.filter((type) => !current.types.includes(type))
  if (current.url === url && missingTypes.length === 0) return { action: 'keep' }
  return { action: 'set', current: current.url ? current : null, missingTypes }
}

export interface PrintifyPlan {
  readonly create: readonly string[]
  readonly keep: readonly PyWebhookConfig[]
  /** The same topic delivered somewhere else: reported and left alone (it may be another tool's). */
  readonly elsewhere: readonly PyWebhookConfig[]
}

export function planPrintify (existing: readonly PyWebhookConfig[], url: string): PrintifyPlan {
  const create: string[] = []
  const keep: PyWebhookConfig[] = []
  const elsewhere: PyWebhookConfig[] = []
  for (const topic of printifyWebhookTopics) {
    const same = existing.filter((w) => w.topic === topic)
    const here = same.filter((w) => w.url === url)
    if (here.length > 0) keep.push(...here)
    else create.push(topic)
    elsewhere.push(...same.filter((w) => w.url !== url))
  }
  return { create, keep, elsewhere }
}
