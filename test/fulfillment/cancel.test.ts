// Cancellation carried to the supplier simulators: each branch of
// "stop printing if it still can, and tell a person if it cannot".
import t from 'tap'
import { sql } from 'kysely'
import { loadConfig } from '../../src/config.ts'
import type { SubmissionState, SupplierName } from '../../src/db/schema.ts'
import { createBoss } from '../../src/queue/boss.ts'
import { createLogger } from '../../src/lib/logger.ts'
import { cancelOrder, type CancelDeps } from '../../src/orders/submission/cancel.ts'
import { submitSupplierOrder } from '../../src/orders/submission/submit.ts'
import { createBudget } from '../../src/suppliers/budget.ts'
import { PrintfulSupplier } from '../../src/suppliers/printful/supplier.ts'
import { PrintifySupplier } from '../../src/suppliers/printify/supplier.ts'
import { builtInRegistry } from '../../src/suppliers/registry.ts'
import type { SupplierOrderDraft } from '../../src/suppliers/common/supplier.ts'
import { startSupplierSimulators, type SupplierSimulators } from '../../src/sim/suppliers.ts'
import { printfulSimDefaults } from '../../src/sim/printful/index.ts'
import { printifySimDefaults } from '../../src/sim/printify/index.ts'
import { testDatabase, type TestDatabase } from '../helpers/database.ts'
import { seedSupplierOrder } from '../helpers/submission.ts'
import { timelineKinds } from '../helpers/fulfillment-factories.ts'

interface Tap { teardown (fn: () => unknown): void, passing (): boolean, comment (...m: unknown[]): void }

interface World { deps: CancelDeps, sims: SupplierSimulators, database: TestDatabase, printful: PrintfulSupplier, printify: PrintifySupplier }

async function setup (t: Tap): Promise<World> {
  const database = await testDatabase(t)
  const sims = await startSupplierSimulators()
  t.teardown(() => sims.close())
  // Orders are made and moved on directly here: past Printify's pending moment after creation at once.
  sims.printify.control.setPendingFor(0)
  const config = loadConfig({ DATABASE_URL: database.url })
  const boss = createBoss({ url: database.url, jobs: config.jobs, maintenance: false })
  // Dropping the test database at teardown ends its connections: not an error worth failing on.
  boss.on('error', () => {})
  await boss.start()
  t.teardown(() => boss.stop({ graceful: false, close: true }))
  const printful = new PrintfulSupplier({ apiUrl: sims.printful.url, token: printfulSimDefaults.token, storeId: String(printfulSimDefaults.storeId), timeoutMs: 1000 })
  const printify = new PrintifySupplier({ apiUrl: sims.printify.url, token: printifySimDefaults.token, shopId: String(printifySimDefaults.shopId), userAgent: 'pod-bridge-test', timeoutMs: 1000 })
  const budget = createBudget(database.db, { printful: { perMinute: 6000 }, printify: { perMinute: 6000 } })
  return { deps: { db: database.db, boss, budget, log: createLogger('silent'), suppliers: { printful, printify } }, sims, database, printful, printify }
}

function draft (supplier: SupplierName, externalId: string): SupplierOrderDraft {
  return {
    externalId,
    label: '#1001',
    recipient: { name: 'Jane Doe', address1: '19749 Dearborn St', city: 'Chatsworth', stateCode: 'CA', countryCode: 'US', zip: '91311' },
    items: supplier === 'printful'
      ? [{ lineRef: 'line-1', quantity: 1, retailPrice: '25.00', ref: { syncVariantId: '4001' } }]
      : [{ lineRef: 'line-1', quantity: 1, sku: 'PFY-TEE-WHT-S', ref: { productId: '5b05842f3921c9547531758d', variantId: '12100' } }],
    test: false
  }
}

/** A supplier order row in `state`; with `created`, the order exists at the supplier (confirmed or not). */
async function seed (world: World, supplier: SupplierName, externalId: string, state: SubmissionState, created?: { confirm: boolean }, orderId?: string): Promise<{ orderId: string, supplierOrderId: string, remoteId: string | null }> {
  const seeded = await seedSupplierOrder(world.database.db, { supplier, externalId, draft: draft(supplier, externalId), ...(orderId ? { orderId } : {}) })
  const remote = created ? await (supplier === 'printful' ? world.printful : world.printify).submit(draft(supplier, externalId), created) : undefined
  await world.database.db.updateTable('supplier_orders').set({ state, supplier_order_id: remote?.supplierOrderId ?? null }).where('id', '=', seeded.supplierOrderId).execute()
  return { ...seeded, remoteId: remote?.supplierOrderId ?? null }
}

