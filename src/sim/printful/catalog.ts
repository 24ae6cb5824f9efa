// The sync products a simulated Printful store holds (suppliers.md §1.9:
// Manual/API stores use /store/products with external ids chosen by you).
export interface SimSyncVariant {
  readonly id: number
  readonly externalId: string
  readonly variantId: number
  readonly productId: number
  readonly name: string
  readonly sku: string | null
  readonly retailPrice: string
  /** Printful's own price for the item (drives `costs`). */
  readonly price: string
  /** The catalog variant's size and color, as SyncVariant shows them (printful-v1-openapi.json: "of the associated Catalog Variant"). */
  readonly size?: string | null
  readonly color?: string | null
  /** The mockup: a file of type "preview" (v1 "Specifying products": files [{type: "preview", url}]). */
  readonly previewUrl?: string
}

export interface SimSyncProduct {
  readonly id: number
  readonly externalId: string
  readonly name: string
  readonly thumbnailUrl?: string
  readonly variants: readonly SimSyncVariant[]
}

const files = (name: string) => `https://files.cdn.printful.com/files/sim/${name}_preview.png`

export const defaultSyncProducts: readonly SimSyncProduct[] = [
  {
    id: 301,
    externalId: 'sp-unisex-tee',
    name: 'Unisex Staple T-Shirt',
    thumbnailUrl: files('tee-white'),
    variants: [
      { id: 4001, externalId: 'sv-tee-white-s', variantId: 4011, productId: 71, name: 'Unisex Staple T-Shirt - White / S', sku: 'TEE-WHT-S', retailPrice: '25.00', price: '12.95', size: 'S', color: 'White', previewUrl: files('tee-white') },
      { id: 4002, externalId: 'sv-tee-white-m', variantId: 4012, productId: 71, name: 'Unisex Staple T-Shirt - White / M', sku: 'TEE-WHT-M', retailPrice: '27.50', price: '12.95', size: 'M', color: 'White', previewUrl: files('tee-white') }
    ]
  },
  {
    id: 302,
    externalId: 'sp-mug-11oz',
    name: 'White Glossy Mug',
    thumbnailUrl: files('mug'),
    variants: [
      { id: 4003, externalId: 'sv-mug-11oz', variantId: 1320, productId: 19, name: 'White Glossy Mug - 11 oz', sku: null, retailPrice: '15.00', price: '7.95', size: '11 oz', color: 'White', previewUrl: files('mug-11oz') }
    ]
  }
]

/** Price of a catalog variant ordered with files (variant_id + files); a flat sim price. */
export const catalogVariantPrice = '10.00'
