// Prices of pushed variants (issue 18). The supplier's retail price wins when
// the merchant set one there; otherwise PRICE_MARKUP turns the cost into a
// price. Amounts are minor units (cents) as integers, never floats, so
// rounding happens once, where it is written down:
//
//   PRICE_MARKUP=cost*2.2   → cost × 2.2, rounded UP to the next whole unit
//                              less one cent (x.99): 12.00 → 26.40 → 26.99
//   PRICE_MARKUP=cost*2.2/cents → cost × 2.2, rounded up to the cent: 26.40
//
// Rounding is always up, so a marked-up price is never below cost × factor.
// Currencies are never converted: the push has no exchange rate it could
// defend, so a supplier price in another currency than the store's is refused
// with a reason, and the merchant sets the supplier's currency or the store's.
import type { Money, SupplierProductVariant } from '../suppliers/common/product.ts'
import { applyMarkup, type PriceRule } from '../lib/price-markup.ts'

export type { PriceRule } from '../lib/price-markup.ts'

export type VariantPrice =
  | { readonly ok: true, readonly price: string, readonly compareAtPrice?: string }
  | { readonly ok: false, readonly reason: string }

/** "2640" → "26.40": Shopify's Decimal input. Currencies with other minor units are refused before this (`centsCurrency`). */
export function decimal (amount: number): string {
  return (amount / 100).toFixed(2)
}

/** Whether the currency has two decimals (cents), as every amount here is counted; JPY (none) or KWD (three) do not. */
function centsCurrency (currency: string): boolean {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits === 2
  } catch {
    return false
  }
}

/**
 * The store price of one variant, in the store's currency: the supplier's retail
 * price, else the markup on cost; refused when the currency differs, when
 * neither is known, or when the price would be below cost.
 */
export function variantPrice (variant: SupplierProductVariant, storeCurrency: string, rule: PriceRule | undefined): VariantPrice {
  const name = `variant ${variant.id} (${variant.title})`
  if (!centsCurrency(storeCurrency)) return { ok: false, reason: `the store sells in ${storeCurrency}, which does not count in cents: pod-bridge pushes prices only in two-decimal currencies` }
  const foreign = [variant.price, variant.compareAtPrice, variant.cost].find((m): m is Money => m !== undefined && m.currency.toUpperCase() !== storeCurrency.toUpperCase())
  if (foreign) return { ok: false, reason: `${name} is priced in ${foreign.currency} and the store sells in ${storeCurrency}: pod-bridge does not convert currencies (no rate it could stand behind); set the supplier's currency to ${storeCurrency}` }
  let amount: number
  if (variant.price) amount = variant.price.amount
  else if (variant.cost && rule) amount = applyMarkup(variant.cost.amount, rule)
  else if (variant.cost) return { ok: false, reason: `${name} has no retail price at the supplier and PRICE_MARKUP is not set` }
  else return { ok: false, reason: `${name} has neither a retail price nor a cost at the supplier` }
  if (variant.cost && amount < variant.cost.amount) {
    return { ok: false, reason: `${name} would sell at ${decimal(amount)} ${storeCurrency}, below its cost of ${decimal(variant.cost.amount)}: raise the retail price at the supplier` }
  }
  const compareAt = variant.compareAtPrice && variant.compareAtPrice.amount > amount ? decimal(variant.compareAtPrice.amount) : undefined
  return { ok: true, price: decimal(amount), ...(compareAt ? { compareAtPrice: compareAt } : {}) }
}
