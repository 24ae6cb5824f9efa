// A fixed-window limiter: `limit` requests per `windowMs`, the whole budget
// back when the window ends. This is how the v1 Printful limit is described
// (120 tokens, refilled fully every minute, suppliers.md §1.3) and the simplest
// reading of Printify's "600 per minute per account" (§2.2). Tests set a small
// limit; the clock is injectable so nothing has to sleep.
export interface RateLimitSettings {
  readonly limit: number
  readonly windowMs: number
}

export interface RateDecision {
  readonly allowed: boolean
  readonly limit: number
  readonly remaining: number
  /** Milliseconds until the window ends and the budget is full again. */
  readonly resetMs: number
  readonly windowMs: number
}

export class FixedWindowLimiter {
  #settings: RateLimitSettings
  readonly #now: () => number
  readonly #windows = new Map<string, { start: number, used: number }>()

  constructor (settings: RateLimitSettings, now: () => number = Date.now) {
    this.#settings = settings
    this.#now = now
  }

  get settings (): RateLimitSettings {
    return this.#settings
  }

  set (settings: RateLimitSettings): void {
    this.#settings = settings
    this.#windows.clear()
  }

  take (key: string): RateDecision {
    const now = this.#now()
    const { limit, windowMs } = this.#settings
    let window = this.#windows.get(key)
    if (!window || now - window.start >= windowMs) {
      window = { start: now, used: 0 }
      this.#windows.set(key, window)
    }
    const resetMs = Math.max(0, window.start + windowMs - now)
    if (window.used >= limit) return { allowed: false, limit, remaining: 0, resetMs, windowMs }
    window.used += 1
    return { allowed: true, limit, remaining: limit - window.used, resetMs, windowMs }
  }
}
