// product.push, the domain side: one action on one product (or, for
// push_all, the fan-out of a supplier's catalogue into one job per product),
// with the failure ladder applied once: a 429 waits for its Retry-After, a
// transient failure retries, and the last try (or a permanent failure) of a
// push is recorded and told to the supplier, so a Printify product is never
// left locked waiting for an answer.
//
// Every request a job makes to the supplier takes a token of its shared
// budget (src/suppliers/budget.ts, use `push`): the push runs from what order
// submissions leave, waits in place for a token due soon, and is rescheduled
// at the budget's time when the wait would be long, keeping what it did (a
// product written to the store is only told on the next run; a listing goes
// on from the product where it stopped).
import type { PgBoss } from 'pg-boss'
import { errorMessage, isAppError } from '../lib/errors.ts'
import { failureRung } from '../lib/failure-ladder.ts'
import { sendJob } from '../queue/boss.ts'
import { queues, type Payload } from '../queue/queues.ts'
import { budgetRetryAt, pushGate, pushWaitMs, type Budget, type BudgetLimits } from '../suppliers/budget.ts'
import { withRequestGate } from '../suppliers/common/http.ts'
import { productFields, type ProductField } from '../suppliers/common/product.ts'
import { archiveProduct, withdrawProduct } from './lifecycle.ts'
import { failPush, productSource, pushProduct, type ProductDeps, type PushRequest } from './push.ts'

/** Fields the push does not own (a supplier may name more) are not ours to write, so they are dropped. */
export function ownedFields (fields: readonly string[] | undefined): ProductField[] | undefined {
  return fields?.filter((f): f is ProductField => (productFields as readonly string[]).includes(f))
}

export interface ProductJobDeps extends ProductDeps {
  readonly boss: PgBoss
  readonly budget: Budget
  /** The budgets' limits (each supplier's *_RATE_PER_MINUTE), for how long a request may wait for its token. */
  readonly budgetLimits: Readonly<Record<string, BudgetLimits>>
  /** Overrides that wait (tests: 0 reschedules at the first refusal). */
  readonly pushWaitMs?: number
}

export async function runProductJob (deps: ProductJobDeps, payload: Payload<'product.push'>, attempt: { readonly retryCount: number }): Promise<void> {
  // A withdraw names the store's product: its supplier is the one of our record (none: nothing to tell anyone).
  const supplier = payload.action === 'withdraw' ? await supplierOf(deps, payload.shopifyProductId) : payload.supplier
  const run = (): Promise<void> => runAction(deps, payload, attempt, supplier)
  if (supplier === undefined) return run()
  await withRequestGate(pushGate(deps.budget, supplier, deps.pushWaitMs ?? pushWaitMs(deps.budgetLimits[supplier])), run)
}

async function runAction (deps: ProductJobDeps, payload: Payload<'product.push'>, attempt: { readonly retryCount: number }, supplier: string | undefined): Promise<void> {
  switch (payload.action) {
    case 'push': {
      const request: PushRequest = { supplier: payload.supplier, productId: payload.productId, fields: ownedFields(payload.fields), trigger: payload.trigger }
      try {
        await pushProduct(deps, request)
      } catch (err) {
        if (await reschedule(deps, payload, supplier, err)) return
        const daily = dailyLimitReason(err)
        if (daily) {
          await failPush(deps, request, daily)
          return
        }
        const rung = failureRung(err, { retryCount: attempt.retryCount, retryLimit: queues['product.push'].options.retryLimit })
        if (rung.rung !== 'give_up') throw err
        await failPush(deps, request, rung.reason)
      }
      return
    }
    case 'push_all': {
      // One push job per product, the listing going on from `from` when it was cut short.
      let listed = payload.from ?? 0
      try {
        for await (const product of productSource(deps, payload.supplier).list(listed)) {
          await sendJob(deps.boss, 'product.push', { action: 'push', supplier: payload.supplier, productId: product.id, trigger: 'ops' })
          listed++
        }
      } catch (err) {
        if (!await reschedule(deps, { ...payload, from: listed }, supplier, err)) throw err
      }
      return
    }
    case 'archive':
      await archiveProduct(deps, payload.supplier, payload.productId)
      return
    case 'withdraw':
      try {
        await withdrawProduct(deps, payload.shopifyProductId)
      } catch (err) {
        if (!await reschedule(deps, payload, supplier, err)) throw err
      }
  }
}

/**
 * Out of budget (no token soon enough) or throttled (a 429): the job comes
 * back at that time, its tries not spent. A 429 from the supplier also empties
 * its shared budget until its Retry-After; one from the store (Shopify's
 * throttle) must not: the orders' requests to the supplier are not the
 * store's. False for any other failure, and for Shopify's daily variant
 * creation limit, which a minute's wait does not lift (see dailyLimitReason).
 */
async function reschedule (deps: ProductJobDeps, payload: Payload<'product.push'>, supplier: string | undefined, err: unknown): Promise<boolean> {
  const turn = budgetRetryAt(err)
  if (turn) {
    await sendJob(deps.boss, 'product.push', payload, { startAfter: turn })
    return true
  }
  if (dailyLimitReason(err)) return false
  const rung = failureRung(err, { retryCount: 0, retryLimit: queues['product.push'].options.retryLimit })
  if (rung.rung !== 'wait') return false
  if (supplier !== undefined && fromSupplier(deps, supplier, err)) await deps.budget.block(supplier, rung.until, errorMessage(err))
  await sendJob(deps.boss, 'product.push', payload, { startAfter: rung.until })
  return true
}

/** A supplier's own errors name it as their service (suppliers/common/http.ts errorForStatus); the store's do not. */
function fromSupplier (deps: ProductJobDeps, supplier: string, err: unknown): boolean {
  const service = isAppError(err) ? err.detail?.['service'] : undefined
  return service !== undefined && service === deps.registry.supplier(supplier)?.displayName
}

/**
 * Shopify's daily variant creation limit (1,000 new variants a day once a
 * store has 50,000): retrying each minute would keep a Printify product
 * locked for up to a day, so the push fails now with the reason (the
 * supplier is told, the product unlocked) and a person pushes it again later.
 */
function dailyLimitReason (err: unknown): string | undefined {
  if (!isAppError(err) || err.detail?.['limit'] !== 'daily_variant_creation') return undefined
  return `${err.message}: push the product again tomorrow (pod-bridge products push, or publish it again at the supplier)`
}

/** The supplier of a pushed product, by its Shopify id; undefined when it is not one of ours. */
async function supplierOf (deps: ProductDeps, shopifyProductId: string): Promise<string | undefined> {
  const row = await deps.db.selectFrom('products').select('supplier').where('shopify_product_id', '=', shopifyProductId).executeTakeFirst()
  return row?.supplier
}
