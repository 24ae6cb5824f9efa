// JSON from outside (Shopify's REST webhook bodies) carries 64-bit ids as JSON
// numbers, which JSON.parse would round above 2^53 (820982911946154508 →
// ...500). Integers that do not fit are kept as their exact source text.

type JsonReviverContext = { source?: string }

export function parseJsonKeepingBigInts (text: string): unknown {
  // A reviver costs about five times the parse itself (BENCHMARKS.md, intake), and today's Shopify
  // ids fit in 2^53: parse plainly, and again with the reviver only if some integer did not fit.
  const plain: unknown = JSON.parse(text)
  return hasUnsafeInteger(plain) ? JSON.parse(text, keepBigInts) : plain
}

function keepBigInts (this: unknown, _key: string, value: unknown, context?: JsonReviverContext): unknown {
  if (typeof value === 'number' && !Number.isSafeInteger(value) && context?.source && /^-?\d+$/.test(context.source)) {
    return context.source
  }
  return value
}

function hasUnsafeInteger (value: unknown): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && !Number.isSafeInteger(value)
  if (value === null || typeof value !== 'object') return false
  if (Array.isArray(value)) return value.some(hasUnsafeInteger)
  for (const key in value) if (hasUnsafeInteger((value as Record<string, unknown>)[key])) return true
  return false
}
