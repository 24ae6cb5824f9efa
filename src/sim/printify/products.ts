// The simulated shop's products and Printify's publishing handshake
// (https://developers.printify.com/ Products): Publish locks the product and
// sends product:publish:started; the channel unlocks it with
// publishing_succeeded.json (storing `external` {id, handle}) or
// publishing_failed.json; unpublish.json says the product left the store.
import { FixedWindowLimiter, type RateDecision, type RateLimitSettings } from '../common/rate-limit.ts'
import { PrintifySimError } from './orders.ts'
import { printifyTime, type SimPrintifyProduct } from './wire.ts'

/** Sends a product webhook: {id, type, created_at, resource:{id, type: "product", data}} (§2.5). */
export type PrintifyProductEmit = (type: string, productId: string, data: Record<string, unknown>) => void

/** The fields publish.json takes, each true unless sent false (its OpenAPI example sends all seven, true). */
export interface PublishDetails {
  readonly title: boolean
  readonly description: boolean
  readonly images: boolean
  readonly variants: boolean
  readonly tags: boolean
  readonly keyFeatures: boolean
  readonly shipping_template: boolean
}
export const allPublishDetails: PublishDetails = { title: true, description: true, images: true, variants: true, tags: true, keyFeatures: true, shipping_template: true }

/** "The product publishing endpoint has a limit of 200 requests per 30 minutes" (§2.2, https://developers.printify.com/ "API Usage Guidelines"). */
export const defaultPublishLimit: RateLimitSettings = { limit: 200, windowMs: 30 * 60_000 }

/**
 * A locked product refuses changes until the channel answers. The docs say
 * the lock exists ("the product is locked", Publish) but show no refusal:
 * HTTP 400 with this message and code is an assumption (stricter than
 * accepting the change).
 */
export const lockedCode = 8_150
const lockedMessage = 'Product is locked while it is being published: publishing_succeeded or publishing_failed unlocks it.'

export interface PrintifyProductPatch {
  readonly title?: string | undefined
  readonly description?: string | undefined
  readonly tags?: readonly string[] | undefined
  readonly variants?: readonly { readonly id: number, readonly price?: number | undefined, readonly is_enabled?: boolean | undefined }[] | undefined
}

export class PrintifyProductStore {
  /** Shared with the order state, which orders from it. */
  readonly products: SimPrintifyProduct[]
  readonly publishLimiter: FixedWindowLimiter
  readonly #shopId: number
  readonly #now: () => number
  readonly #emit: PrintifyProductEmit
  readonly #locked = new Set<string>()
  /** Products published at least once: only those take a publishing answer. */
  readonly #published = new Set<string>()
  readonly #external = new Map<string, { id: string, handle: string }>()
  readonly #updatedAt = new Map<string, string>()

  constructor (options: { products: readonly SimPrintifyProduct[], shopId: number, now: () => number, emit: PrintifyProductEmit, publishLimit?: RateLimitSettings }) {
    this.products = [...options.products]
    this.#shopId = options.shopId
    this.#now = options.now
    this.#emit = options.emit
    this.publishLimiter = new FixedWindowLimiter(options.publishLimit ?? defaultPublishLimit, options.now)
  }

  get (id: string): SimPrintifyProduct {
    const product = this.products.find((p) => p.id === id)
    if (!product) throw new PrintifySimError(404, 404, 'Product not found.')
    return product
  }

  isLocked (id: string): boolean {
    return this.#locked.has(id)
  }

  /** Counted per account, like the global limit (§2.2). */
  takePublish (): RateDecision {
    return this.publishLimiter.take('account')
  }

  /** Adds a product or replaces the one with its id (the merchant's edit in Printify); a locked product refuses. */
  put (product: SimPrintifyProduct): SimPrintifyProduct {
    const index = this.products.findIndex((p) => p.id === product.id)
    if (index < 0) {
      this.products.push(product)
    } else {
      this.#refuseLocked(product.id)
      this.products[index] = product
    }
    this.#updatedAt.set(product.id, printifyTime(this.#now()))
    return product
  }

