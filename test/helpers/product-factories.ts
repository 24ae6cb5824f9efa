// A supplier product as the push reads it (src/suppliers/common/product.ts), in a
// Printify-like shape: two sizes × two colours, one colour disabled per size.
import type { SupplierProduct, SupplierProductVariant } from '../../src/suppliers/common/product.ts'

export function variant (id: string, size: string, color: string, overrides: Partial<SupplierProductVariant> = {}): SupplierProductVariant {
  return {
    id,
    title: `${size} / ${color}`,
    optionValues: [size, color],
    sku: `TEE-${size}-${color}`.toUpperCase(),
    price: { amount: 2400, currency: 'USD' },
    cost: { amount: 1150, currency: 'USD' },
    weightGrams: 180,
    imageUrl: `https://images.example/${color.toLowerCase()}.png`,
    enabled: true,
    ref: { productId: 'p-1', variantId: id },
    ...overrides
  }
}

export function supplierProduct (overrides: Partial<SupplierProduct> = {}): SupplierProduct {
  return {
    supplier: 'printify',
    id: 'p-1',
    title: 'Mountain tee',
    descriptionHtml: '<p>Soft cotton.</p>',
    tags: ['tee', 'mountain'],
    vendor: 'Printify',
    productType: 'T-Shirt',
    options: [{ name: 'Size', values: ['S', 'M'] }, { name: 'Color', values: ['Black', 'White'] }],
    variants: [variant('101', 'S', 'Black'), variant('102', 'S', 'White'), variant('103', 'M', 'Black'), variant('104', 'M', 'White', { enabled: false })],
    images: [
      { url: 'https://images.example/white.png', variantIds: ['102'], isDefault: false },
      { url: 'https://images.example/black.png', variantIds: ['101', '103'], isDefault: true }
    ],
    ...overrides
  }
}
