// The three supplier simulators together, for `pod-bridge sim` and `demo`:
// started on loopback, with the environment lines that point the service at
// them (variable names from src/config.ts).
import { startCustomilySimulator, customilySimDefaults, type CustomilySimulator } from './customily/index.ts'
import type { RunningSimulator } from './common/server.ts'
import { printfulSimDefaults, startPrintfulSimulator, type PrintfulControl } from './printful/index.ts'
import { printifySimDefaults, startPrintifySimulator, type PrintifyControl } from './printify/index.ts'

export interface SupplierSimulatorsOptions {
  /** Fixed ports (0 or absent = any free port). */
  readonly ports?: { readonly printful?: number, readonly printify?: number, readonly customily?: number, readonly customilyToken?: number }
  readonly host?: string
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
  try {
    const printful = await startPrintfulSimulator({
      host,
      port: options.ports?.printful ?? 0,
      ...(options.webhookUrls?.printful ? { webhookUrl: options.webhookUrls.printful } : {}),
      ...(options.printfulStoreType ? { store: { type: options.printfulStoreType } } : {})
    })
    started.push(printful)
    const printify = await startPrintifySimulator({
      host,
      port: options.ports?.printify ?? 0,
      ...(options.webhookUrls?.printify ? { webhookUrl: options.webhookUrls.printify } : {}),
      ...(options.printifyAutoSendAfterMs === undefined ? {} : { autoSendAfterMs: options.printifyAutoSendAfterMs }),
      ...(options.printifySalesChannel ? { shop: { sales_channel: options.printifySalesChannel } } : {})
    })
    started.push(printify)
    // Token and items on two origins, as Customily serves them.
    const customily = await startCustomilySimulator({ host, port: options.ports?.customily ?? 0, tokenPort: options.ports?.customilyToken ?? 0, shopDomain })
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
      CUSTOMILY_SHOP_DOMAIN: shopDomain
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
