// Exactly-once submission against the supplier simulators: every fault kind,
// including "stored but the answer lost", ends with one order at the supplier.
import t from 'tap'
import { sql } from 'kysely'
import { loadConfig } from '../../src/config.ts'
import { createBoss } from '../../src/queue/boss.ts'
import { createLogger } from '../../src/lib/logger.ts'
import { submitSupplierOrder, type SubmitDeps } from '../../src/orders/submission/submit.ts'
import { syncSupplierOrder } from '../../src/orders/status/supplier-sync.ts'
import { bucketShape, createBudget } from '../../src/suppliers/budget.ts'
import { CustomilyClient } from '../../src/suppliers/customily/client.ts'
import { customilyFiles } from '../../src/suppliers/customily/descriptor.ts'
import { PrintfulSupplier } from '../../src/suppliers/printful/supplier.ts'
import { PrintifySupplier } from '../../src/suppliers/printify/supplier.ts'
import { builtInRegistry } from '../../src/suppliers/registry.ts'
import type { SupplierOrderDraft } from '../../src/suppliers/common/supplier.ts'
import { startSupplierSimulators, type SupplierSimulators } from '../../src/sim/suppliers.ts'
import { printfulSimDefaults } from '../../src/sim/printful/index.ts'
import { printifySimDefaults } from '../../src/sim/printify/index.ts'
import { customilySimDefaults } from '../../src/sim/customily/index.ts'
import type { FaultKind } from '../../src/sim/common/faults.ts'
import { testDatabase, type TestDatabase } from '../helpers/database.ts'
import { seedSupplierOrder } from '../helpers/submission.ts'
import { snapshot } from '../helpers/routing-factories.ts'

interface Tap { teardown (fn: () => unknown): void, passing (): boolean, comment (...m: unknown[]): void }

async function setup (t: Tap, options: { perMinute?: number } = {}): Promise<{ deps: SubmitDeps, sims: SupplierSimulators, database: TestDatabase }> {
  const database = await testDatabase(t)
  const sims = await startSupplierSimulators()
  t.teardown(() => sims.close())
  // These runs count attempts and outcomes; Printify's pending moment after creation has its own tests (submit-printify.test.ts).
  sims.printify.control.setPendingFor(0)
  const config = loadConfig({ DATABASE_URL: database.url })
  const boss = createBoss({ url: database.url, jobs: config.jobs, maintenance: false })
  // Dropping the test database at teardown ends its connections: not an error worth failing on.
  boss.on('error', () => {})
  await boss.start()
  t.teardown(() => boss.stop({ graceful: false, close: true }))
  const perMinute = options.perMinute ?? 6000
  const deps: SubmitDeps = {
    db: database.db,
    boss,
    config,
    log: createLogger('silent'),
    budget: createBudget(database.db, { printful: { perMinute }, printify: { perMinute } }),
    suppliers: {
      printful: new PrintfulSupplier({ apiUrl: sims.printful.url, token: printfulSimDefaults.token, storeId: String(printfulSimDefaults.storeId), timeoutMs: 1000 }),
      printify: new PrintifySupplier({ apiUrl: sims.printify.url, token: printifySimDefaults.token, shopId: String(printifySimDefaults.shopId), userAgent: 'pod-bridge-test', timeoutMs: 1000 })
    },
    files: {
      customily: customilyFiles(new CustomilyClient({ tokenUrl: sims.customily.tokenUrl, itemUrl: `${sims.customily.url}/api/standalone/item/{id}?shop={shop}`, apiKey: customilySimDefaults.apiKey, shopDomain: customilySimDefaults.shopDomain, timeoutMs: 1000 }), 300_000)
    },
    registry: builtInRegistry
  }
  return { deps, sims, database }
}

