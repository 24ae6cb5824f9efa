// product.push, the domain side: one action on one product (or, for
// push_all, the fan-out of a supplier's catalogue into one job per product),
// with the failure ladder applied once: a 429 waits for its Retry-After, a
// transient failure retries, and the last try (or a permanent failure) of a
// push is recorded and told to the supplier, so a Printify product is never
// left locked waiting for an answer.
import type { PgBoss } from 'pg-boss'
import { failureRung } from '../lib/failure-ladder.ts'
import { sendJob } from '../queue/boss.ts'
import { queues, type Payload } from '../queue/queues.ts'
import { productFields, type ProductField } from '../suppliers/common/product.ts'
import { archiveProduct, withdrawProduct } from './lifecycle.ts'
import { failPush, productSource, pushProduct, type ProductDeps, type PushRequest } from './push.ts'

/** Fields the push does not own (a supplier may name more) are not ours to write, so they are dropped. */
export function ownedFields (fields: readonly string[] | undefined): ProductField[] | undefined {
  return fields?.filter((f): f is ProductField => (productFields as readonly string[]).includes(f))
}

export async function runProductJob (deps: ProductDeps & { readonly boss: PgBoss }, payload: Payload<'product.push'>, attempt: { readonly retryCount: number }): Promise<void> {
  switch (payload.action) {
    case 'push': {
      const request: PushRequest = { supplier: payload.supplier, productId: payload.productId, fields: ownedFields(payload.fields), trigger: payload.trigger }
      try {
        await pushProduct(deps, request)
      } catch (err) {
        const rung = failureRung(err, { retryCount: attempt.retryCount, retryLimit: queues['product.push'].options.retryLimit })
        if (rung.rung === 'wait') {
          await sendJob(deps.boss, 'product.push', payload, { startAfter: rung.until })
          return
        }
        if (rung.rung === 'retry') throw err
        await failPush(deps, request, rung.reason)
      }
      return
    }
    case 'push_all': {
      for await (const product of productSource(deps, payload.supplier).list()) {
        await sendJob(deps.boss, 'product.push', { action: 'push', supplier: payload.supplier, productId: product.id, trigger: 'ops' })
      }
      return
    }
    case 'archive':
      await archiveProduct(deps, payload.supplier, payload.productId)
      return
    case 'withdraw':
      await withdrawProduct(deps, payload.shopifyProductId)
  }
}