async function row (world: World, id: string): Promise<{ state: string, reason: string | null }> {
  return world.database.db.selectFrom('supplier_orders').select(['state', 'reason']).where('id', '=', id).executeTakeFirstOrThrow()
}

t.test('when held and not-yet-submitted supplier orders are cancelled, then they are cancelled here and never sent afterwards', async (t) => {
  const world = await setup(t)
  const held = await seed(world, 'printify', 'pb-1001-y1', 'held')
  const pending = await seed(world, 'printful', 'pb-1001-f1', 'pending', undefined, held.orderId)
  const result = await cancelOrder(world.deps, held.orderId, { actor: 'shopify' })
  t.same(result.supplierOrders.map((s) => s.outcome), ['cancelled', 'cancelled'])
  t.match(await row(world, held.supplierOrderId), { state: 'cancelled', reason: 'cancelled in Shopify; never sent to printify' })
  const submit = { db: world.database.db, boss: world.deps.boss, suppliers: world.deps.suppliers, files: {}, registry: builtInRegistry, budget: world.deps.budget, config: loadConfig({ DATABASE_URL: world.database.url }), log: world.deps.log }
  t.equal(await submitSupplierOrder(submit, pending.supplierOrderId, 0), 'nothing_to_do', 'a submission job that runs later sends nothing')
  t.same(world.sims.printful.control.orders(), [])
  t.same(world.sims.printify.control.orders(), [])
  const order = await world.database.db.selectFrom('orders').select('state').where('id', '=', held.orderId).executeTakeFirstOrThrow()
  t.equal(order.state, 'cancelled')
  t.same(await timelineKinds(world.database.db, held.orderId), ['cancel.local', 'cancel.local', 'order.state'])
  t.same((await cancelOrder(world.deps, held.orderId, { actor: 'shopify' })).supplierOrders.map((s) => s.outcome), ['already_cancelled', 'already_cancelled'], 'running it again changes nothing')
})

for (const confirm of [false, true]) {
  t.test(`when a Printful order still ${confirm ? 'pending' : 'a draft'} is cancelled, then Printful cancels it and the read-back confirms it`, async (t) => {
    const world = await setup(t)
    const seeded = await seed(world, 'printful', 'pb-1002-f1', 'submitted', { confirm })
    t.equal(world.sims.printful.control.order(seeded.remoteId ?? '')?.status, confirm ? 'pending' : 'draft')
    const result = await cancelOrder(world.deps, seeded.orderId, { actor: 'shopify' })
    t.match(result.supplierOrders, [{ outcome: 'cancelled' }])
    t.equal(world.sims.printful.control.order(seeded.remoteId ?? '')?.status, 'canceled')
    t.match(await row(world, seeded.supplierOrderId), { state: 'cancelled' })
    t.same((await timelineKinds(world.database.db, seeded.orderId)).filter((k) => k !== 'order.state'), ['cancel.requested', 'cancel.confirmed'])
    t.equal((await timelineKinds(world.database.db, seeded.orderId)).at(-1), 'order.state', 'the order\'s state change is on the timeline')
  })
}

for (const status of ['on-hold', 'payment-not-received'] as const) {
  t.test(`when a Printify order ${status} is cancelled, then cancel.json cancels it and the read-back confirms it`, async (t) => {
    const world = await setup(t)
    const seeded = await seed(world, 'printify', 'pb-1003-y1', 'submitted', { confirm: false })
    if (status === 'payment-not-received') await world.sims.printify.control.advance(seeded.remoteId ?? '', { to: 'payment_not_received' })
    t.equal(world.sims.printify.control.order(seeded.remoteId ?? '')?.status, status)
    t.match((await cancelOrder(world.deps, seeded.orderId, { actor: 'ops' })).supplierOrders, [{ outcome: 'cancelled', reason: 'cancelled by ops' }])
    t.equal(world.sims.printify.control.order(seeded.remoteId ?? '')?.status, 'canceled')
  })
}

for (const supplier of ['printful', 'printify'] as const) {
  t.test(`when the ${supplier} order is already in production, then it needs attention saying so and the order does too`, async (t) => {
    const world = await setup(t)
    const seeded = await seed(world, supplier, `pb-1004-${supplier[4] ?? ''}1`, 'submitted', { confirm: true })
    const control = supplier === 'printful' ? world.sims.printful.control : world.sims.printify.control
    await control.advance(seeded.remoteId ?? '', { to: 'in_production' })
    const result = await cancelOrder(world.deps, seeded.orderId, { actor: 'shopify' })
    t.match(result.supplierOrders, [{ outcome: 'needs_attention', reason: `cancelled in Shopify, already in production at ${supplier}` }])
    t.match(await row(world, seeded.supplierOrderId), { state: 'needs_attention', reason: `cancelled in Shopify, already in production at ${supplier}` })
    const order = await world.database.db.selectFrom('orders').select(['state', 'state_reason']).where('id', '=', seeded.orderId).executeTakeFirstOrThrow()
    t.match(order, { state: 'needs_attention', state_reason: new RegExp(`^${supplier} order \\S+: cancelled in Shopify, already in production at ${supplier}$`) })
    const events = await world.database.db.selectFrom('order_events').select(['kind', 'error']).where('order_id', '=', seeded.orderId).orderBy('id').execute()
    t.match(events.filter((e) => e.kind !== 'order.state'), [{ kind: 'cancel.requested' }, { kind: 'cancel.too_late', error: /already in production/ }])
    t.equal(events.at(-1)?.kind, 'order.state')
  })
}