const printfulDraft = (externalId: string, extra: Partial<SupplierOrderDraft> = {}): SupplierOrderDraft => ({
  externalId,
  label: '#1001',
  recipient: { name: 'Jane Doe', address1: '19749 Dearborn St', city: 'Chatsworth', stateCode: 'CA', countryCode: 'US', zip: '91311', email: 'jane@example.com' },
  items: [{ lineRef: 'line-1', quantity: 1, retailPrice: '25.00', ref: { syncVariantId: '4001' } }],
  test: false,
  ...extra
})
const printifyDraft = (externalId: string, extra: Partial<SupplierOrderDraft> = {}): SupplierOrderDraft => ({
  ...printfulDraft(externalId),
  items: [{ lineRef: 'line-1', quantity: 1, sku: 'PFY-TEE-WHT-S', ref: { productId: '5b05842f3921c9547531758d', variantId: '12100' } }],
  ...extra
})

/** Runs the job the way pg-boss would: again after every thrown (retryable) failure. */
async function runUntilSettled (deps: SubmitDeps, id: string, maxRuns = 5): Promise<string[]> {
  const outcomes: string[] = []
  for (let run = 0; run < maxRuns; run++) {
    try {
      const outcome = await submitSupplierOrder(deps, id, run)
      outcomes.push(outcome)
      if (outcome !== 'retrying') return outcomes
    } catch (err) {
      outcomes.push(`threw: ${(err as Error).message.slice(0, 60)}`)
    }
  }
  return outcomes
}

t.test('when a Printful supplier order is submitted, then it is created once, confirmed, and the timeline says so', async (t) => {
  const { deps, sims, database } = await setup(t)
  const { supplierOrderId, orderId } = await seedSupplierOrder(database.db, { supplier: 'printful', externalId: 'pb-1001-f1', draft: printfulDraft('pb-1001-f1') })
  t.equal(await submitSupplierOrder(deps, supplierOrderId, 0), 'submitted')
  const orders = sims.printful.control.orders()
  t.equal(orders.length, 1)
  t.equal(orders[0]?.external_id, 'pb-1001-f1')
  t.not(orders[0]?.status, 'draft', 'confirmed for production')
  const row = await database.db.selectFrom('supplier_orders').selectAll().where('id', '=', supplierOrderId).executeTakeFirstOrThrow()
  t.match(row, { state: 'submitted', supplier_order_id: String(orders[0]?.id), attempts: 1 })
  t.ok(row.next_poll_at, 'the status sweeper will look at it')
  const timeline = await database.db.selectFrom('order_events').select(['kind', 'detail']).where('order_id', '=', orderId).orderBy('id').execute()
  t.match(timeline.map((e) => e.kind), ['submission.started', 'submission.accepted', 'order.state'])
  t.equal(await submitSupplierOrder(deps, supplierOrderId, 0), 'nothing_to_do', 'running it again changes nothing')
  t.equal(sims.printful.control.orders().length, 1)
})

const faults: FaultKind[] = ['answer_lost', 'error_500', 'timeout', 'malformed_json', 'connection_reset']
for (const supplier of ['printful', 'printify'] as const) {
  for (const kind of faults) {
    t.test(`when ${supplier} creation meets ${kind}, then after the retries there is exactly one order there`, async (t) => {
      const { deps, sims, database } = await setup(t)
      const externalId = `pb-2002-${supplier[4]!}1`
      const draft = supplier === 'printful' ? printfulDraft(externalId) : printifyDraft(externalId)
      const { supplierOrderId } = await seedSupplierOrder(database.db, { supplier, externalId, draft })
      const control = supplier === 'printful' ? sims.printful.control : sims.printify.control
      control.injectFault({ kind, method: 'POST', path: supplier === 'printful' ? '/orders' : '/orders.json', delayMs: 2000 })
      const outcomes = await runUntilSettled(deps, supplierOrderId)
      t.equal(outcomes.at(-1), 'submitted', outcomes.join(' → '))
      t.match(outcomes[0], /^threw/, 'the first attempt failed')
      t.equal(control.orders().filter((o) => JSON.stringify(o).includes(externalId)).length, 1, 'exactly one order at the supplier')
      const row = await database.db.selectFrom('supplier_orders').select(['state', 'attempts']).where('id', '=', supplierOrderId).executeTakeFirstOrThrow()
      t.same(row, { state: 'submitted', attempts: 2 })
    })
  }
}

