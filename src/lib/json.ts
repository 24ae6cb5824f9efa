// JSON from outside (Shopify's REST webhook bodies) carries 64-bit ids as JSON
// numbers, which JSON.parse would round above 2^53 (820982911946154508 →
// ...500). Integers that do not fit are kept as their exact source text.

type JsonReviverContext = { source?: string }

export function parseJsonKeepingBigInts (text: string): unknown {
  return JSON.parse(text, function (this: unknown, _key: string, value: unknown, context?: JsonReviverContext) {
    if (typeof value === 'number' && !Number.isSafeInteger(value) && context?.source && /^-?\d+$/.test(context.source)) {
      return context.source
    }
    return value
  } as (this: unknown, key: string, value: unknown) => unknown)
}
