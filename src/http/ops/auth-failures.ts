// Slows token guessing: after MAX_FAILURES refused tokens from one client
// address within WINDOW_MS, that address gets 429 until the window ends, even
// with the right token (otherwise a guesser would learn when it hit). In
// process memory on purpose: it is a brake per replica, not an accounting, and
// each replica only sees its own share of the guesses anyway.

/** Ten wrong tokens a minute is more than a person mistyping; a guesser gets 14,400 a day per address. */
export const MAX_FAILURES = 10
export const WINDOW_MS = 60_000
/** Bounds the memory an attacker with many addresses can make us hold (about 1 MB). */
export const MAX_TRACKED = 10_000

interface Window { failures: number, endsAt: number }

export interface FailureLimiter {
  /** Milliseconds until `client` may try again, or 0 when it may try now. */
  blockedFor (client: string): number
  recordFailure (client: string): void
  /** How many addresses are remembered (bounded by MAX_TRACKED). */
  tracked (): number
}

export function createFailureLimiter (now: () => number = Date.now): FailureLimiter {
  const windows = new Map<string, Window>()

  function current (client: string): Window | undefined {
    const window = windows.get(client)
    if (window && window.endsAt <= now()) {
      windows.delete(client)
      return undefined
    }
    return window
  }

  // Windows all last WINDOW_MS and are only ever appended, so the Map's insertion order is the
  // order they end in: the expired ones are at the front. When full, drop those and then the
  // oldest tenth in one pass, so a spray of new addresses costs one pass per thousand of them.
  function makeRoom (): void {
    const at = now()
    for (const [client, window] of windows) {
      if (window.endsAt > at && windows.size <= MAX_TRACKED * 0.9) break
      windows.delete(client)
    }
  }

  return {
    blockedFor (client) {
      const window = current(client)
      return window && window.failures >= MAX_FAILURES ? window.endsAt - now() : 0
    },
    recordFailure (client) {
      const window = current(client)
      if (window) {
        window.failures++
        return
      }
      if (windows.size >= MAX_TRACKED) makeRoom()
      windows.set(client, { failures: 1, endsAt: now() + WINDOW_MS })
    },
    tracked: () => windows.size
  }
}
