// The supplier simulators together, for `pod-bridge sim` and `demo`: started
// on loopback, with the environment lines that point the service at them
// (variable names from each supplier's descriptor). One entry per simulator
// in `simulators` below: a new simulator is one more entry there.
import { startCustomilySimulator, customilySimDefaults, type CustomilySimulator } from './customily/index.ts'
import type { RunningSimulator } from './common/server.ts'
import { gelatoSimDefaults, startGelatoSimulator, type GelatoControl } from './gelato/index.ts'
import { printfulSimDefaults, startPrintfulSimulator, type PrintfulControl } from './printful/index.ts'
import { printifySimDefaults, startPrintifySimulator, type PrintifyControl } from './printify/index.ts'

/** A token in the Printful webhook URL (Printful v1 webhooks carry no signature). */
export const simPrintfulWebhookToken = 'sim-printful-webhook-token'

/** What an entry is started with. */
interface StartContext {
  readonly host: string
  /** Its ports, in the order of its `ports` names (0 = any free port). */
  readonly ports: readonly number[]
  /** Where it sends its webhooks, if anywhere. */
  readonly webhookUrl: string | undefined
  readonly shopDomain: string
  readonly options: SupplierSimulatorsOptions
}

interface SimulatorEntry<S extends RunningSimulator<unknown>> {
  /** Names of the ports it listens on (keys of `ports`, and the order they take from `basePort`). */
  readonly ports: readonly string[]
  /** The service's webhook URL for it, given the service's base URL; absent: it sends none. */
  webhookUrl? (serviceUrl: string): string
  start (context: StartContext): Promise<S>
  /** Its environment lines; `serviceUrl` set when its webhooks go to the service (and so its secret must be set). */
  env (simulator: S, context: { readonly shopDomain: string, readonly serviceUrl: string | undefined }): Record<string, string>
}

function entry<S extends RunningSimulator<unknown>> (e: SimulatorEntry<S>): SimulatorEntry<S> {
  return e
}

const simulators = {
  printful: entry<RunningSimulator<PrintfulControl>>({
    ports: ['printful'],
    webhookUrl: (service) => `${service}/webhooks/printful?token=${simPrintfulWebhookToken}`,
    start: ({ host, ports, webhookUrl, options }) => startPrintfulSimulator({
      host,
      port: ports[0] ?? 0,
      ...(webhookUrl ? { webhookUrl } : {}),
      ...(options.printfulStoreType ? { store: { type: options.printfulStoreType } } : {})
    }),
    env: (sim, { serviceUrl }) => ({
      PRINTFUL_API_URL: sim.url,
      PRINTFUL_API_TOKEN: printfulSimDefaults.token,
      PRINTFUL_STORE_ID: String(printfulSimDefaults.storeId),
      ...(serviceUrl ? { PRINTFUL_WEBHOOK_SECRET: simPrintfulWebhookToken } : {})
    })
  }),
  printify: entry<RunningSimulator<PrintifyControl>>({
    ports: ['printify'],
    webhookUrl: (service) => `${service}/webhooks/printify`,
    start: ({ host, ports, webhookUrl, options }) => startPrintifySimulator({
      host,
      port: ports[0] ?? 0,
      ...(webhookUrl ? { webhookUrl } : {}),
      ...(options.printifyAutoSendAfterMs === undefined ? {} : { autoSendAfterMs: options.printifyAutoSendAfterMs }),
      ...(options.printifySalesChannel ? { shop: { sales_channel: options.printifySalesChannel } } : {})
    }),
    env: (sim) => ({
      PRINTIFY_API_URL: sim.url,
      PRINTIFY_API_TOKEN: printifySimDefaults.token,
      PRINTIFY_SHOP_ID: String(printifySimDefaults.shopId),
      PRINTIFY_WEBHOOK_SECRET: printifySimDefaults.webhookSecret
    })
  }),
  // Token and items on two origins, as Customily serves them.
  customily: entry<CustomilySimulator>({
    ports: ['customily', 'customilyToken'],
    start: ({ host, ports, shopDomain }) => startCustomilySimulator({ host, port: ports[0] ?? 0, tokenPort: ports[1] ?? 0, shopDomain }),
    env: (sim, { shopDomain }) => ({
      CUSTOMILY_API_KEY: customilySimDefaults.apiKey,
      CUSTOMILY_TOKEN_URL: sim.tokenUrl,
      CUSTOMILY_ITEM_URL: `${sim.url}/api/standalone/item/{id}?shop={shop}`,
      CUSTOMILY_SHOP_DOMAIN: shopDomain
    })
  }),
  gelato: entry<RunningSimulator<GelatoControl>>({
    ports: ['gelato'],
    webhookUrl: (service) => `${service}/webhooks/gelato`,
    start: ({ host, ports, webhookUrl }) => startGelatoSimulator({ host, port: ports[0] ?? 0, ...(webhookUrl ? { webhookUrl } : {}) }),
    // The Order and the Product API on one server: both URLs point at it.
    env: (sim) => ({ GELATO_API_URL: sim.url, GELATO_PRODUCT_API_URL: sim.url, GELATO_API_KEY: gelatoSimDefaults.apiKey, GELATO_WEBHOOK_SECRET: gelatoSimDefaults.webhookSecret })
  })
}

