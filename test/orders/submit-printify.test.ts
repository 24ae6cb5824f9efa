// The submit job against Printify's simulator: a new order's pending moment
// (8502) is "not yet", bounded by NOT_YET_BOUND_MS; and every request to a
// supplier takes its own token from the shared budget.
import t from 'tap'
import { sql } from 'kysely'
import { loadConfig } from '../../src/config.ts'
import { createBoss } from '../../src/queue/boss.ts'
import { createLogger } from '../../src/lib/logger.ts'
import { NOT_YET_BOUND_MS, submitSupplierOrder, type SubmitDeps } from '../../src/orders/submission/submit.ts'
import { startPrintifySimulator, printifySimDefaults, type PrintifySimOptions } from '../../src/sim/printify/index.ts'
import { createBudget } from '../../src/suppliers/budget.ts'
import { PrintifySupplier } from '../../src/suppliers/printify/supplier.ts'
import { builtInRegistry } from '../../src/suppliers/registry.ts'
import type { SupplierOrderDraft } from '../../src/suppliers/common/supplier.ts'
import { testDatabase } from '../helpers/database.ts'
import { seedSupplierOrder } from '../helpers/submission.ts'

interface Tap { teardown (fn: () => unknown): void, passing (): boolean, comment (...m: unknown[]): void }

async function setup (t: Tap, sim: PrintifySimOptions, perMinute = 6000) {
  const database = await testDatabase(t)
  const printify = await startPrintifySimulator(sim)
  t.teardown(() => printify.close())
  const config = loadConfig({ DATABASE_URL: database.url })
  const boss = createBoss({ url: database.url, jobs: config.jobs, maintenance: false })
  boss.on('error', () => {})
  await boss.start()
  t.teardown(() => boss.stop({ graceful: false, close: true }))
  const deps: SubmitDeps = {
    db: database.db,
    boss,
    config,
    log: createLogger('silent'),
    budget: createBudget(database.db, { printify: { perMinute } }),
    suppliers: { printify: new PrintifySupplier({ apiUrl: printify.url, token: printifySimDefaults.token, shopId: String(printifySimDefaults.shopId), userAgent: 'pod-bridge-test', timeoutMs: 1000 }) },
    files: {},
    registry: builtInRegistry
  }
  return { deps, printify, db: database.db }
}

const draft = (externalId: string): SupplierOrderDraft => ({
  externalId,
  label: '#1001',
  recipient: { name: 'Jane Doe', address1: '19749 Dearborn St', city: 'Chatsworth', stateCode: 'CA', countryCode: 'US', zip: '91311' },
  items: [{ lineRef: 'line-1', quantity: 1, ref: { productId: '5b05842f3921c9547531758d', variantId: '12100' } }],
  test: false
})

const queued = (db: SubmitDeps['db'], supplierOrderId: string) => sql<{ start_after: Date }>`select start_after from pgboss.job where name = 'supplier.submit' and data->>'supplierOrderId' = ${supplierOrderId} and state = 'created'`.execute(db)

t.test('when Printify keeps the new order pending past the 30-minute bound, then it needs attention with Printify\'s message, and is never created again', async (t) => {
  const { deps, printify, db } = await setup(t, { pendingForMs: 3 * 3_600_000 })
  const { supplierOrderId } = await seedSupplierOrder(db, { supplier: 'printify', externalId: 'pb-8001-y1', draft: draft('pb-8001-y1') })

  t.equal(await submitSupplierOrder(deps, supplierOrderId, 0), 'rescheduled', 'the 8502 is "not yet"')
  const [created] = printify.control.orders()
  t.equal(created?.status, 'pending')
  t.match(await db.selectFrom('supplier_orders').select(['state', 'supplier_order_id']).where('id', '=', supplierOrderId).executeTakeFirstOrThrow(), { state: 'submitting', supplier_order_id: created?.id })
  const [first] = (await queued(db, supplierOrderId)).rows
  const wait = (first?.start_after.getTime() ?? 0) - Date.now()
  t.ok(wait > 0 && wait <= 2_000, `asked again in about 2 s (${String(wait)} ms)`)

  t.equal(await submitSupplierOrder(deps, supplierOrderId, 0), 'rescheduled', 'still within the bound')
  const events = await db.selectFrom('order_events').select(['detail']).where('supplier_order_id', '=', supplierOrderId).where('kind', '=', 'submission.not_yet').orderBy('at').execute()
  t.match(events.map((e) => e.detail), [/asking again in 2s$/, /asking again in 4s$/], 'backing off')

  // The first "not yet" was 31 minutes ago.
  await db.updateTable('order_events').set({ at: sql`at - make_interval(mins => ${NOT_YET_BOUND_MS / 60_000 + 1})` }).where('supplier_order_id', '=', supplierOrderId).where('kind', '=', 'submission.not_yet').execute()
  t.equal(await submitSupplierOrder(deps, supplierOrderId, 0), 'needs_attention')
  const row = await db.selectFrom('supplier_orders').select(['state', 'reason', 'supplier_order_id']).where('id', '=', supplierOrderId).executeTakeFirstOrThrow()
  t.match(row, { state: 'needs_attention', supplier_order_id: created?.id, reason: /printify would still not send pb-8001-y1 to production after 3\dm.*It is not allowed to sent order to production with status pending/ })
  t.equal(printify.control.orders().length, 1, 'one order at Printify throughout')
  t.equal(printify.control.requests({ method: 'POST', path: '/orders.json' }).length, 1, 'created once')
})

t.test('when the budget has a token for the create but none for the send to production, then the job waits for its turn and sends the same order', async (t) => {
  // A limit of 3 a minute: a bucket of one token, refilled every 30 s.
  const { deps, printify, db } = await setup(t, { pendingForMs: 0 }, 3)
  const { supplierOrderId } = await seedSupplierOrder(db, { supplier: 'printify', externalId: 'pb-8002-y1', draft: draft('pb-8002-y1') })
  t.equal(await submitSupplierOrder(deps, supplierOrderId, 0), 'rescheduled')
  t.equal(printify.control.requests().length, 1, 'one request for one token: the create')
  const [created] = printify.control.orders()
  t.equal(created?.status, 'on-hold', 'created, not sent')
  t.match(await db.selectFrom('supplier_orders').select(['state', 'supplier_order_id']).where('id', '=', supplierOrderId).executeTakeFirstOrThrow(), { state: 'submitting', supplier_order_id: created?.id })
  const [turn] = (await queued(db, supplierOrderId)).rows
  t.ok((turn?.start_after.getTime() ?? 0) - Date.now() > 20_000, 'its turn is a refill away')

  // The turn comes: a full bucket again.
  await db.updateTable('rate_budgets').set({ tokens: 1, next_turn_at: null }).where('supplier', '=', 'printify').execute()
  t.equal(await submitSupplierOrder(deps, supplierOrderId, 0), 'submitted')
  t.equal(printify.control.orders().length, 1)
  t.equal(printify.control.order(created?.id ?? '')?.status, 'sending-to-production')
  t.same(printify.control.requests().map((r) => `${r.method} ${r.path.replace(/[0-9a-f]{24}/, ':id')}`), ['POST /v1/shops/5432/orders.json', 'POST /v1/shops/5432/orders/:id/send_to_production.json'])
})