t.test('when the supplier fails while cancelling, then the failure is shown and retried, and the retry cancels it', async (t) => {
  const world = await setup(t)
  const seeded = await seed(world, 'printful', 'pb-1005-f1', 'submitted', { confirm: true })
  world.sims.printful.control.injectFault({ kind: 'error_500', method: 'DELETE' })
  await t.rejects(cancelOrder(world.deps, seeded.orderId, { actor: 'shopify' }), { code: 'upstream_transient' })
  t.match(await row(world, seeded.supplierOrderId), { state: 'cancel_requested' })
  const retry = await world.database.db.selectFrom('order_events').select(['kind', 'error']).where('kind', '=', 'cancel.retry').executeTakeFirstOrThrow()
  t.ok(retry.error, 'the supplier\'s failure is in the timeline')
  t.match((await cancelOrder(world.deps, seeded.orderId, { actor: 'shopify' }, 1)).supplierOrders, [{ outcome: 'cancelled' }])
})

t.test('when the supplier is not configured, then the cancellation needs attention instead of vanishing', async (t) => {
  const world = await setup(t)
  const seeded = await seed(world, 'printify', 'pb-1006-y1', 'submitted', { confirm: false })
  const result = await cancelOrder({ ...world.deps, suppliers: { printful: world.printful } }, seeded.orderId, { actor: 'shopify' })
  t.match(result.supplierOrders, [{ outcome: 'needs_attention', reason: /cancelling at printify failed: printify is not configured/ }])
})

t.test('when a submission died before recording the supplier\'s id, then the order is looked up by external id and cancelled; one never created is cancelled here', async (t) => {
  const world = await setup(t)
  const created = await seed(world, 'printful', 'pb-1007-f1', 'submitting', { confirm: true })
  await world.database.db.updateTable('supplier_orders').set({ supplier_order_id: null }).where('id', '=', created.supplierOrderId).execute()
  const never = await seed(world, 'printify', 'pb-1007-y1', 'submitting', undefined, created.orderId)
  const result = await cancelOrder(world.deps, created.orderId, { actor: 'shopify' })
  t.match(result.supplierOrders, [{ id: created.supplierOrderId, outcome: 'cancelled' }, { id: never.supplierOrderId, outcome: 'cancelled', reason: /never created at printify/ }])
  t.equal(world.sims.printful.control.order(created.remoteId ?? '')?.status, 'canceled')
  const recorded = await world.database.db.selectFrom('supplier_orders').select('supplier_order_id').where('id', '=', created.supplierOrderId).executeTakeFirstOrThrow()
  t.equal(recorded.supplier_order_id, created.remoteId)
})

t.test('when the supplier\'s request budget is spent, then the supplier order waits for an order.cancel job at the refill', async (t) => {
  const world = await setup(t)
  const seeded = await seed(world, 'printful', 'pb-1008-f1', 'submitted', { confirm: true })
  // One request a minute: a bucket of one token, already taken by another job.
  const budget = createBudget(world.database.db, { printful: { perMinute: 1 } })
  t.match(await budget.take('printful', 'submit'), { ok: true })
  const result = await cancelOrder({ ...world.deps, budget }, seeded.orderId, { actor: 'shopify' })
  t.match(result.supplierOrders, [{ id: seeded.supplierOrderId, outcome: 'rescheduled' }])
  t.match(await row(world, seeded.supplierOrderId), { state: 'cancel_requested' })
  t.equal(world.sims.printful.control.order(seeded.remoteId ?? '')?.status, 'pending', 'nothing was sent')
  const jobs = await sql<{ singleton_key: string, start_after: Date }>`select singleton_key, start_after from pgboss.job where name = 'order.cancel'`.execute(world.database.db)
  t.match(jobs.rows, [{ singleton_key: seeded.orderId }])
  t.ok((jobs.rows[0]?.start_after.getTime() ?? 0) > Date.now(), 'at the refill, not now')
})
