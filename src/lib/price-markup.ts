// PRICE_MARKUP (issue 18): the rule that turns a supplier's cost into a store
// price for a pushed variant without a retail price. Parsed once by config.ts;
// applied by the product push (src/products/price.ts), in minor units (cents).
// Rounding is always up, so a marked-up price is never below cost × factor:
//
//   cost*2.2         → round up to the next whole unit less one cent (x.99): 12.00 → 26.40 → 26.99
//   cost*2.2/cents   → round up to the cent: 12.00 → 26.40
import { z } from 'zod'

export interface PriceRule {
  /** The multiplier applied to cost, at least 1. */
  readonly factor: number
  readonly rounding: 'x.99' | 'cents'
  /** As written, for messages. */
  readonly text: string
}

const RULE = /^cost\s*\*\s*(\d+(?:\.\d+)?)(?:\s*\/\s*(x\.99|cents))?$/

/** PRICE_MARKUP as config.ts parses it. */
export const priceMarkup = z.string().trim().transform((text, ctx): PriceRule => {
  const match = RULE.exec(text)
  const factor = match?.[1] === undefined ? Number.NaN : Number(match[1])
  if (!match || !(factor >= 1 && factor <= 100)) {
    ctx.addIssue({ code: 'custom', message: 'must be cost*<factor> with a factor from 1 to 100, optionally /cents (round up to the cent) or /x.99 (the default: round up to .99), e.g. cost*2.2' })
    return z.NEVER
  }
  return { factor, rounding: match[2] === 'cents' ? 'cents' : 'x.99', text }
})

export function applyMarkup (cost: number, rule: PriceRule): number {
  // Scaled by 1000 first so 1.1 × 1000 cents is 1100, not 1100.0000000000002 rounded up to 1101.
  const exact = Math.ceil(Math.round(cost * rule.factor * 1000) / 1000)
  if (rule.rounding === 'cents') return exact
  return Math.ceil((exact + 1) / 100) * 100 - 1
}

