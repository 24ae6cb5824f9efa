// Customily's read API: a token from one host, then the personalization item
// with its files from another (help.customily.com article 42965126428315,
// suppliers.md §3). The article is thin; docs/customily.md lists what it leaves
// open and the choice made here for each.
import type { Dispatcher } from 'undici'
import { z } from 'zod'
import { AppError } from '../../lib/errors.ts'
import { errorForStatus, parseJson, parseWire, sendRequest, type HttpCall, type HttpClientOptions, type HttpResponse } from '../common/http.ts'
import { CustomilyHealth } from './health.ts'

export interface CustomilyClientOptions {
  /** CUSTOMILY_TOKEN_URL: the article's is POST https://app.customily.com/api/token. */
  readonly tokenUrl: string
  /** CUSTOMILY_ITEM_URL: a template with {id} and {shop}, each percent-encoded where it stands. */
  readonly itemUrl: string
  readonly apiKey: string
  /** CUSTOMILY_SHOP_DOMAIN: the storefront domain Customily knows the shop by (the article: `shop=yourstore.com`). */
  readonly shopDomain: string
  /** How the key goes to the token endpoint (undocumented): a JSON body field (default "apiKey") or a header. */
  readonly tokenRequest?: { readonly kind: 'json', readonly field: string } | { readonly kind: 'header', readonly name: string }
  readonly timeoutMs?: number
  readonly dispatcher?: Dispatcher
  readonly now?: () => number
}

export interface CustomilyExportedFile { readonly url: string, readonly epsId?: string, readonly podPlaceholder?: string, readonly personalizationId?: string }

export type CustomilyPersonalization =
  | { readonly state: 'ready', readonly id: string, readonly productionUrl?: string, readonly previewUrl?: string, readonly exportedFiles: readonly CustomilyExportedFile[], readonly orderId?: string, readonly createdAt?: string }
  | { readonly state: 'not_ready' }

const text = z.union([z.string(), z.number()]).nullish().transform((v) => v === null || v === undefined || v === '' ? undefined : String(v))
// The token answer's fields are not documented (the article shows a screenshot; its V1 predecessor says "access_token"): both spellings are read.
const tokenSchema = z.object({ token: z.string().optional(), access_token: z.string().optional(), expiresIn: z.number().optional(), expires_in: z.number().optional() })
// Field names from the article's example response.
const itemSchema = z.object({
  id: text,
  productionUrl: text,
  previewUrl: text,
  orderId: text,
  createdDate: z.string().nullish(),
  exportedFiles: z.array(z.object({ url: z.string(), epsId: text, podPlaceholder: text, personalizationId: text })).nullish()
}).loose()

const service = 'Customily'

export class CustomilyClient {
  readonly #options: CustomilyClientOptions
  readonly #http: HttpClientOptions
  readonly #health: CustomilyHealth
  #token: { value: string, expiresAt: number } | undefined

  constructor (options: CustomilyClientOptions) {
    this.#options = options
    this.#health = new CustomilyHealth(options)
    this.#http = {
      baseUrl: '',
      service,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {})
    }
  }

  /** Configuration problems seen so far (start-up check, look-ups), for /readyz. */
  problems (): readonly string[] {
    return this.#health.problems()
  }

  /** The start-up check: is the key accepted at CUSTOMILY_TOKEN_URL? Records what is wrong; never throws. */
  async checkAccess (): Promise<string | undefined> {
    try {
      this.#token = undefined
      await this.#bearer()
      return undefined
    } catch (err) {
      return this.#health.unreachable(err)
    }
  }

  /**
   * The personalization's files, or not_ready while Customily is still rendering
   * (typically ~30 min after an order, §3). A refused key or token, or a 404 while
   * no look-up since start has found anything, is a configuration problem
   * (AppError `config`, naming the setting), never "not ready".
   */
  async personalization (id: string): Promise<CustomilyPersonalization> {
    const { itemUrl, shopDomain } = this.#options
    const call: HttpCall = { method: 'GET', path: itemUrl.replace('{id}', encodeURIComponent(id)).replace('{shop}', encodeURIComponent(shopDomain)) }
    const logged = { ...call, path: new URL(call.path).pathname }
    let response = await this.#get(call)
    if (response.status === 401) {
      // A token that expired early: fetch a new one once.
      this.#token = undefined
      response = await this.#get(call)
    }
    if (response.status === 401 || response.status === 403) {
      throw this.#health.itemRefused(response.status, errorForStatus(service, logged, response, `item look-up answered ${String(response.status)}`))
    }
    if (response.status === 404) {
      const problem = this.#health.itemNotFound(id)
      if (problem) throw problem
      return { state: 'not_ready' }
    }
    // 425 Too Early: "not yet", should Customily ever say so.
    if (response.status === 425) return { state: 'not_ready' }
    if (response.status < 200 || response.status >= 300) throw errorForStatus(service, logged, response, `item look-up answered ${String(response.status)}`)
    const item = parseWire(service, itemSchema, parseJson(service, response), 'personalization item')
    this.#health.itemFound()
    const files = (item.exportedFiles ?? []).map((file) => ({
      url: file.url,
      ...(file.epsId ? { epsId: file.epsId } : {}),
      ...(file.podPlaceholder ? { podPlaceholder: file.podPlaceholder } : {}),
      ...(file.personalizationId ? { personalizationId: file.personalizationId } : {})
    }))
    // An item without any file yet is still being rendered.
    if (!item.productionUrl && files.length === 0) return { state: 'not_ready' }
    return {
      state: 'ready',
      id: item.id ?? id,
      ...(item.productionUrl ? { productionUrl: item.productionUrl } : {}),
      ...(item.previewUrl ? { previewUrl: item.previewUrl } : {}),
      exportedFiles: files,
      ...(item.orderId ? { orderId: item.orderId } : {}),
      ...(item.createdDate ? { createdAt: item.createdDate } : {})
    }
  }

  async #get (call: HttpCall): Promise<HttpResponse> {
    return sendRequest(this.#http, { ...call, headers: { authorization: `Bearer ${await this.#bearer()}` } })
  }

  async #bearer (): Promise<string> {
    const now = (this.#options.now ?? Date.now)()
    if (this.#token && this.#token.expiresAt > now) return this.#token.value
    const url = this.#options.tokenUrl
    const how = this.#options.tokenRequest ?? { kind: 'json', field: 'apiKey' }
    const call: HttpCall = how.kind === 'json'
      ? { method: 'POST', path: url, body: { [how.field]: this.#options.apiKey } }
      : { method: 'POST', path: url, headers: { [how.name]: this.#options.apiKey } }
    const response = await sendRequest(this.#http, call)
    if (response.status < 200 || response.status >= 300) {
      throw this.#health.tokenRefused(response.status, errorForStatus(service, { ...call, path: new URL(url).pathname }, response, `token request answered ${String(response.status)}`))
    }
    const body = parseWire(service, tokenSchema, parseJson(service, response), 'token')
    const value = body.token ?? body.access_token
    if (!value) throw new AppError('upstream_invalid_response', 'Customily: the token answer holds no token')
    this.#health.tokenIssued()
    // Renew a minute early; an answer without a lifetime is trusted for 50 minutes.
    const lifetimeS = body.expiresIn ?? body.expires_in ?? 3_000
    this.#token = { value, expiresAt: now + Math.max(0, lifetimeS - 60) * 1000 }
    return value
  }
}
