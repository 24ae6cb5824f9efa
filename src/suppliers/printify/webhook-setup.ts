// Printify's webhooks as the bridge needs them, and how they differ from what
// the shop has (`pod-bridge webhooks register-suppliers`). Every event the
// bridge takes is a trigger to re-read the order, so the topics are those
// that can change an order we sent.
import { AppError } from '../../lib/errors.ts'
import { redactUrl } from '../../lib/redact-url.ts'
import type { SetupIo } from '../common/descriptor.ts'
import type { PrintifyApi } from './client.ts'
import type { PyWebhookConfig } from './wire.ts'

/** Printify order topics (suppliers.md §2.5), minus order:created (we created it). */
export const printifyWebhookTopics = ['order:updated', 'order:sent-to-production', 'order:shipment:created', 'order:shipment:delivered'] as const

export function printifyWebhookUrl (base: string): string {
  return `${base}/webhooks/printify`
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

export async function registerPrintify (api: Pick<PrintifyApi, 'webhooks' | 'createWebhook'>, base: string, secret: string | undefined, io: SetupIo): Promise<number> {
  if (!secret) throw new AppError('config', 'PRINTIFY_WEBHOOK_SECRET is not set: Printify signs each delivery with it, and the service refuses Printify webhooks without it')
  const url = printifyWebhookUrl(base)
  const plan = planPrintify(await api.webhooks(), url)
  io.print(`Printify webhooks for ${url}:`)
  for (const webhook of plan.keep) io.print(`  kept     ${webhook.topic}`)
  for (const topic of plan.create) {
    await api.createWebhook({ topic, url, secret })
    io.print(`  created  ${topic}`)
  }
  if (plan.elsewhere.length > 0) {
    io.print('Left alone, the same topics at other addresses (delete them if stale):')
    for (const webhook of plan.elsewhere) io.print(`  ${webhook.topic} → ${redactUrl(webhook.url)} (${webhook.id})`)
  }
  io.print(`${plan.create.length} created, ${plan.keep.length} kept. A kept webhook keeps the secret it was made with: if PRINTIFY_WEBHOOK_SECRET changed since, delete it at Printify and run again.`)
  return 0
}
