// The command line of `pod-bridge webhooks <register|register-suppliers>`:
// its options, and the terminal it asks its one question on.
import { createInterface } from 'node:readline/promises'
import { parseArgs } from 'node:util'
import type { Config } from '../config.ts'
import { publicBaseUrl } from '../shopify/subscriptions.ts'
import { registerShopifyWebhooks, registerSupplierWebhooks, type WebhooksIo } from './webhooks.ts'

export async function webhooksCommand (args: string[], config: () => Config, usageError: (message: string) => Error): Promise<number> {
  const [sub, ...rest] = args
  const { values, positionals } = parseArgs({
    args: rest,
    options: { url: { type: 'string' }, yes: { type: 'boolean', default: false }, 'shop-level': { type: 'boolean', default: false }, replace: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true
  })
  if (sub !== 'register' && sub !== 'register-suppliers') throw usageError(`webhooks needs register or register-suppliers (got "${sub ?? ''}")`)
  if (positionals.length > 0) throw usageError(`webhooks ${sub} takes no arguments (got "${positionals.join(' ')}")`)
  if (!values.url) throw usageError(`webhooks ${sub} needs --url <the service's public URL>, e.g. --url https://bridge.example.com`)
  try {
    publicBaseUrl(values.url)
  } catch (err) {
    throw usageError((err as Error).message)
  }
  const io: WebhooksIo = {
    print: (line) => { console.log(line) },
    error: (line) => { console.error(`pod-bridge: ${line}`) },
    confirm: process.stdin.isTTY && process.stdout.isTTY ? askYesNo : undefined
  }
  if (sub === 'register') {
    if (values.yes) throw usageError('--yes is for register-suppliers')
    return registerShopifyWebhooks(config(), { url: values.url, shopLevel: values['shop-level'], replace: values.replace }, io)
  }
  if (values['shop-level']) throw usageError('--shop-level is for register')
  if (values.replace) throw usageError('--replace is for register')
  return registerSupplierWebhooks(config(), { url: values.url, yes: values.yes }, io)
}

/** y or yes (any case) is yes; anything else, an empty answer included, is no. */
async function askYesNo (question: string): Promise<boolean> {
  const terminal = createInterface({ input: process.stdin, output: process.stdout })
  try {
    return /^\s*y(es)?\s*$/i.test(await terminal.question(question))
  } finally {
    terminal.close()
  }
}
