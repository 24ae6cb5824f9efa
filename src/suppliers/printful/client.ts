// Printful v1 over HTTP: auth, the {code,result} envelope, error bodies and
// the X-Ratelimit-* headers (suppliers.md §1.1-1.3). No domain types here.
import type { Dispatcher } from 'undici'
import { z } from 'zod'
import { AppError } from '../../lib/errors.ts'
import { errorForStatus, parseJson, parseWire, readRateLimit, sendRequest, type HttpCall, type HttpClientOptions, type RateLimitState } from '../common/http.ts'
import { pfEnvelope, pfErrorSchema, pfOrderSchema, pfShippingRateSchema, pfStoreSchema, pfSyncProductDetailSchema, pfSyncProductSchema, pfSyncVariantSchema, pfWebhookInfoSchema, type PfOrderBody, type PfOrderWire, type PfSyncVariantWire, type PfWebhookInfo } from './wire.ts'

export interface PrintfulClientOptions {
  /** PRINTFUL_API_URL, default https://api.printful.com */
  readonly apiUrl: string
  readonly token: string
  /** PRINTFUL_STORE_ID: sent as X-PF-Store-Id, needed with account-level tokens (§1.1). */
  readonly storeId?: string
  readonly timeoutMs?: number
  readonly dispatcher?: Dispatcher
  /** Called with the budget the API reports on each answer. */
  readonly onRateLimit?: (state: RateLimitState) => void
}

const service = 'Printful'

export class PrintfulApi {
  readonly #options: PrintfulClientOptions
  readonly #http: HttpClientOptions
  #rateLimit: RateLimitState | undefined

