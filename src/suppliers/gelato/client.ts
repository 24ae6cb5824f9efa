// Gelato over HTTP: the Order API v4 on its host and the Product API v3 on
// another, both with the account's key in X-API-KEY
// (https://dashboard.gelato.com/docs/ "Authentication"). No domain types here.
import type { Dispatcher } from 'undici'
import type { z } from 'zod'
import { AppError } from '../../lib/errors.ts'
import { errorForStatus, parseJson, parseWire, sendRequest, type HttpCall, type HttpClientOptions, type HttpResponse } from '../common/http.ts'
import { gtCatalogListSchema, gtErrorSchema, gtOrderSchema, gtProductPageSchema, gtSearchSchema, type GtOrderBody, type GtOrderSummary, type GtOrderWire } from './wire.ts'

export interface GelatoClientOptions {
  /** GELATO_API_URL, default https://order.gelatoapis.com */
  readonly apiUrl: string
  /** GELATO_PRODUCT_API_URL, default https://product.gelatoapis.com */
  readonly productApiUrl: string
  readonly apiKey: string
  readonly timeoutMs?: number
  readonly dispatcher?: Dispatcher
}

const service = 'Gelato'

export class GelatoApi {
  readonly #key: string
  readonly #orders: HttpClientOptions
  readonly #products: HttpClientOptions

  constructor (options: GelatoClientOptions) {
    this.#key = options.apiKey
    const common = {
      service,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {})
    }
    this.#orders = { ...common, baseUrl: options.apiUrl.replace(/\/+$/, '') }
    this.#products = { ...common, baseUrl: options.productApiUrl.replace(/\/+$/, '') }
  }

  /** POST /v4/orders answers the whole order, with connectedOrderIds when Gelato split it (v4/create). */
  async createOrder (body: GtOrderBody): Promise<GtOrderWire> {
    return this.#call(this.#orders, { method: 'POST', path: '/v4/orders', body }, gtOrderSchema, 'created order')
  }

  async getOrder (id: string): Promise<GtOrderWire | undefined> {
    try {
      return await this.#call(this.#orders, { method: 'GET', path: `/v4/orders/${encodeURIComponent(id)}` }, gtOrderSchema, 'order')
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') return undefined
      throw err
    }
  }

  /**
   * POST /v4/orders:search {orderReferenceIds: [...]} (v4/search): every order
   * carrying one of our references, the connected parts of a split order
   * included, since they share the orderReferenceId (order_details). Paged by
   * limit/offset; the default limit is not documented, so it is always sent.
   */
  async searchByReference (referenceIds: readonly string[]): Promise<GtOrderSummary[]> {
    const limit = 100
    const found: GtOrderSummary[] = []
    for (let offset = 0; ; offset += limit) {
      const page = await this.#call(this.#orders, { method: 'POST', path: '/v4/orders:search', body: { orderReferenceIds: referenceIds, limit, offset } }, gtSearchSchema, 'order search')
      found.push(...page.orders)
      if (page.orders.length < limit) return found
    }
  }

  /**
   * POST /v4/orders/{id}:cancel (v4/cancel): 200 cancelled; 409 "cannot be
   * canceled, because at least one of the items is in 'printed' status".
   */
  async cancelOrder (id: string): Promise<'cancelled' | 'too_late'> {
    const call: HttpCall = { method: 'POST', path: `/v4/orders/${encodeURIComponent(id)}:cancel` }
    const response = await this.#send(this.#orders, call)
    if (response.status === 409) return 'too_late'
    if (response.status < 200 || response.status >= 300) throw this.#error(call, response)
    return 'cancelled'
  }

  async catalogs (): Promise<{ catalogUid: string, title: string }[]> {
    return this.#call(this.#products, { method: 'GET', path: '/v3/catalogs' }, gtCatalogListSchema, 'catalog list')
  }

  /** "limit: maximum number of items to be returned" (products:search); 100 a page. */
  async products (catalogUid: string, page: { limit: number, offset: number }): Promise<z.infer<typeof gtProductPageSchema>['products']> {
    return (await this.#call(this.#products, { method: 'POST', path: `/v3/catalogs/${encodeURIComponent(catalogUid)}/products:search`, body: page }, gtProductPageSchema, 'product page')).products
  }

  async #send (http: HttpClientOptions, call: HttpCall): Promise<HttpResponse> {
    return sendRequest(http, { ...call, headers: { 'x-api-key': this.#key } })
  }

  #error (call: HttpCall, response: HttpResponse): AppError {
    let body: z.infer<typeof gtErrorSchema> = {}
    try { body = gtErrorSchema.parse(JSON.parse(response.text)) } catch { /* not the usual body: the status decides */ }
    const message = body.message ?? `HTTP ${String(response.status)}`
    return errorForStatus(service, call, response, message, { supplierMessage: message, ...(body.code === undefined ? {} : { supplierCode: String(body.code) }) })
  }

  async #call<S extends z.ZodType> (http: HttpClientOptions, call: HttpCall, schema: S, what: string): Promise<z.output<S>> {
    const response = await this.#send(http, call)
    if (response.status < 200 || response.status >= 300) throw this.#error(call, response)
    return parseWire(service, schema, parseJson(service, response), what)
  }
}
