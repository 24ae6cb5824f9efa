// Shopify's cost-based throttle, OFF unless a test or bench switches it on (`setCostThrottle`): a leaky
// bucket per app and store that refills continuously at `restoreRate` points a second up to
// `maximumAvailable` (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits; the leaky bucket:
// https://shopify.dev/docs/api/usage/limits#the-leaky-bucket-algorithm). A call needs its requested cost
// available, else it is answered THROTTLED and nothing is taken; otherwise the requested cost is taken up
// front and the difference to the actual cost refunded after the call (shopify.md §3.6).
//
// Plans: Standard 100 points/s, Advanced 200, Plus 1000, Enterprise 2000 (the same page). The bucket size
// that goes with them is not published: a 2023 answer showed maximumAvailable 1000 with restoreRate 50
// (https://community.shopify.com/t/api-rate-limits-question/232461/2), i.e. 20 s of refill; the default
// keeps that ratio (2000 for Standard), the simulator's figure since it was written.
//
// `clockFactor` runs the bucket that many times faster (a bench's 10× clock, as the supplier simulators'
// rate-limit window): it refills restoreRate × clockFactor points a real second and reports that rate,
// since the client computes its waits from the restoreRate it is told.

export interface CostThrottleSettings {
  /** Points a second at the plan's rate: Standard 100, Advanced 200, Plus 1000. */
  restoreRate: number
  /** The bucket's size; default 20 s of refill (2000 at Standard). */
  maximumAvailable?: number
  /** The bucket runs this many times faster than real time (default 1). */
  clockFactor?: number
}

export interface CostStatus { maximumAvailable: number, currentlyAvailable: number, restoreRate: number }

export interface CostBucket {
  /** Takes `points` when available (true) or takes nothing (false); `status()` tells what is left. */
  take (points: number): boolean
  /** Gives back what a call reserved but did not use. */
  refund (points: number): void
  status (): CostStatus
  /** Counters since the throttle was switched on. */
  readonly counts: { throttled: number, charged: number, refunded: number }
}

export const standardPlan = { restoreRate: 100 } as const

export function createCostBucket (settings: CostThrottleSettings, now: () => number = Date.now): CostBucket {
  const factor = settings.clockFactor ?? 1
  const restoreRate = settings.restoreRate * factor
  const maximumAvailable = settings.maximumAvailable ?? settings.restoreRate * 20
  let available = maximumAvailable
  let at = now()
  const counts = { throttled: 0, charged: 0, refunded: 0 }

  function refill (): void {
    const t = now()
    available = Math.min(maximumAvailable, available + (t - at) / 1000 * restoreRate)
    at = t
  }

  return {
    take (points) {
      refill()
      if (available < points) { counts.throttled += 1; return false }
      available -= points
      counts.charged += points
      return true
    },
    refund (points) {
      if (points <= 0) return
      refill()
      available = Math.min(maximumAvailable, available + points)
      counts.refunded += points
    },
    status () {
      refill()
      // Shopify reports the figures as floats (e.g. 1000.0); whole points here, rounded down so a client never overestimates.
      return { maximumAvailable, currentlyAvailable: Math.floor(available), restoreRate }
    },
    counts
  }
}
