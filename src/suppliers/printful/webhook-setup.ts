// Printful's webhook configuration as the bridge needs it, and how it differs
// from what the store has (`pod-bridge webhooks register-suppliers`). Every
// event the bridge takes is a trigger to re-read the order (the supplier.sync
// job), so the list is the events that can change an order we sent: its
// status, holds, failures, cancellations, parcels.
import { AppError } from '../../lib/errors.ts'
import { redactUrl } from '../../lib/redact-url.ts'
import type { SetupIo } from '../common/descriptor.ts'
import type { PrintfulApi } from './client.ts'
import type { PfWebhookInfo } from './wire.ts'

/** Printful v1 event types (suppliers.md §1.8), minus order_created (we created it) and the catalog/stock events. */
export const printfulWebhookTypes = [
  'package_shipped', 'package_returned',
  'order_updated', 'order_failed', 'order_canceled',
  'order_put_hold', 'order_put_hold_approval', 'order_remove_hold'
] as const

/** Printful v1 webhooks are unsigned, so the URL carries the secret (the descriptor's webhook.verify). */
export function printfulWebhookUrl (base: string, secret: string): string {
  return `${base}/webhooks/printful?token=${encodeURIComponent(secret)}`
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

export async function registerPrintful (api: Pick<PrintfulApi, 'webhooks' | 'setWebhooks'>, base: string, secret: string | undefined, options: { readonly yes: boolean }, io: SetupIo): Promise<number> {
  if (!secret) throw new AppError('config', 'PRINTFUL_WEBHOOK_SECRET is not set: Printful\'s webhook URL carries it as ?token=, and the service refuses Printful webhooks without it')
  const url = printfulWebhookUrl(base, secret)
  const plan = planPrintful(await api.webhooks(), url)
  if (plan.action === 'keep') {
    io.print(`Printful: kept, ${redactUrl(url)} already receives ${printfulWebhookTypes.join(', ')}.`)
    return 0
  }
  // One configuration per store (§1.8): setting ours replaces whatever is there, so say what that is first.
  if (plan.current) {
    io.print('Printful keeps one webhook configuration per store. Setting it replaces the current one:')
    io.print(`  current: ${redactUrl(plan.current.url ?? '')} receiving ${plan.current.types.join(', ') || '(no types)'}`)
    io.print(`  new:     ${redactUrl(url)} receiving ${printfulWebhookTypes.join(', ')}`)
    if (!options.yes) {
      if (!io.confirm) {
        io.error('Printful: not changed. There is no terminal to confirm on: run again with --yes to replace it.')
        return 1
      }
      if (!await io.confirm('Replace Printful\'s webhook configuration? [y/N] ')) {
        io.print('Printful: not changed.')
        return 1
      }
    }
  }
  await api.setWebhooks({ url, types: printfulWebhookTypes })
  io.print(`Printful: set ${redactUrl(url)} receiving ${printfulWebhookTypes.join(', ')}.`)
  return 0
}
