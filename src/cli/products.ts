// `pod-bridge products [--supplier S] [--outcome O]`: the products the push has
// seen, most recently pushed first; `pod-bridge products push [--supplier S]
// [--product ID] [--dry-run]`: queue a push (or, dry, say what it would do).
import { z } from 'zod'
import { getJson, postJson, since, table, type OpsClientOptions } from './ops-client.ts'

const listAnswer = z.object({
  products: z.array(z.object({ supplier: z.string(), supplierProductId: z.string(), title: z.string().nullable(), shopifyProductId: z.string().nullable(), variants: z.number(), lastPushAt: z.string().nullable(), outcome: z.string().nullable(), reason: z.string().nullable() })),
  nextCursor: z.string().nullable()
})

const pushAnswer = z.union([
  z.object({ dryRun: z.literal(true), plans: z.array(z.object({ supplier: z.string(), productId: z.string(), plan: z.string(), changed: z.array(z.string()).optional(), reason: z.string().optional() })) }),
  z.object({ queued: z.array(z.object({ supplier: z.string(), productId: z.string().optional() })) })
])

// A dry run of a whole catalogue reads every product before it answers.
const DRY_RUN_TIMEOUT_MS = 10 * 60_000

export async function productsCommand (client: OpsClientOptions, options: { supplier: string | undefined, outcome: string | undefined, limit: string | undefined }, print: (line: string) => void): Promise<number> {
  const answer = listAnswer.parse(await getJson(client, 'v1/products', { supplier: options.supplier, outcome: options.outcome, limit: options.limit }))
  if (answer.products.length === 0) {
    print('no products pushed yet')
    return 0
  }
  const rows = answer.products.map((p) => [
    p.supplier, p.supplierProductId, (p.title ?? '').slice(0, 40), p.shopifyProductId?.split('/').pop() ?? '-', String(p.variants),
    since(p.lastPushAt), `${p.outcome ?? '-'}${p.reason ? `: ${p.reason}` : ''}`
  ])
  for (const line of table(['SUPPLIER', 'PRODUCT', 'TITLE', 'SHOPIFY', 'VARIANTS', 'LAST PUSH', 'OUTCOME'], rows)) print(line)
  if (answer.nextCursor) print(`more: GET /v1/products?cursor=${answer.nextCursor}`)
  return 0
}

export async function pushCommand (client: OpsClientOptions, options: { supplier: string | undefined, product: string | undefined, dryRun: boolean }, print: (line: string) => void): Promise<number> {
  const body = { ...(options.supplier ? { supplier: options.supplier } : {}), ...(options.product ? { productId: options.product } : {}), dryRun: options.dryRun }
  const answer = pushAnswer.parse(await postJson(client, 'v1/products/push', body, options.dryRun ? DRY_RUN_TIMEOUT_MS : undefined))
  if ('queued' in answer) {
    for (const q of answer.queued) print(`queued: ${q.supplier} ${q.productId ? `product ${q.productId}` : 'every product'} (see pod-bridge products)`)
    return 0
  }
  const rows = answer.plans.map((p) => [p.supplier, p.productId, p.plan, p.changed?.join(', ') ?? '', p.reason ?? ''])
  for (const line of table(['SUPPLIER', 'PRODUCT', 'WOULD', 'FIELDS', 'REASON'], rows)) print(line)
  return answer.plans.some((p) => p.plan === 'refused') ? 1 : 0
}