t.test('when the same job runs twice at once, then one order is created', async (t) => {
  const { deps, sims, database } = await setup(t)
  const { supplierOrderId } = await seedSupplierOrder(database.db, { supplier: 'printify', externalId: 'pb-3003-y1', draft: printifyDraft('pb-3003-y1') })
  sims.printify.control.injectFault({ kind: 'slow', method: 'POST', path: '/orders.json', delayMs: 300 })
  const outcomes = await Promise.all([submitSupplierOrder(deps, supplierOrderId, 0), submitSupplierOrder(deps, supplierOrderId, 0)])
  t.same(outcomes.sort(), ['nothing_to_do', 'submitted'])
  t.equal(sims.printify.control.orders().length, 1)
})

t.test('when the supplier answers 429 with Retry-After, then the budget is emptied and the job rescheduled for then', async (t) => {
  const { deps, sims, database } = await setup(t)
  const { supplierOrderId, orderId } = await seedSupplierOrder(database.db, { supplier: 'printful', externalId: 'pb-4004-f1', draft: printfulDraft('pb-4004-f1') })
  sims.printful.control.injectFault({ kind: 'rate_limited', method: 'POST', path: '/orders', retryAfterSeconds: 30 })
  t.equal(await submitSupplierOrder(deps, supplierOrderId, 0), 'rescheduled')
  const budget = await deps.budget.state('printful')
  t.ok(budget?.blockedUntil && budget.blockedUntil.getTime() > Date.now() + 25_000, 'blocked for the Retry-After')
  const job = await sql<{ start_after: Date }>`select start_after from pgboss.job where name = 'supplier.submit' order by created_on desc limit 1`.execute(database.db)
  t.ok(job.rows[0]!.start_after.getTime() > Date.now() + 25_000, 'the retry waits for it')
  t.equal(await submitSupplierOrder(deps, supplierOrderId, 0), 'rescheduled', 'no request while blocked')
  t.equal(sims.printful.control.orders().length, 0)
  const timeline = await database.db.selectFrom('order_events').select('kind').where('order_id', '=', orderId).execute()
  t.ok(timeline.some((e) => e.kind === 'submission.rate_limited'))
})

t.test('when several supplier orders find the budget empty, then each keeps its own queued job', async (t) => {
  // 1 a minute: a bucket of one token, the next a minute away.
  const { deps, sims, database } = await setup(t, { perMinute: 1 })
  const ids: string[] = []
  for (const n of [1, 2, 3, 4]) ids.push((await seedSupplierOrder(database.db, { supplier: 'printful', externalId: `pb-880${n}-f1`, draft: printfulDraft(`pb-880${n}-f1`) })).supplierOrderId)
  t.equal(await submitSupplierOrder(deps, ids[0]!, 0), 'submitted')
  for (const id of ids.slice(1)) t.equal(await submitSupplierOrder(deps, id, 0), 'rescheduled')
  // supplier.submit is a stately queue: an unkeyed reschedule would share one
  // queued slot with every other, and all but the first would be dropped.
  const queued = await sql<{ id: string }>`select data->>'supplierOrderId' as id from pgboss.job where name = 'supplier.submit' and state = 'created'`.execute(database.db)
  t.same(queued.rows.map((r) => r.id).sort(), ids.slice(1).sort(), 'one queued job per rescheduled supplier order')
  t.equal(sims.printful.control.orders().length, 1)
})

