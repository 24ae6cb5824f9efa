// Customily's read API: a token, then the personalization item with its
// production file (suppliers.md §3, help.customily.com article 42965126428315).
// The documentation is thin, so everything it leaves open is an option here;
// docs/customily.md lists each one and its default.
import type { Dispatcher } from 'undici'
import { z } from 'zod'
import { AppError } from '../../lib/errors.ts'
import { errorForStatus, parseJson, parseWire, sendRequest, type HttpCall, type HttpClientOptions } from '../http.ts'

export interface CustomilyClientOptions {
  /** CUSTOMILY_API_URL: origin of the item look-up (the docs: https://sh.customily.com). */
  readonly apiUrl: string
  /** Token endpoint; the docs: POST https://app.customily.com/api/token. Default `${apiUrl}/api/token`. */
  readonly tokenUrl?: string
  readonly apiKey: string
  /** The Shopify shop domain sent as `shop`. */
  readonly shopDomain: string
  /** How the key goes to the token endpoint (undocumented): a JSON body field (default "apiKey") or a header. */
  readonly tokenRequest?: { readonly kind: 'json', readonly field: string } | { readonly kind: 'header', readonly name: string }
  /**
   * Item path with {id} and {shop}. Default as the docs write it, with "&" where "?" would be:
   * "/api/standalone/item/{id}&shop={shop}". Set "/api/standalone/item/{id}?shop={shop}" if the real API wants that.
   */
  readonly itemPath?: string
  /** Statuses that mean "not ready yet, ask again later" (undocumented); default 404 and 425. */
  readonly notReadyStatuses?: readonly number[]
  readonly timeoutMs?: number
  readonly dispatcher?: Dispatcher
  readonly now?: () => number
}

export interface CustomilyExportedFile { readonly url: string, readonly epsId?: string, readonly podPlaceholder?: string, readonly personalizationId?: string }

export type CustomilyPersonalization =
  | { readonly state: 'ready', readonly id: string, readonly productionUrl: string, readonly previewUrl?: string, readonly exportedFiles: readonly CustomilyExportedFile[], readonly orderId?: string, readonly createdAt?: string }
  | { readonly state: 'not_ready' }

const text = z.union([z.string(), z.number()]).nullish().transform((v) => v === null || v === undefined ? undefined : String(v))
// Field names from the docs' response description (§3); the token's own field names are not documented, so both spellings are read.
const tokenSchema = z.object({ token: z.string().optional(), access_token: z.string().optional(), expiresIn: z.number().optional(), expires_in: z.number().optional() })
const itemSchema = z.object({
  id: text,
  productionUrl: z.string().nullish(),
  previewUrl: z.string().nullish(),
  orderId: text,
  createdDate: z.string().nullish(),
  exportedFiles: z.array(z.object({ url: z.string(), epsId: text, podPlaceholder: text, personalizationId: text })).nullish()
}).loose()

const service = 'Customily'

export class CustomilyClient {
  readonly #options: CustomilyClientOptions
  readonly #http: HttpClientOptions
  #token: { value: string, expiresAt: number } | undefined

  constructor (options: CustomilyClientOptions) {
    this.#options = options
    this.#http = {
      baseUrl: '',
      service,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {})
    }
  }

  /** The personalization's files, or not_ready while Customily is still rendering (typically ~30 min after an order, §3). */
  async personalization (id: string): Promise<CustomilyPersonalization> {
    const template = this.#options.itemPath ?? '/api/standalone/item/{id}&shop={shop}'
    const path = template.replace('{id}', encodeURIComponent(id)).replace('{shop}', encodeURIComponent(this.#options.shopDomain))
    const call: HttpCall = { method: 'GET', path: this.#options.apiUrl.replace(/\/+$/, '') + path }
    let response = await sendRequest(this.#http, { ...call, headers: { authorization: `Bearer ${await this.#bearer()}` } })
    if (response.status === 401) {
      // A token that expired early: fetch a new one once.
      this.#token = undefined
      response = await sendRequest(this.#http, { ...call, headers: { authorization: `Bearer ${await this.#bearer()}` } })
    }
    if ((this.#options.notReadyStatuses ?? [404, 425]).includes(response.status)) return { state: 'not_ready' }
    if (response.status < 200 || response.status >= 300) throw errorForStatus(service, call, response, `item look-up answered ${String(response.status)}`)
    const item = parseWire(service, itemSchema, parseJson(service, response), 'personalization item')
    const files = (item.exportedFiles ?? []).map((file) => ({
      url: file.url,
      ...(file.epsId ? { epsId: file.epsId } : {}),
      ...(file.podPlaceholder ? { podPlaceholder: file.podPlaceholder } : {}),
      ...(file.personalizationId ? { personalizationId: file.personalizationId } : {})
    }))
    const productionUrl = item.productionUrl ?? files[0]?.url
    // An item without any file yet is still being rendered.
    if (!productionUrl) return { state: 'not_ready' }
    return {
      state: 'ready',
      id: item.id ?? id,
      productionUrl,
      ...(item.previewUrl ? { previewUrl: item.previewUrl } : {}),
      exportedFiles: files,
      ...(item.orderId ? { orderId: item.orderId } : {}),
      ...(item.createdDate ? { createdAt: item.createdDate } : {})
    }
  }

  async #bearer (): Promise<string> {
    const now = (this.#options.now ?? Date.now)()
    if (this.#token && this.#token.expiresAt > now) return this.#token.value
    const url = this.#options.tokenUrl ?? `${this.#options.apiUrl.replace(/\/+$/, '')}/api/token`
    const how = this.#options.tokenRequest ?? { kind: 'json', field: 'apiKey' }
    const call: HttpCall = how.kind === 'json'
      ? { method: 'POST', path: url, body: { [how.field]: this.#options.apiKey } }
      : { method: 'POST', path: url, headers: { [how.name]: this.#options.apiKey } }
    const response = await sendRequest(this.#http, call)
    if (response.status < 200 || response.status >= 300) throw errorForStatus(service, { ...call, path: '/api/token' }, response, `token request answered ${String(response.status)}`)
    const body = parseWire(service, tokenSchema, parseJson(service, response), 'token')
    const value = body.token ?? body.access_token
    if (!value) throw new AppError('upstream_invalid_response', 'Customily: the token answer holds no token')
    // Renew a minute early; an answer without a lifetime is trusted for 50 minutes.
    const lifetimeS = body.expiresIn ?? body.expires_in ?? 3_000
    this.#token = { value, expiresAt: now + Math.max(0, lifetimeS - 60) * 1000 }
    return value
  }
}
