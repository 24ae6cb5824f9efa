// Printify v1 over HTTP: bearer token, the required User-Agent (§2.1), and the
// documented error body with its JSON-string reason (§2.2). No domain types here.
import type { Dispatcher } from 'undici'
import { z } from 'zod'
import { AppError } from '../../lib/errors.ts'
import { errorForStatus, notYetError, parseJson, parseWire, sendRequest, type HttpCall, type HttpClientOptions } from '../common/http.ts'
import { pyCreatedSchema, pyErrorSchema, pyOrderSchema, pyPageSchema, pyProductSchema, pyShopSchema, pyWebhookConfigSchema, type PyOrderBody, type PyOrderWire, type PyProductWire, type PyPublishBody, type PyWebhookConfig } from './wire.ts'

export interface PrintifyClientOptions {
  /** PRINTIFY_API_URL, default https://api.printify.com */
  readonly apiUrl: string
  readonly token: string
  readonly shopId: string
  /** Printify refuses requests without one (§2.1). */
  readonly userAgent?: string
  readonly timeoutMs?: number
  readonly dispatcher?: Dispatcher
}

const service = 'Printify'

export class PrintifyApi {
  readonly #options: PrintifyClientOptions
  readonly #http: HttpClientOptions

  constructor (options: PrintifyClientOptions) {
    this.#options = options
    this.#http = {
      baseUrl: options.apiUrl.replace(/\/+$/, ''),
      service,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {})
    }
  }

  get #shop (): string {
    return `/v1/shops/${encodeURIComponent(this.#options.shopId)}`
  }

  #product (id: string, rest: string): string {
    return `${this.#shop}/products/${encodeURIComponent(id)}${rest}`
  }

  /** Returns only the new order's id (§2.4). */
  async createOrder (body: PyOrderBody): Promise<string> {
    return (await this.#call({ method: 'POST', path: `${this.#shop}/orders.json`, body }, pyCreatedSchema, 'created order')).id
  }

  async getOrder (id: string): Promise<PyOrderWire | undefined> {
    try {
      return await this.#call({ method: 'GET', path: `${this.#shop}/orders/${encodeURIComponent(id)}.json` }, pyOrderSchema, 'order')
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') return undefined
      throw err
    }
  }

  /**
   * "limit default 10, maximum 10" (§2.4); the documented filters are `status`
   * and `sku` ("orders that have at least one product with passed SKU",
   * https://developers.printify.com/ Orders). The list's order is not documented.
   */
  async listOrders (query: { page: number, limit?: number, status?: string | undefined, sku?: string | undefined }): Promise<{ orders: PyOrderWire[], lastPage: number }> {
    const page = await this.#call({ method: 'GET', path: `${this.#shop}/orders.json`, query: { page: query.page, limit: Math.min(query.limit ?? 10, 10), status: query.status, sku: query.sku } }, pyPageSchema(pyOrderSchema), 'order list')
    return { orders: page.data, lastPage: page.last_page }
  }

  async sendToProduction (id: string): Promise<PyOrderWire> {
    return this.#call({ method: 'POST', path: `${this.#shop}/orders/${encodeURIComponent(id)}/send_to_production.json` }, pyOrderSchema, 'order')
  }

  /** Only on-hold or payment-not-received orders can be cancelled (§2.4). */
  async cancelOrder (id: string): Promise<PyOrderWire> {
    return this.#call({ method: 'POST', path: `${this.#shop}/orders/${encodeURIComponent(id)}/cancel.json` }, pyOrderSchema, 'order')
  }

  async shops (): Promise<z.infer<typeof pyShopSchema>[]> {
    return this.#call({ method: 'GET', path: '/v1/shops.json' }, z.array(pyShopSchema), 'shop list')
  }

  async products (query: { page: number, limit: number }): Promise<{ products: z.infer<typeof pyProductSchema>[], lastPage: number }> {
    const page = await this.#call({ method: 'GET', path: `${this.#shop}/products.json`, query }, pyPageSchema(pyProductSchema), 'product list')
    return { products: page.data, lastPage: page.last_page }
  }

  /** One product (https://developers.printify.com/ "Retrieve a product"); undefined when the shop does not have it. */
  async getProduct (id: string): Promise<PyProductWire | undefined> {
    try {
      return await this.#call({ method: 'GET', path: this.#product(id, '.json') }, pyProductSchema, 'product')
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') return undefined
      throw err
    }
  }

  /**
   * Locks the product and sends `product:publish:started` to the shop's
   * webhook; 200 requests per 30 minutes (§2.2, https://developers.printify.com/
   * "API Usage Guidelines"). The merchant's Publish button does the same.
   */
  async publish (id: string, fields: PyPublishBody): Promise<void> {
    await this.#checked({ method: 'POST', path: this.#product(id, '/publish.json'), body: fields })
  }

  /**
   * The channel made the product: `external.id` is the store's product id,
   * `external.handle` its URL (the docs' example handle is
   * "https://example.com/path/to/product"). Unlocks the product.
   */
  async publishingSucceeded (id: string, external: { id: string, handle: string }): Promise<void> {
    await this.#checked({ method: 'POST', path: this.#product(id, '/publishing_succeeded.json'), body: { external } })
  }

  /** The channel could not make the product: `reason` is shown to the merchant. Unlocks the product. */
  async publishingFailed (id: string, reason: string): Promise<void> {
    await this.#checked({ method: 'POST', path: this.#product(id, '/publishing_failed.json'), body: { reason } })
  }

  /** The product left the store (https://developers.printify.com/ "Notify that a product has been unpublished"). */
  async unpublish (id: string): Promise<void> {
    await this.#checked({ method: 'POST', path: this.#product(id, '/unpublish.json') })
  }

  /** The shop's webhooks, one per topic and URL (§2.5). */
  async webhooks (): Promise<PyWebhookConfig[]> {
    return this.#call({ method: 'GET', path: `${this.#shop}/webhooks.json` }, z.array(pyWebhookConfigSchema), 'webhook list')
  }

  /** `secret` signs each delivery (X-Pfy-Signature, §2.5); the topic cannot be changed later. */
  async createWebhook (webhook: { topic: string, url: string, secret?: string }): Promise<PyWebhookConfig> {
    return this.#call({ method: 'POST', path: `${this.#shop}/webhooks.json`, body: webhook }, pyWebhookConfigSchema, 'created webhook')
  }

  async #call<S extends z.ZodType> (call: HttpCall, schema: S, what: string): Promise<z.output<S>> {
    return parseWire(service, schema, parseJson(service, await this.#checked(call)), what)
  }

  /** The answer to a call that succeeded; its body is not read where the docs show it empty (`{}`, the publishing calls). */
  async #checked (call: HttpCall): Promise<Awaited<ReturnType<typeof sendRequest>>> {
    const response = await sendRequest(this.#http, {
      ...call,
      headers: { authorization: `Bearer ${this.#options.token}`, 'user-agent': this.#options.userAgent ?? 'pod-bridge' }
    })
    if (response.status < 200 || response.status >= 300) {
      let body: z.infer<typeof pyErrorSchema> = {}
      try { body = pyErrorSchema.parse(JSON.parse(response.text)) } catch { /* not the documented body: the status decides */ }
      const reasons = readReason(body.errors?.reason)
      const first = body.message ?? `HTTP ${String(response.status)}`
      const message = reasons && reasons !== first ? `${first} ${reasons}` : first
      const extra = { supplierMessage: message, ...(body.code === undefined ? {} : { supplierCode: body.code }) }
      if (stillPending(body, message)) throw notYetError(service, call, response, message, extra)
      throw errorForStatus(service, call, response, message, extra)
    }
    return response
  }
}

/**
 * 8502, "It is not allowed to sent order to production with status pending.":
 * a new order is `pending` for a moment (§2.4 "brief, right after creation"),
 * and send_to_production is refused until it is on hold. Observed in live use
 * (test/fixtures/suppliers/printify-8502-pending.json); one observed body had
 * only the reason, so its words count as much as the code. The message names
 * the status: 8502 naming another status (canceled, say) is a real refusal.
 */
function stillPending (body: z.infer<typeof pyErrorSchema>, message: string): boolean {
  if (/production with status pending\b/i.test(message)) return true
  return (body.code === 8502 || body.errors?.code === 8502) && !/with status /i.test(message)
}

/** errors.reason is a JSON string of field → messages (8103), or plain text. */
function readReason (reason: unknown): string {
  if (typeof reason !== 'string') return ''
  try {
    const fields = JSON.parse(reason) as unknown
    if (fields && typeof fields === 'object' && !Array.isArray(fields)) {
      return Object.entries(fields).map(([field, messages]) => `${field}: ${Array.isArray(messages) ? messages.map(String).join(' ') : String(messages)}`).join('; ')
    }
  } catch { /* plain text */ }
  return reason
}