t.test('when the supplier refuses the order, then it needs attention with the supplier\'s message', async (t) => {
  const { deps, database } = await setup(t)
  const draft = printfulDraft('pb-5005-f1', { items: [{ lineRef: 'line-1', quantity: 1, ref: { syncVariantId: '999999' } }] })
  const { supplierOrderId, orderId } = await seedSupplierOrder(database.db, { supplier: 'printful', externalId: 'pb-5005-f1', draft })
  t.equal(await submitSupplierOrder(deps, supplierOrderId, 0), 'needs_attention')
  const row = await database.db.selectFrom('supplier_orders').select(['state', 'reason']).where('id', '=', supplierOrderId).executeTakeFirstOrThrow()
  t.equal(row.state, 'needs_attention')
  t.match(row.reason, /Printful/)
  const order = await database.db.selectFrom('orders').select(['state', 'state_reason']).where('id', '=', orderId).executeTakeFirstOrThrow()
  t.match(order, { state: 'needs_attention', state_reason: /^printful order pb-5005-f1: Printful: / })
})

t.test('when the order is a test order, then Printful keeps a draft and Printify gets nothing', async (t) => {
  const { deps, sims, database } = await setup(t)
  const pf = await seedSupplierOrder(database.db, { supplier: 'printful', externalId: 'pb-6006-f1', draft: printfulDraft('pb-6006-f1', { test: true }) })
  const py = await seedSupplierOrder(database.db, { supplier: 'printify', externalId: 'pb-6006-y1', draft: printifyDraft('pb-6006-y1', { test: true }), orderId: pf.orderId })
  t.equal(await submitSupplierOrder(deps, pf.supplierOrderId, 0), 'submitted')
  t.equal(await submitSupplierOrder(deps, py.supplierOrderId, 0), 'submitted')
  t.equal(sims.printful.control.orders()[0]?.status, 'draft')
  t.equal(sims.printify.control.orders().length, 0)
  const row = await database.db.selectFrom('supplier_orders').select(['supplier_order_id', 'reason']).where('id', '=', py.supplierOrderId).executeTakeFirstOrThrow()
  t.match(row, { supplier_order_id: null, reason: /test order: not created at Printify/ })
})

t.test('when a line is personalized with Customily, then its production file is the print file; not ready yet waits', async (t) => {
  const { deps, sims, database } = await setup(t)
  const personalization = sims.customily.control.addItem(undefined, { notReadyLookups: 1, productionUrl: 'https://files.example/custom-123.png' })
  const draft = { ...printfulDraft('pb-7007-f1'), items: [{ lineRef: 'line-1', quantity: 1, ref: { variantId: '4011', files: [] }, personalization: { provider: 'customily' as const, id: personalization, placement: 'front' } }] }
  const { supplierOrderId } = await seedSupplierOrder(database.db, { supplier: 'printful', externalId: 'pb-7007-f1', draft })
  t.equal(await submitSupplierOrder(deps, supplierOrderId, 0), 'rescheduled', 'not rendered yet')
  const waiting = await database.db.selectFrom('supplier_orders').select(['state', 'reason']).where('id', '=', supplierOrderId).executeTakeFirstOrThrow()
  t.match(waiting, { state: 'pending', reason: /waiting for Customily/ })
  t.equal(await submitSupplierOrder(deps, supplierOrderId, 0), 'submitted')
  const sent = sims.printful.control.orders()[0]
  t.match(sent?.items[0]?.files, [{ type: 'front', url: 'https://files.example/custom-123.png' }])
})

t.test('when Customily has no production file two hours after the supplier order was made, then it needs attention naming the personalization', async (t) => {
  const { deps, sims, database } = await setup(t)
  const personalization = sims.customily.control.addItem(undefined, { notReadyLookups: 1_000 })
  const draft = { ...printfulDraft('pb-7008-f1'), items: [{ lineRef: 'line-1', quantity: 1, ref: { variantId: '4011', files: [] }, personalization: { provider: 'customily' as const, id: personalization, placement: 'front' } }] }
  const { supplierOrderId } = await seedSupplierOrder(database.db, { supplier: 'printful', externalId: 'pb-7008-f1', draft })
  t.equal(await submitSupplierOrder(deps, supplierOrderId, 0), 'rescheduled', 'first: waits')
  const waiting = await database.db.selectFrom('order_events').select('detail').where('supplier_order_id', '=', supplierOrderId).where('kind', '=', 'submission.waiting').execute()
  t.match(waiting, [{ detail: /not rendered yet; trying again in 5m/ }], 'CUSTOMILY_RETRY_SECONDS default')
  await database.db.updateTable('supplier_orders').set({ created_at: sql<Date>`now() - interval '121 minutes'` }).where('id', '=', supplierOrderId).execute()
  t.equal(await submitSupplierOrder(deps, supplierOrderId, 0), 'needs_attention')
  const row = await database.db.selectFrom('supplier_orders').select(['state', 'reason']).where('id', '=', supplierOrderId).executeTakeFirstOrThrow()
  t.match(row, { state: 'needs_attention', reason: new RegExp(`no production file for personalization ${personalization} after 121 minutes`) })
  t.equal(sims.printful.control.orders().length, 0, 'nothing was sent')
})