  /** PUT products/{id}.json: only the fields sent change; a variant's price and is_enabled. */
  update (id: string, patch: PrintifyProductPatch): SimPrintifyProduct {
    const product = this.get(id)
    for (const change of patch.variants ?? []) {
      if (!product.variants.some((v) => v.id === change.id)) throw new PrintifySimError(400, 8103, 'Validation failed.', JSON.stringify({ variants: [`Variant ${String(change.id)} is not in the product.`] }))
    }
    return this.put({
      ...product,
      ...(patch.title === undefined ? {} : { title: patch.title }),
      ...(patch.description === undefined ? {} : { description: patch.description }),
      ...(patch.tags === undefined ? {} : { tags: patch.tags }),
      variants: product.variants.map((variant) => {
        const change = patch.variants?.find((v) => v.id === variant.id)
        if (!change) return variant
        return { ...variant, ...(change.price === undefined ? {} : { price: change.price }), ...(change.is_enabled === undefined ? {} : { isEnabled: change.is_enabled }) }
      })
    })
  }

  /** Locks the product and sends product:publish:started with the fields to sync as `publish_details` and `action` "create". */
  publish (id: string, details: PublishDetails): void {
    this.get(id)
    this.#refuseLocked(id)
    this.#locked.add(id)
    this.#published.add(id)
    const { keyFeatures, ...rest } = details
    this.#emit('product:publish:started', id, { shop_id: this.#shopId, publish_details: { ...rest, key_features: keyFeatures }, action: 'create' })
  }

  /** Unlocks; `external` {id, handle} is shown on the product from now on. */
  succeeded (id: string, external: { id: string, handle: string }): void {
    this.#answerable(id)
    this.#locked.delete(id)
    this.#external.set(id, external)
  }

  failed (id: string): void {
    this.#answerable(id)
    this.#locked.delete(id)
  }

  /** The product left the store: it loses its `external`. */
  unpublish (id: string): void {
    this.get(id)
    this.#external.delete(id)
  }

  /** The merchant deletes the product: product:deleted (§2.5). A locked product refuses, as any change does. */
  delete (id: string): void {
    this.get(id)
    this.#refuseLocked(id)
    this.products.splice(this.products.findIndex((p) => p.id === id), 1)
    this.#external.delete(id)
    this.#emit('product:deleted', id, { shop_id: this.#shopId })
  }

  /** The product object as GET products/{id}.json answers it. */
  wire (product: SimPrintifyProduct): Record<string, unknown> {
    const external = this.#external.get(product.id)
    const options = product.options ?? []
    return {
      id: product.id, title: product.title, description: product.description ?? '', tags: product.tags ?? [],
      options: options.map((o) => ({ name: o.name, type: o.type, values: o.values })),
      variants: product.variants.map((v, i) => ({
        id: v.id, sku: v.sku, cost: v.cost, price: v.price, title: v.title, grams: v.grams ?? 150, is_enabled: v.isEnabled ?? true,
        is_default: i === 0, is_available: true, options: v.options ?? []
      })),
      images: (product.images ?? []).map((image) => ({ src: image.src, variant_ids: image.variantIds, position: image.position, is_default: image.isDefault })),
      created_at: '2024-01-01 00:00:00+00:00', updated_at: this.#updatedAt.get(product.id) ?? '2024-01-01 00:00:00+00:00',
      visible: true, is_locked: this.#locked.has(product.id), blueprint_id: product.blueprintId, user_id: 1, shop_id: this.#shopId,
      print_provider_id: product.printProviderId, print_areas: [], sales_channel_properties: [],
      ...(external ? { external } : {})
    }
  }

  #refuseLocked (id: string): void {
    if (this.#locked.has(id)) throw new PrintifySimError(400, lockedCode, lockedMessage)
  }

  /** An answer for a product never published has nothing to answer (stricter than accepting it; a repeated answer is accepted). */
  #answerable (id: string): void {
    this.get(id)
    if (!this.#published.has(id)) throw new PrintifySimError(400, 400, 'Product is not being published.')
  }
}