type Simulators = typeof simulators
type SimulatorName = keyof Simulators
type Started = { readonly [K in SimulatorName]: Simulators[K] extends SimulatorEntry<infer S> ? S : never }

export interface SupplierSimulatorsOptions {
  /** Fixed ports by name (printful, printify, customily, customilyToken, ...; 0 or absent = any free port). */
  readonly ports?: Readonly<Record<string, number | undefined>>
  /** Instead of `ports`: every simulator's ports one after the other from basePort, in the order of the entries. */
  readonly basePort?: number
  readonly host?: string
  /** The service's base URL: each simulator sends its webhooks to the service's /webhooks/<supplier> URL, and env carries the secrets. */
  readonly serviceUrl?: string
  /** Where each simulator sends its webhooks (the service's /webhooks/<supplier> URLs). */
  readonly webhookUrls?: Readonly<Partial<Record<SimulatorName, string>>>
  /** The storefront domain Customily knows the shop by (default customilySimDefaults.shopDomain). */
  readonly shopDomain?: string
  /** On-hold Printify orders go to production by themselves after this long (default 24 h; null = never). */
  readonly printifyAutoSendAfterMs?: number | null
  /** To show the double-import guard: a Printful store type other than "native", e.g. "shopify". */
  readonly printfulStoreType?: string
  /** Likewise, a Printify sales channel such as "shopify". */
  readonly printifySalesChannel?: string
}

export type SupplierSimulators = Started & {
  /** Environment lines for the service (PRINTFUL_API_URL, PRINTIFY_API_TOKEN, ...). */
  readonly env: Readonly<Record<string, string>>
  close (): Promise<void>
}

export async function startSupplierSimulators (options: SupplierSimulatorsOptions = {}): Promise<SupplierSimulators> {
  const host = options.host ?? '127.0.0.1'
  const shopDomain = options.shopDomain ?? customilySimDefaults.shopDomain
  const base = options.basePort
  const started: RunningSimulator<unknown>[] = []
  const byName: Record<string, RunningSimulator<unknown>> = {}
  const env: Record<string, string> = {}
  let offset = 0
  try {
    for (const [name, e] of Object.entries(simulators) as [SimulatorName, SimulatorEntry<RunningSimulator<unknown>>][]) {
      const ports = e.ports.map((portName) => base === undefined || base === 0 ? options.ports?.[portName] ?? 0 : base + offset++)
      const webhookUrl = options.serviceUrl && e.webhookUrl ? e.webhookUrl(options.serviceUrl) : options.webhookUrls?.[name]
      const simulator = await e.start({ host, ports, webhookUrl, shopDomain, options })
      started.push(simulator)
      byName[name] = simulator
      Object.assign(env, e.env(simulator, { shopDomain, serviceUrl: options.serviceUrl }))
    }
  } catch (err) {
    await closeAll(started)
    throw err
  }
  return { ...(byName as unknown as Started), env, close: () => closeAll(started) }
}

/** `KEY=value` lines, for `pod-bridge sim` to print. */
export function envLines (env: Readonly<Record<string, string>>): string {
  return Object.entries(env).map(([key, value]) => `${key}=${value}`).join('\n')
}

async function closeAll (simulators: readonly RunningSimulator<unknown>[]): Promise<void> {
  await Promise.all(simulators.map((simulator) => simulator.close()))
}