t.test('when several supplier orders are put off at once (files not rendered, status reads over budget), then each keeps its own later job', async (t) => {
  // The queues are stately: a job sent without a key shares one queued slot with every other such job.
  const { deps, sims, database } = await setup(t)
  const db = database.db
  const waiting: string[] = []
  for (const n of [1, 2]) {
    const id = sims.customily.control.addItem(undefined, { notReadyLookups: 1_000 })
    const draft = { ...printfulDraft(`pb-710${n}-f1`), items: [{ lineRef: 'line-1', quantity: 1, ref: { variantId: '4011', files: [] }, personalization: { provider: 'customily' as const, id, placement: 'front' } }] }
    const { supplierOrderId } = await seedSupplierOrder(db, { supplier: 'printful', externalId: `pb-710${n}-f1`, draft })
    t.equal(await submitSupplierOrder(deps, supplierOrderId, 0), 'rescheduled')
    waiting.push(supplierOrderId)
  }
  const submits = await sql<{ id: string }>`select data->>'supplierOrderId' as id from pgboss.job where name = 'supplier.submit' and state = 'created'`.execute(db)
  t.same(submits.rows.map((r) => r.id).sort(), [...waiting].sort(), 'one look-up later for each')

  const polled: string[] = []
  for (const n of [1, 2]) {
    const { supplierOrderId } = await seedSupplierOrder(db, { supplier: 'printify', externalId: `pb-720${n}-y1`, draft: printifyDraft(`pb-720${n}-y1`) })
    await db.updateTable('supplier_orders').set({ state: 'submitted', supplier_order_id: `py-${n}` }).where('id', '=', supplierOrderId).execute()
    polled.push(supplierOrderId)
  }
  await deps.budget.block('printify', new Date(Date.now() + 60_000), 'test: over budget')
  for (const id of polled) t.equal(await syncSupplierOrder(deps, id), 'rescheduled')
  const syncs = await sql<{ id: string }>`select data->>'supplierOrderId' as id from pgboss.job where name = 'supplier.sync' and state = 'created'`.execute(db)
  t.same(syncs.rows.map((r) => r.id).sort(), [...polled].sort(), 'one read later for each')
})

t.test('when two budget users share one limit, then together they never take more than it allows', async (t) => {
  const first = await testDatabase(t)
  const { openDatabase } = await import('../../src/db/database.ts')
  const second = openDatabase(first.url, { max: 2 })
  t.teardown(() => second.close())
  // 60/minute: a bucket of 2, refilled at 58 a minute. Over 3 s at most 2 + 3 x 58/60 tokens.
  const limits = { printful: { perMinute: 60 } }
  const shape = bucketShape(limits.printful)
  t.same([shape.capacity, shape.ratePerSecond * 60], [2, 58])
  const a = createBudget(first.db, limits)
  const b = createBudget(second.db, limits)
  let granted = 0
  const until = Date.now() + 3000
  await Promise.all([a, b, a, b].map(async (budget) => {
    while (Date.now() < until) {
      if ((await budget.take('printful', 'submit')).ok) granted++
    }
  }))
  t.ok(granted >= 3 && granted <= 4, `${granted} tokens granted in 3 s`)
  const poll = await a.take('printful', 'poll')
  t.equal(poll.ok, false, 'polls leave the reserve to submissions')
})

