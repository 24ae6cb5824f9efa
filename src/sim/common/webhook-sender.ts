// Sends a simulator's webhooks to the configured URL and remembers each
// delivery. Control calls await the sends they cause (settle), so a test sees
// the webhook arrive before its `advance` returns: no polling, no sleeps.
// A receiver that does not answer 2xx is retried after the supplier's delays,
// and, as Printify does, the webhook can be blocked for a while after the
// retries fail (suppliers.md §1.8, §2.5).
import { request } from 'undici'

export interface WebhookDelivery {
  readonly at: string
  readonly url: string
  readonly topic: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /** 1 for the first try, then each retry. */
  readonly attempt: number
  readonly status?: number
  readonly error?: string
  /** Not sent: the webhook is blocked after failed retries. */
  readonly blocked?: boolean
}

export interface WebhookTarget {
  readonly url: string
  readonly sign: (body: string) => Record<string, string>
}

export interface WebhookRetryPolicy {
  /** Wait before each retry; the length is the number of retries. */
  readonly delaysMs: readonly number[]
  /** After the last retry fails, drop every event for this long. */
  readonly blockForMs?: number
}

export class WebhookSender {
  #url: string | undefined
  #retry: WebhookRetryPolicy
  #blockedUntil = 0
  readonly #sign: (body: string) => Record<string, string>
  readonly #deliveries: WebhookDelivery[] = []
  readonly #timeoutMs: number
  readonly #now: () => number
  readonly #inFlight = new Set<Promise<unknown>>()
  readonly #timers = new Set<NodeJS.Timeout>()

  constructor (options: { url?: string, sign?: (body: string) => Record<string, string>, timeoutMs?: number, retry?: WebhookRetryPolicy, now?: () => number }) {
    this.#url = options.url
    this.#sign = options.sign ?? (() => ({}))
    this.#timeoutMs = options.timeoutMs ?? 5_000
    this.#retry = options.retry ?? { delaysMs: [] }
    this.#now = options.now ?? Date.now
  }

  get url (): string | undefined {
    return this.#url
  }

  setUrl (url: string | undefined): void {
    this.#url = url
    this.#blockedUntil = 0
  }

  setRetryPolicy (retry: WebhookRetryPolicy): void {
    this.#retry = retry
  }

  deliveries (): readonly WebhookDelivery[] {
    return [...this.#deliveries]
  }

  /**
   * Posts in the background, so an API answer does not wait for the receiver
   * (which may well be calling this simulator back). `settle()` awaits them.
   */
  sendLater (topic: string, payload: unknown): void {
    if (!this.#url) return
    this.#track(this.#attempt(topic, JSON.stringify(payload), 1))
  }

  /** Like sendLater, to a webhook registered over the API (Printify: one per topic and URL, each with its own secret). */
  sendLaterTo (target: WebhookTarget, topic: string, payload: unknown): void {
    this.#track(this.#attempt(topic, JSON.stringify(payload), 1, target))
  }

  /** Awaits the sends in flight (not retries scheduled for later). */
  async settle (): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight])
  }

  /** Awaits the sends in flight and every scheduled retry: for tests with short retry delays. */
  async drain (): Promise<void> {
    while (this.#inFlight.size > 0 || this.#timers.size > 0) {
      await this.settle()
      if (this.#timers.size > 0) await new Promise((resolve) => setTimeout(resolve, 1))
    }
  }

  close (): void {
    for (const timer of this.#timers) clearTimeout(timer)
    this.#timers.clear()
  }

  #track (sending: Promise<unknown>): void {
    this.#inFlight.add(sending)
    void sending.finally(() => this.#inFlight.delete(sending))
  }

  async #attempt (topic: string, body: string, attempt: number, target?: WebhookTarget): Promise<void> {
    const url = target?.url ?? this.#url
    if (!url) return
    const headers = { 'content-type': 'application/json', ...(target?.sign ?? this.#sign)(body) }
    const base = { at: new Date(this.#now()).toISOString(), url, topic, headers, body, attempt }
    if (this.#now() < this.#blockedUntil) {
      this.#deliveries.push({ ...base, blocked: true })
      return
    }
    let delivery: WebhookDelivery
    try {
      const response = await request(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.#timeoutMs) })
      await response.body.dump()
      delivery = { ...base, status: response.statusCode }
    } catch (err) {
      delivery = { ...base, error: err instanceof Error ? err.message : String(err) }
    }
    this.#deliveries.push(delivery)
    if (delivery.status !== undefined && delivery.status >= 200 && delivery.status < 300) return
    const delay = this.#retry.delaysMs[attempt - 1]
    if (delay === undefined) {
      if (this.#retry.blockForMs) this.#blockedUntil = this.#now() + this.#retry.blockForMs
      return
    }
    const timer = setTimeout(() => {
      this.#timers.delete(timer)
      this.#track(this.#attempt(topic, body, attempt + 1, target))
    }, delay)
    timer.unref()
    this.#timers.add(timer)
  }
}
