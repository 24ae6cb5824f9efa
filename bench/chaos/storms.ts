// The faults the outside world throws at the bridge, through the simulators'
// own fault controls: supplier storms (5xx, 429 with Retry-After, hung
// connections, malformed bodies), Shopify THROTTLED and 5xx on GraphQL, and
// duplicate deliveries. Each storm adds faults every second for its length.
import type { FaultKind } from '../../src/sim/common/faults.ts'
import type { World } from './world.ts'

export interface Storm { readonly kind: FaultKind, readonly seconds: number, readonly perSecond: number }

/** The supplier storms, in turn at both suppliers. `timeout` holds the connection until the client's own timeout ends it. */
export const storms: readonly Storm[] = [
  { kind: 'error_500', seconds: 60, perSecond: 3 },
  { kind: 'rate_limited', seconds: 30, perSecond: 3 },
  { kind: 'timeout', seconds: 20, perSecond: 1 },
  { kind: 'malformed_json', seconds: 20, perSecond: 2 }
]

export async function supplierStorm (world: World, storm: Storm, stop: AbortSignal): Promise<void> {
  for (let s = 0; s < storm.seconds && !stop.aborted; s++) {
    for (const sim of [world.suppliers.printful, world.suppliers.printify]) {
      sim.control.injectFault({ kind: storm.kind, count: storm.perSecond, ...(storm.kind === 'rate_limited' ? { retryAfterSeconds: 5 } : {}), ...(storm.kind === 'timeout' ? { delayMs: 40_000 } : {}) })
    }
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
  for (const sim of [world.suppliers.printful, world.suppliers.printify]) sim.control.clearFaults()
}

/** Faults the supplier simulators actually served, by kind (from their request logs). */
export function supplierFaultsServed (world: World): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const [name, sim] of [['printful', world.suppliers.printful], ['printify', world.suppliers.printify]] as const) {
    for (const r of sim.control.requests()) if (r.fault) counts[`${name} ${r.fault}`] = (counts[`${name} ${r.fault}`] ?? 0) + 1
  }
  return counts
}

/** A random acknowledged Shopify delivery sent again, byte for byte (shopify.md §1.6: delivery is at least once). */
export async function duplicateDelivery (world: World): Promise<boolean> {
  const acknowledged = world.store.store.webhooks().filter((d) => d.status !== null && d.status >= 200 && d.status < 300)
  const pick = acknowledged[Math.floor(Math.random() * acknowledged.length)]
  if (!pick) return false
  await world.store.store.redeliver(pick.webhookId)
  return true
}