t.test('when jobs find the budget empty, then each is given its own turn, one refill apart, and turns already past hold nobody back', async (t) => {
  const database = await testDatabase(t)
  // 60/minute: a bucket of 2, refilled at 58 a minute (one token every 1.034 s).
  const limits = { printful: { perMinute: 60 } }
  const step = 60_000 / 58
  const budget = createBudget(database.db, limits)
  t.ok((await budget.take('printful', 'submit')).ok)
  t.ok((await budget.take('printful', 'submit')).ok)
  const refused = []
  for (let i = 0; i < 5; i++) refused.push(await budget.take('printful', 'submit', { turn: true }))
  const turns = refused.map((r) => (r.ok ? 0 : r.retryAt.getTime()))
  t.ok(turns[0]! > Date.now() && turns[0]! <= Date.now() + step + 50, 'the first turn is the next refill')
  for (let i = 1; i < turns.length; i++) t.ok(Math.abs(turns[i]! - turns[i - 1]! - step) < 5, `turn ${i} is one refill after turn ${i - 1}`)
  // Without a turn (the sweeper, which waits in place), the answer is the next refill, turns or not.
  const plain = await budget.take('printful', 'submit')
  t.ok(!plain.ok && plain.retryAt.getTime() < turns[1]!, 'a caller without a turn is not put behind the turns')
  // Turns that have passed (their jobs ran, or are gone) are no queue: the next turn is the next refill.
  await database.db.updateTable('rate_budgets').set({ next_turn_at: new Date(Date.now() - 60_000) }).execute()
  const fresh = await budget.take('printful', 'submit', { turn: true })
  t.ok(!fresh.ok && fresh.retryAt.getTime() <= Date.now() + step + 50, 'a stale queue is forgotten')
  // A 429 closes the circuit: turns start when it reopens.
  const reopens = new Date(Date.now() + 30_000)
  await budget.block('printful', reopens, 'test: 429')
  await database.db.updateTable('rate_budgets').set({ next_turn_at: null }).execute()
  const blocked = await budget.take('printful', 'submit', { turn: true })
  t.ok(!blocked.ok && blocked.retryAt.getTime() >= reopens.getTime(), 'no turn before Retry-After')
})

t.test('when the address changed in Shopify while the order was on its way, then the accepted supplier order needs attention naming the change', async (t) => {
  const { deps, sims, database } = await setup(t)
  const { supplierOrderId, orderId } = await seedSupplierOrder(database.db, { supplier: 'printful', externalId: 'pb-1010-f1', draft: printfulDraft('pb-1010-f1') })
  // order.sync stored the new address after the draft (Chatsworth) was built: it does not rebuild a submitting order.
  const moved = snapshot([], { shippingAddress: { address1: '19749 Dearborn St', city: 'Reseda', provinceCode: 'CA', zip: '91335' } })
  await database.db.updateTable('orders').set({ snapshot: JSON.stringify(moved) }).where('id', '=', orderId).execute()
  t.equal(await submitSupplierOrder(deps, supplierOrderId, 0), 'submitted')
  const sent = sims.printful.control.orders()
  t.equal(sent[0]?.recipient.city, 'Chatsworth', 'the supplier has the old address')
  const row = await database.db.selectFrom('supplier_orders').select(['state', 'reason']).where('id', '=', supplierOrderId).executeTakeFirstOrThrow()
  t.equal(row.state, 'needs_attention')
  t.equal(row.reason, `shipping address changed after it was sent to printful as order ${String(sent[0]?.id)}: city Chatsworth → Reseda, zip 91311 → 91335; change it in Printful's dashboard, then approve or retry the order`)
  const order = await database.db.selectFrom('orders').select('state').where('id', '=', orderId).executeTakeFirstOrThrow()
  t.equal(order.state, 'needs_attention')
})
