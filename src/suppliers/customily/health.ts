// What Customily's answers say about our configuration. A refused key or token
// is never "still rendering"; nor is a 404 while no look-up since start has
// found anything (with the wrong item URL or shop, every look-up is a 404, and
// waiting two hours per order would only hide that). Each problem names the
// setting to check, as the order's reason and in /readyz detail.
import { AppError, errorMessage, isAppError } from '../../lib/errors.ts'

export interface CustomilySettings { readonly tokenUrl: string, readonly itemUrl: string, readonly shopDomain: string }

type Part = 'token' | 'item'

export class CustomilyHealth {
  readonly #settings: CustomilySettings
  readonly #problems = new Map<Part, string>()
  /** Whether any item look-up since start has answered 200: then the URL, shop and key are right. */
  #found = false

  constructor (settings: CustomilySettings) {
    this.#settings = settings
  }

  problems (): readonly string[] {
    return [...this.#problems.values()]
  }

  tokenIssued (): void {
    this.#problems.delete('token')
  }

  /** The error for a refused token request: a configuration problem unless Customily is only busy or down. */
  tokenRefused (status: number, error: AppError): AppError {
    const at = `CUSTOMILY_TOKEN_URL (${this.#settings.tokenUrl})`
    if (status === 401 || status === 403) return this.#problem('token', `Customily refused CUSTOMILY_API_KEY at ${at} with ${String(status)}: check the key (Customily account settings)`, error)
    if (status === 404 || status === 405) return this.#problem('token', `${at} answered ${String(status)}: it is not Customily's token endpoint (help.customily.com article 42965126428315 gives https://app.customily.com/api/token)`, error)
    if (status >= 400 && status < 500 && status !== 408 && status !== 409 && status !== 429) return this.#problem('token', `${at} refused the token request with ${String(status)}: check CUSTOMILY_TOKEN_URL and CUSTOMILY_API_KEY`, error)
    return error
  }

  itemFound (): void {
    this.#found = true
    this.#problems.delete('item')
  }

  /** 401 with a token just issued, or 403. */
  itemRefused (status: number, error: AppError): AppError {
    const message = status === 401
      ? `Customily's item API (CUSTOMILY_ITEM_URL, ${this.#host()}) refused a token just issued by CUSTOMILY_TOKEN_URL (${this.#settings.tokenUrl}): check that both are Customily's (the token comes from app.customily.com, items from sh.customily.com)`
      : `Customily's item API (CUSTOMILY_ITEM_URL, ${this.#host()}) refused access (403) for shop "${this.#settings.shopDomain}": check that CUSTOMILY_API_KEY belongs to the Customily account that has CUSTOMILY_SHOP_DOMAIN`
    return this.#problem('item', message, error)
  }

  /** A 404: "not rendered yet" once a look-up has found something since start, else a configuration problem. */
  itemNotFound (id: string): AppError | undefined {
    if (this.#found) return undefined
    return this.#problem('item', `Customily knows no personalization ${id} for shop "${this.#settings.shopDomain}" at ${this.#host()}, and every look-up since start has answered 404: check CUSTOMILY_ITEM_URL (${this.#settings.itemUrl}) and CUSTOMILY_SHOP_DOMAIN (the storefront domain), then retry the order`)
  }

  /** The start-up check failed: a configuration problem is already recorded; anything else is recorded as such. */
  unreachable (err: unknown): string {
    if (isAppError(err) && err.code === 'config') return err.message
    const message = `Customily: could not check CUSTOMILY_API_KEY at CUSTOMILY_TOKEN_URL (${this.#settings.tokenUrl}): ${errorMessage(err)}`
    this.#problems.set('token', message)
    return message
  }

  #problem (part: Part, message: string, cause?: AppError): AppError {
    this.#problems.set(part, message)
    return new AppError('config', message, { ...(cause ? { cause, detail: cause.detail ?? {} } : {}) })
  }

  #host (): string {
    try {
      return new URL(this.#settings.itemUrl.replace('{id}', 'x').replace('{shop}', 'x')).host
    } catch {
      return this.#settings.itemUrl
    }
  }
}
