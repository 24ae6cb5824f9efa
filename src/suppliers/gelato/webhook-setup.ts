// Gelato's webhooks cannot be registered over its API: the URL and the fixed
// header are set in Gelato's dashboard (https://dashboard.gelato.com/docs/webhooks/
// "Please refer to the API Portal to configure your account with a webhook
// URL"). `pod-bridge webhooks register-suppliers` prints the steps and changes
// nothing, so it answers 1 ("left unchanged on purpose").
import { AppError } from '../../lib/errors.ts'
import type { SetupIo } from '../common/descriptor.ts'
import { gelatoWebhookHeader } from './webhook.ts'

/** The events the bridge takes (each a trigger to re-read the order). */
export const gelatoWebhookEvents = ['order_status_updated', 'order_item_status_updated', 'order_item_tracking_code_updated'] as const

export function gelatoWebhookUrl (base: string): string {
  return `${base}/webhooks/gelato`
}

export async function registerGelato (base: string, secret: string | undefined, io: SetupIo): Promise<number> {
  if (!secret) throw new AppError('config', 'GELATO_WEBHOOK_SECRET is not set: Gelato webhooks are unsigned, and the service refuses them without the fixed header value')
  io.print('Gelato webhooks are set up in Gelato\'s dashboard, not over its API. Nothing was changed; do this once:')
  io.print('  1. Open https://dashboard.gelato.com → Developer → Webhooks, and add a webhook.')
  io.print(`  2. URL: ${gelatoWebhookUrl(base)}`)
  io.print(`  3. Events: ${gelatoWebhookEvents.join(', ')}.`)
  io.print(`  4. Add the header ${gelatoWebhookHeader.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase())} with the value of GELATO_WEBHOOK_SECRET`)
  io.print(`     (where no header can be added: append ?token=<GELATO_WEBHOOK_SECRET> to the URL instead).`)
  io.print('/readyz cannot see Gelato\'s dashboard: send a test event from there and look for it with GET /v1/webhooks?topic=order_status_updated.')
  return 1
}
