// In-test fakes of the two ends of the product push, used until (and beside)
// the simulators: a store that keeps products by customId and counts its
// productSet calls, and a supplier product source that records what it was
// told. They follow the contracts of src/shopify/products/port.ts and
// src/suppliers/common/product.ts, including productSet's "a list replaces
// what is there; a field left out is kept".
import type { StoreProduct, StoreProductInput, StoreProducts } from '../../src/shopify/products/port.ts'
import type { ProductSource, PushOutcome, SupplierProduct } from '../../src/suppliers/common/product.ts'

interface Kept {
  id: string
  customId: string
  handle: string
  status: 'ACTIVE' | 'DRAFT' | 'ARCHIVED'
  title: string
  descriptionHtml: string
  tags: string[]
  published: boolean
  variants: { id: string, sku: string | null, price: string, optionValues: { optionName: string, name: string }[] }[]
  images: { id: string, url: string }[]
}

export class FakeStore implements StoreProducts {
  readonly products = new Map<string, Kept>()
  setCalls = 0
  private next = 1000
  failNextSet: Error | undefined

  async ensureIdentifier (): Promise<void> {}

  async set (input: StoreProductInput): Promise<StoreProduct> {
    this.setCalls++
    if (this.failNextSet) { const err = this.failNextSet; this.failNextSet = undefined; throw err }
    let p = this.products.get(input.customId)
    if (!p) {
      p = { id: `gid://shopify/Product/${this.next++}`, customId: input.customId, handle: (input.title ?? 'product').toLowerCase().replaceAll(/[^a-z0-9]+/g, '-'), status: input.status ?? 'DRAFT', title: '', descriptionHtml: '', tags: [], published: false, variants: [], images: [] }
      this.products.set(input.customId, p)
    }
    if (input.title !== undefined) p.title = input.title
    if (input.descriptionHtml !== undefined) p.descriptionHtml = input.descriptionHtml
    if (input.tags) p.tags = [...input.tags]
    if (input.images) p.images = input.images.map((i) => ({ id: i.id ?? `gid://shopify/MediaImage/${this.next++}`, url: i.url }))
    if (input.variants) {
      p.variants = input.variants.map((v) => ({ id: v.id ?? `gid://shopify/ProductVariant/${this.next++}`, sku: v.sku ?? null, price: v.price, optionValues: [...v.optionValues] }))
    }
    return this.view(p)
  }

  async find (customId: string): Promise<StoreProduct | undefined> {
    const p = this.products.get(customId)
    return p && this.view(p)
  }

  async publishToOnlineStore (productId: string): Promise<void> {
    const p = [...this.products.values()].find((x) => x.id === productId)
    if (p) p.published = true
  }

  async archive (productId: string): Promise<void> {
    const p = [...this.products.values()].find((x) => x.id === productId)
    if (p) p.status = 'ARCHIVED'
  }

  retagCalls = 0

  async retag (productId: string, change: { readonly add: readonly string[], readonly remove: readonly string[] }): Promise<void> {
    this.retagCalls++
    const p = [...this.products.values()].find((x) => x.id === productId)
    if (p) p.tags = [...p.tags.filter((tag) => !change.remove.includes(tag)), ...change.add.filter((tag) => !p.tags.includes(tag))]
  }

  async storefrontOrigin (): Promise<string> { return 'https://fake-store.myshopify.com' }

  /** A merchant's edit in the admin, outside the push. */
  edit (customId: string, change: Partial<Pick<Kept, 'title' | 'tags' | 'descriptionHtml'>>): void {
    Object.assign(this.products.get(customId)!, change)
  }

  private view (p: Kept): StoreProduct {
    return { id: p.id, handle: p.handle, status: p.status, title: p.title, onlineStoreUrl: p.published ? `https://fake-store.myshopify.com/products/${p.handle}` : null, variants: p.variants.map((v) => ({ ...v })), images: p.images.map((i) => ({ ...i })) }
  }
}

export class FakeSource implements ProductSource {
  readonly products = new Map<string, SupplierProduct>()
  readonly told: { productId: string, outcome: PushOutcome }[] = []
  readonly withdrawnIds: string[] = []
  readonly trigger: 'publish' | 'on_demand'

  constructor (trigger: 'publish' | 'on_demand') { this.trigger = trigger }

  async * list (from = 0): AsyncIterable<SupplierProduct> { yield * [...this.products.values()].slice(from) }
  async get (productId: string): Promise<SupplierProduct | undefined> { return this.products.get(productId) }
  failNextAcknowledge: Error | undefined

  async acknowledge (product: SupplierProduct, outcome: PushOutcome): Promise<void> {
    if (this.failNextAcknowledge) { const err = this.failNextAcknowledge; this.failNextAcknowledge = undefined; throw err }
    this.told.push({ productId: product.id, outcome })
  }
  async withdrawn (productId: string): Promise<void> { this.withdrawnIds.push(productId) }
}
