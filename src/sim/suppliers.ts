// The three supplier simulators together, for `pod-bridge sim` and `demo`:
// started on loopback, with the environment lines that point the service at
// them (variable names from src/config.ts).
import { startCustomilySimulator, customilySimDefaults, type CustomilySimulator } from './customily/index.ts'
import type { RunningSimulator } from './common/server.ts'
import { printfulSimDefaults, startPrintfulSimulator, type PrintfulControl } from './printful/index.ts'
import { printifySimDefaults, startPrintifySimulator, type PrintifyControl } from './printify/index.ts'

/** A token in the Printful webhook URL (Printful v1 webhooks carry no signature). */
export const simPrintfulWebhookToken = 'sim-printful-webhook-token'

export interface SupplierSimulatorsOptions {
  /** Fixed ports (0 or absent = any free port). */
  readonly ports?: { readonly printful?: number, readonly printify?: number, readonly customily?: number, readonly customilyToken?: number }
  /** Instead of `ports`: Printful, Printify, Customily's item API and its token endpoint on basePort, +1, +2, +3. */
  readonly basePort?: number
  readonly host?: string
  /** The service's base URL: each simulator sends its webhooks to the service's /webhooks/<supplier> URL, and env carries the secrets. */
  readonly serviceUrl?: string
  /** Where each simulator sends its webhooks (the service's /webhooks/<supplier> URLs). */
  readonly webhookUrls?: { readonly printful?: string, readonly printify?: string }
  /** The storefront domain Customily knows the shop by (default customilySimDefaults.shopDomain). */
  readonly shopDomain?: string
  /** On-hold Printify orders go to production by themselves after this long (default 24 h; null = never). */
  readonly printifyAutoSendAfterMs?: number | null
  /** To show the double-import guard: a Printful store type other than "native", e.g. "shopify". */
  readonly printfulStoreType?: string
  /** Likewise, a Printify sales channel such as "shopify". */
  readonly printifySalesChannel?: string
}

export interface SupplierSimulators {
  readonly printful: RunningSimulator<PrintfulControl>
  readonly printify: RunningSimulator<PrintifyControl>
  readonly customily: CustomilySimulator
  /** Environment lines for the service (PRINTFUL_API_URL, PRINTIFY_API_TOKEN, ...). */
  readonly env: Readonly<Record<string, string>>
  close (): Promise<void>
}

export async function startSupplierSimulators (options: SupplierSimulatorsOptions = {}): Promise<SupplierSimulators> {
  const host = options.host ?? '127.0.0.1'
  const shopDomain = options.shopDomain ?? customilySimDefaults.shopDomain
  const started: RunningSimulator<unknown>[] = []
  const base = options.basePort
  const ports = base === undefined || base === 0 ? options.ports : { printful: base, printify: base + 1, customily: base + 2, customilyToken: base + 3 }
  const webhookUrls = options.serviceUrl
    ? { printful: `${options.serviceUrl}/webhooks/printful?token=${simPrintfulWebhookToken}`, printify: `${options.serviceUrl}/webhooks/printify` }
    : options.webhookUrls
  try {
    const printful = await startPrintfulSimulator({
      host,
      port: ports?.printful ?? 0,
      ...(webhookUrls?.printful ? { webhookUrl: webhookUrls.printful } : {}),
      ...(options.printfulStoreType ? { store: { type: options.printfulStoreType } } : {})
    })
    started.push(printful)
    const printify = await startPrintifySimulator({
      host,
      port: ports?.printify ?? 0,
      ...(webhookUrls?.printify ? { webhookUrl: webhookUrls.printify } : {}),
      ...(options.printifyAutoSendAfterMs === undefined ? {} : { autoSendAfterMs: options.printifyAutoSendAfterMs }),
      ...(options.printifySalesChannel ? { shop: { sales_channel: options.printifySalesChannel } } : {})
    })
    started.push(printify)
    // Token and items on two origins, as Customily serves them.
    const customily = await startCustomilySimulator({ host, port: ports?.customily ?? 0, tokenPort: ports?.customilyToken ?? 0, shopDomain })
    started.push(customily)
    const env: Record<string, string> = {
      PRINTFUL_API_URL: printful.url,
      PRINTFUL_API_TOKEN: printfulSimDefaults.token,
      PRINTFUL_STORE_ID: String(printfulSimDefaults.storeId),
      PRINTIFY_API_URL: printify.url,
      PRINTIFY_API_TOKEN: printifySimDefaults.token,
      PRINTIFY_SHOP_ID: String(printifySimDefaults.shopId),
      PRINTIFY_WEBHOOK_SECRET: printifySimDefaults.webhookSecret,
      CUSTOMILY_API_KEY: customilySimDefaults.apiKey,
      CUSTOMILY_TOKEN_URL: customily.tokenUrl,
      CUSTOMILY_ITEM_URL: `${customily.url}/api/standalone/item/{id}?shop={shop}`,
      CUSTOMILY_SHOP_DOMAIN: shopDomain,
      ...(options.serviceUrl ? { PRINTFUL_WEBHOOK_SECRET: simPrintfulWebhookToken } : {})
    }
    return { printful, printify, customily, env, close: () => closeAll(started) }
  } catch (err) {
    await closeAll(started)
    throw err
  }
}

/** `KEY=value` lines, for `pod-bridge sim` to print. */
export function envLines (env: Readonly<Record<string, string>>): string {
  return Object.entries(env).map(([key, value]) => `${key}=${value}`).join('\n')
}

async function closeAll (simulators: readonly RunningSimulator<unknown>[]): Promise<void> {
  await Promise.all(simulators.map((simulator) => simulator.close()))
}