  constructor (options: PrintfulClientOptions) {
    this.#options = options
    this.#http = {
      baseUrl: options.apiUrl.replace(/\/+$/, ''),
      service,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {})
    }
  }

  /** The budget as of the last answer (X-Ratelimit-*). */
  get rateLimit (): RateLimitState | undefined {
    return this.#rateLimit
  }

  async createOrder (body: PfOrderBody, opts: { confirm: boolean, updateExisting: boolean }): Promise<PfOrderWire> {
    return this.#call({ method: 'POST', path: '/orders', query: { confirm: opts.confirm, update_existing: opts.updateExisting }, body }, pfOrderSchema, 'order')
  }

  /** By Printful id, or by external id (sent as @external_id, §1.5); undefined when unknown. */
  async getOrder (ref: { id: string } | { externalId: string }): Promise<PfOrderWire | undefined> {
    const path = 'id' in ref ? `/orders/${encodeURIComponent(ref.id)}` : `/orders/@${encodeURIComponent(ref.externalId)}`
    try {
      return await this.#call({ method: 'GET', path }, pfOrderSchema, 'order')
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') return undefined
      throw err
    }
  }

  async listOrders (query: { status?: string, offset?: number, limit?: number } = {}): Promise<{ orders: PfOrderWire[], total: number }> {
    const { result, paging } = await this.#envelope({ method: 'GET', path: '/orders', query: { status: query.status, offset: query.offset ?? 0, limit: Math.min(query.limit ?? 100, 100) } }, z.array(pfOrderSchema), 'order list')
    return { orders: result, total: paging?.total ?? result.length }
  }

  async confirmOrder (id: string): Promise<PfOrderWire> {
    return this.#call({ method: 'POST', path: `/orders/${encodeURIComponent(id)}/confirm` }, pfOrderSchema, 'order')
  }

  async updateOrder (id: string, body: Partial<PfOrderBody>, opts: { confirm: boolean }): Promise<PfOrderWire> {
    return this.#call({ method: 'PUT', path: `/orders/${encodeURIComponent(id)}`, query: { confirm: opts.confirm }, body }, pfOrderSchema, 'order')
  }

  /** v1 DELETE cancels (v2's deletes, §1.6). */
  async cancelOrder (id: string): Promise<PfOrderWire> {
    return this.#call({ method: 'DELETE', path: `/orders/${encodeURIComponent(id)}` }, pfOrderSchema, 'order')
  }

  async stores (): Promise<z.infer<typeof pfStoreSchema>[]> {
    return this.#call({ method: 'GET', path: '/stores' }, z.array(pfStoreSchema), 'store list')
  }

  async syncProducts (query: { offset: number, limit: number }): Promise<{ products: z.infer<typeof pfSyncProductSchema>[], total: number }> {
    const { result, paging } = await this.#envelope({ method: 'GET', path: '/store/products', query }, z.array(pfSyncProductSchema), 'sync product list')
    return { products: result, total: paging?.total ?? result.length }
  }

  async syncProduct (id: string): Promise<z.infer<typeof pfSyncProductDetailSchema>> {
    return this.#call({ method: 'GET', path: `/store/products/${encodeURIComponent(id)}` }, pfSyncProductDetailSchema, 'sync product')
  }

  /**
   * PUT /store/variants/{id} "Modify a Sync Variant": only the fields sent
   * change (printful-v1-openapi.json). One request per variant; PUT
   * /store/products/{id} could write them all at once, but it deletes every
   * sync variant whose id it is not given and allows 10 requests a minute.
   */
  async updateSyncVariant (id: string, fields: { external_id?: string }): Promise<PfSyncVariantWire> {
    return this.#call({ method: 'PUT', path: `/store/variants/${encodeURIComponent(id)}`, body: fields }, pfSyncVariantSchema, 'sync variant')
  }

  /** The methods Printful offers for these items to this address (v1 POST /shipping/rates). */
  async shippingRates (body: { recipient: { address1: string, city: string, country_code: string, state_code?: string, zip?: string }, items: Array<{ variant_id?: string, external_variant_id?: string, quantity: number }> }): Promise<z.infer<typeof pfShippingRateSchema>[]> {
    return this.#call({ method: 'POST', path: '/shipping/rates', body }, z.array(pfShippingRateSchema), 'shipping rates')
  }

  /** The store's one webhook configuration (§1.8). */
  async webhooks (): Promise<PfWebhookInfo> {
    return this.#call({ method: 'GET', path: '/webhooks' }, pfWebhookInfoSchema, 'webhook configuration')
  }

  /** Replaces the store's webhook configuration: "only one webhook URL can be active for a store" (§1.8). */
  async setWebhooks (config: { url: string, types: readonly string[] }): Promise<PfWebhookInfo> {
    return this.#call({ method: 'POST', path: '/webhooks', body: { url: config.url, types: [...config.types] } }, pfWebhookInfoSchema, 'webhook configuration')
  }

  async #call<S extends z.ZodType> (call: HttpCall, schema: S, what: string): Promise<z.output<S>> {
    return (await this.#envelope(call, schema, what)).result
  }

  async #envelope<S extends z.ZodType> (call: HttpCall, schema: S, what: string): Promise<{ result: z.output<S>, paging?: { total: number } | undefined }> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.#options.token}` }
    if (this.#options.storeId) headers['x-pf-store-id'] = this.#options.storeId
    const response = await sendRequest(this.#http, { ...call, headers })
    const rate = readRateLimit(response.headers)
    if (rate) {
      this.#rateLimit = rate
      this.#options.onRateLimit?.(rate)
    }
    if (response.status < 200 || response.status >= 300) {
      let body: z.infer<typeof pfErrorSchema> = {}
      try { body = pfErrorSchema.parse(JSON.parse(response.text)) } catch { /* a non-JSON error page: the status decides */ }
      const message = body.error?.message ?? (typeof body.result === 'string' ? body.result : `HTTP ${String(response.status)}`)
      throw errorForStatus(service, call, response, message, {
        supplierMessage: message,
        ...(body.error?.reason === undefined ? {} : { supplierReason: String(body.error.reason) }),
        ...(body.code === undefined ? {} : { supplierCode: body.code })
      })
    }
    const body = parseJson(service, response)
    const envelope = parseWire(service, pfEnvelope(z.unknown()), body, what)
    return { result: parseWire(service, schema, envelope.result, what), paging: envelope.paging }
  }
}

/** OR-13 EXTERNAL_ID_IN_USE: the table names the code but not its HTTP status or wording (§1.2), so match either. */
export function isExternalIdInUse (err: unknown): boolean {
  if (!(err instanceof AppError) || err.code !== 'upstream_rejected') return false
  const text = (value: unknown) => typeof value === 'string' ? value : ''
  const words = `${text(err.detail?.supplierReason)} ${text(err.detail?.supplierMessage)}`
  return /OR-13|EXTERNAL_ID_IN_USE|external[ _]id (already exists|is already in use)/i.test(words)
}

/** OR-4 INVALID_SHIPPING_METHOD: like OR-13, named in the error table without its wording (§1.2). */
export function isInvalidShippingMethod (err: unknown): boolean {
  if (!(err instanceof AppError) || err.code !== 'upstream_rejected') return false
  const text = (value: unknown) => typeof value === 'string' ? value : ''
  return /OR-4\b|INVALID_SHIPPING_METHOD|shipping method .*(invalid|not supported)/i.test(`${text(err.detail?.supplierReason)} ${text(err.detail?.supplierMessage)}`)
}
