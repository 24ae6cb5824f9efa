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
}

export interface SimSyncProduct {
  readonly id: number
  readonly externalId: string
  readonly name: string
  readonly variants: readonly SimSyncVariant[]
}

export const defaultSyncProducts: readonly SimSyncProduct[] = [
  {
    id: 301,
    externalId: 'sp-unisex-tee',
    name: 'Unisex Staple T-Shirt',
    variants: [
      { id: 4001, externalId: 'sv-tee-white-s', variantId: 4011, productId: 71, name: 'Unisex Staple T-Shirt - White / S', sku: 'TEE-WHT-S', retailPrice: '25.00', price: '12.95' },
      { id: 4002, externalId: 'sv-tee-white-m', variantId: 4012, productId: 71, name: 'Unisex Staple T-Shirt - White / M', sku: 'TEE-WHT-M', retailPrice: '25.00', price: '12.95' }
    ]
  },
  {
    id: 302,
    externalId: 'sp-mug-11oz',
    name: 'White Glossy Mug',
    variants: [
      { id: 4003, externalId: 'sv-mug-11oz', variantId: 1320, productId: 19, name: 'White Glossy Mug - 11 oz', sku: null, retailPrice: '15.00', price: '7.95' }
    ]
  }
]

/** Price of a catalog variant ordered with files (variant_id + files); a flat sim price. */
export const catalogVariantPrice = '10.00'
