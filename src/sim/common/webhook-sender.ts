// Sends a simulator's webhooks to the configured URL and remembers each
// delivery. Sending is awaited by the control call that caused it, so a test
// sees the webhook arrive before its `advance` returns: no polling, no sleeps.
import { request } from 'undici'

export interface WebhookDelivery {
  readonly at: string
  readonly url: string
  readonly topic: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  readonly status?: number
  readonly error?: string
}

export class WebhookSender {
  #url: string | undefined
  readonly #sign: (body: string) => Record<string, string>
  readonly #deliveries: WebhookDelivery[] = []
  readonly #timeoutMs: number
  readonly #inFlight = new Set<Promise<unknown>>()

  constructor (options: { url?: string, sign?: (body: string) => Record<string, string>, timeoutMs?: number }) {
    this.#url = options.url
    this.#sign = options.sign ?? (() => ({}))
    this.#timeoutMs = options.timeoutMs ?? 5_000
  }

  get url (): string | undefined {
    return this.#url
  }

  setUrl (url: string | undefined): void {
    this.#url = url
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
    const sending = this.send(topic, payload)
    this.#inFlight.add(sending)
    void sending.finally(() => this.#inFlight.delete(sending))
  }

  async settle (): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight])
  }

  /** Posts one event; a receiver that fails or is absent is recorded, never thrown. */
  async send (topic: string, payload: unknown): Promise<WebhookDelivery | undefined> {
    const url = this.#url
    if (!url) return undefined
    const body = JSON.stringify(payload)
    const headers = { 'content-type': 'application/json', ...this.#sign(body) }
    let delivery: WebhookDelivery
    try {
      const response = await request(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.#timeoutMs) })
      await response.body.dump()
      delivery = { at: new Date().toISOString(), url, topic, headers, body, status: response.statusCode }
    } catch (err) {
      delivery = { at: new Date().toISOString(), url, topic, headers, body, error: err instanceof Error ? err.message : String(err) }
    }
    this.#deliveries.push(delivery)
    return delivery
  }
}
