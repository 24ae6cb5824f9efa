// `pod-bridge sim`: the store and supplier simulators on loopback, for trying
// the service without real accounts. Prints the environment lines that point
// the service at them, then runs until interrupted.
import { envLines, startSupplierSimulators } from '../sim/suppliers.ts'
import { startShopifySimulator } from '../sim/shopify/index.ts'

export const simShop = {
  domain: 'pod-bridge-sim.myshopify.com',
  clientId: 'sim-client-id',
  clientSecret: 'sim-client-secret'
}

export interface RunningSimulators {
  readonly env: Readonly<Record<string, string>>
  close (): Promise<void>
}

/** Ports: `base` for the store, then the supplier simulators on the next ones (0 = any free ports). */
export async function startAllSimulators (options: { base: number, serviceUrl: string, host?: string }): Promise<RunningSimulators> {
  const port = (offset: number): number => options.base === 0 ? 0 : options.base + offset
  const host = options.host ?? '127.0.0.1'
  const shopify = await startShopifySimulator({
    host,
    port: port(0),
    shopDomain: simShop.domain,
    clientId: simShop.clientId,
    clientSecret: simShop.clientSecret,
    webhookSecret: simShop.clientSecret,
    webhookUrl: `${options.serviceUrl}/webhooks/shopify`
  })
  try {
    const suppliers = await startSupplierSimulators({ host, basePort: port(1), serviceUrl: options.serviceUrl })
    const env = {
      SHOPIFY_SHOP_DOMAIN: simShop.domain,
      SHOPIFY_API_URL: shopify.url,
      SHOPIFY_CLIENT_ID: simShop.clientId,
      SHOPIFY_CLIENT_SECRET: simShop.clientSecret,
      ...suppliers.env
    }
    return { env, close: async () => { await suppliers.close(); await shopify.close() } }
  } catch (err) {
    await shopify.close()
    throw err
  }
}

export async function runSimulators (options: { base: number, serviceUrl: string }, print: (line: string) => void): Promise<number> {
  const sims = await startAllSimulators(options)
  print('# Simulators running. Point the service at them with these lines (e.g. in .env), then start it:')
  print(envLines(sims.env))
  print(`# The store sends its webhooks to ${options.serviceUrl}; drive it with POST ${sims.env.SHOPIFY_API_URL ?? ''}/_control/... (see src/sim/shopify/README.md). Ctrl-C stops.`)
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  await sims.close()
  return 0
}
