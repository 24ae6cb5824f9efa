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
 * the lock exists ("the product is locked", Publish; publishing_succeeded /
 * publishing_failed "removes the product from the locked status", as the
 * docs' text is copied in https://github.com/spencerlepine/printify-sdk-js
 * src/v1/products/setPublishFailed.ts) but show no refusal. The answer to an
 * update of a locked product was looked for (docs, issues, public code): not
 * found; stricter reading, refused, HTTP 400 with this message and code
 * (8150 is the simulator's own).
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

  /**
   * Locks the product and sends product:publish:started. Its data is that of a real delivery logged in a
   * public repository's webhook handler (2023-02-26, found with the `find_string` tool on
   * "out_of_stock_publishing"): {shop_id, publish_details: {title, variants, description, tags, images,
   * key_features, shipping_template, shipping_methods: [1]}, action: "create", out_of_stock_publishing: 0,
   * external_sku_mapping: []}. What shipping_methods and the last two mean is not documented; their values
   * are the logged ones.
   */
  publish (id: string, details: PublishDetails): void {
    this.get(id)
    this.#refuseLocked(id)
    this.#locked.add(id)
    this.#published.add(id)
    const publishDetails = {
      title: details.title, variants: details.variants, description: details.description, tags: details.tags, images: details.images,
      key_features: details.keyFeatures, shipping_template: details.shipping_template, shipping_methods: [1]
    }
    this.#emit('product:publish:started', id, { shop_id: this.#shopId, publish_details: publishDetails, action: 'create', out_of_stock_publishing: 0, external_sku_mapping: [] })
  }

  /**
   * publishing_succeeded.json {external: {id, handle}} answers {} and unlocks; `external` is shown on the
   * product from now on. publishing_failed.json {reason} answers {} and unlocks. Bodies and answers as the
   * docs' examples are copied in https://github.com/spencerlepine/printify-sdk-js (src/v1/products/
   * setPublishSucceeded.ts: external {id: "5941187eb8e7e37b3f0e62e5", handle: "https://example.com/path/to/product"};
   * setPublishFailed.ts: {reason: "Request timed out"}; "Expected response: {}").
   */
  succeeded (id: string, external: { id: string, handle: string }): void {
    this.#answerable(id)
    this.#locked.delete(id)
    this.#external.set(id, external)
  }

  failed (id: string): void {
    this.#answerable(id)
    this.#locked.delete(id)
  }

  /**
   * unpublish.json "Notify that a product has been unpublished" (answers {}): the product loses its
   * `external`. What it answers for a product never published was looked for and not found; it is
   * accepted (nothing to undo), the one reading that cannot leave a product locked.
   */
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

  /**
   * The product object as GET products/{id}.json answers it: the fields of the docs' "Product Update
   * Response Example" (variants[] {id, sku, cost, price, title, grams, is_enabled, is_default, is_available,
   * options}, images[] {src, variant_ids, position, is_default}, is_locked; copied in
   * https://context7.com/websites/developers_printify/llms.txt) and `external` {id, handle} once published:
   * an object, as independent public integrations' fixtures read it (printify-sdk-js types it as a list: the
   * one dissent found). A variant is available unless its seed says otherwise (`isAvailable`).
   */
  wire (product: SimPrintifyProduct): Record<string, unknown> {
    const external = this.#external.get(product.id)
    const options = product.options ?? []
    return {
      id: product.id, title: product.title, description: product.description ?? '', tags: product.tags ?? [],
      options: options.map((o) => ({ name: o.name, type: o.type, values: o.values })),
      variants: product.variants.map((v, i) => ({
        id: v.id, sku: v.sku, cost: v.cost, price: v.price, title: v.title, grams: v.grams ?? 150, is_enabled: v.isEnabled ?? true,
        is_default: i === 0, is_available: v.isAvailable ?? true, options: v.options ?? []
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
