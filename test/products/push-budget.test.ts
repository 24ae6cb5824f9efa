// The product push's requests and the shared budget (src/suppliers/budget.ts),
// against the Printful simulator and a real database: a job refused a token
// is rescheduled at the budget's time keeping what it did (the store written,
// the supplier told on the next run, the store not written twice), and a
// listing cut short goes on from where it stopped without reading again what
// it had listed.
import t from 'tap'
import { sql } from 'kysely'
import { loadConfig } from '../../src/config.ts'
import { AppError } from '../../src/lib/errors.ts'
import { runProductJob, type ProductJobDeps } from '../../src/products/run.ts'
import { createBoss } from '../../src/queue/boss.ts'
import { startPrintfulSimulator } from '../../src/sim/printful/index.ts'
import { createBudget } from '../../src/suppliers/budget.ts'
import { PrintfulSupplier } from '../../src/suppliers/printful/supplier.ts'
import { builtInRegistry } from '../../src/suppliers/registry.ts'
import type { TapLike } from '../helpers/bridge.ts'
import { testDatabase } from '../helpers/database.ts'
import { FakeStore } from '../helpers/product-fakes.ts'

async function setup (t: TapLike) {
  const database = await testDatabase(t)
  const sim = await startPrintfulSimulator()
  t.teardown(() => sim.close())
  const config = loadConfig({ DATABASE_URL: database.url })
  const boss = createBoss({ url: database.url, jobs: config.jobs, maintenance: false })
  boss.on('error', () => {})
  await boss.start()
  t.teardown(() => boss.stop({ graceful: false, close: true }))
  const limits = { printful: { perMinute: 60 } }
  const store = new FakeStore()
  const deps: ProductJobDeps = {
    db: database.db,
    boss,
    budget: createBudget(database.db, limits),
    budgetLimits: limits,
    store: { products: store, currency: async () => 'USD', ready: async () => {} },
    suppliers: { printful: new PrintfulSupplier({ apiUrl: sim.url, token: 'pf-sim-token' }) },
    registry: builtInRegistry,
    settings: { status: 'draft', markup: undefined }
  }
  return { db: database.db, sim: sim.control, store, deps }
}

async function queued (deps: ProductJobDeps) {
  const jobs = await sql<{ data: Record<string, unknown>, start_after: Date, now: Date }>`
    select data, start_after, now() as now from pgboss.job where name = 'product.push' and state = 'created'`.execute(deps.db)
  return jobs.rows
}

t.test('when a push is refused a token after the product is written, then the job is rescheduled at the budget\'s time, and its next run only tells Printful', async (t) => {
  const { db, sim, store, deps } = await setup(t)
  const payload = { action: 'push', supplier: 'printful', productId: '301', trigger: 'ops' } as const

  // No wait in place: the read takes the bucket's spare token, the first external_id write finds none.
  await runProductJob({ ...deps, pushWaitMs: 0 }, payload, { retryCount: 0 })
  t.same(sim.requests().map((r) => `${r.method} ${r.path}`), ['GET /store/products/301'], 'one request: the read; none sent without a token')
  t.equal(store.setCalls, 1, 'the product was written to the store')
  const row = await db.selectFrom('products').select(['outcome', 'acknowledged_at']).where('supplier_product_id', '=', '301').executeTakeFirstOrThrow()
  t.same(row, { outcome: 'created', acknowledged_at: null }, 'written, Printful not told yet')
  const [again, ...more] = await queued(deps)
  t.equal(more.length, 0)
  t.same(again?.data, payload, 'the same push rescheduled')
  t.ok(again && again.start_after > again.now, 'at the budget\'s time, not now')

  // The next run waits in place for its tokens (two refills at most each): read, and the two writes.
  sim.clearRequests()
  await runProductJob(deps, payload, { retryCount: 0 })
  t.same(sim.requests().map((r) => `${r.method} ${r.path}`).sort(), ['GET /store/products/301', 'PUT /store/variants/4001', 'PUT /store/variants/4002'])
  t.equal(store.setCalls, 1, 'the store is not written again')
  const told = await db.selectFrom('products').select(['outcome', 'acknowledged_at']).where('supplier_product_id', '=', '301').executeTakeFirstOrThrow()
  t.equal(told.outcome, 'created', 'the outcome of the write is kept')
  t.ok(told.acknowledged_at, 'Printful told')
  t.ok(sim.syncVariant(4001)?.external_id, 'external_id written')
})

t.test('when a catalogue listing is refused a token, then it is rescheduled from the product it stopped at, and goes on from there without reading the ones before', async (t) => {
  const { sim, deps } = await setup(t)
  // Enough tokens for the page and the first product's read only (one a refill, no wait in place).
  await runProductJob({ ...deps, pushWaitMs: 0 }, { action: 'push_all', supplier: 'printful' }, { retryCount: 0 })
  const first = await queued(deps)
  t.same(first.map((j) => j.data), [{ action: 'push_all', supplier: 'printful', from: 0 }], 'the listing comes back for the first product, which it could not read')

  await sql`delete from pgboss.job where name = 'product.push'`.execute(deps.db)
  sim.clearRequests()
  await runProductJob(deps, { action: 'push_all', supplier: 'printful', from: 1 }, { retryCount: 0 })
  t.same(sim.requests().map((r) => `${r.method} ${r.path}`), ['GET /store/products', 'GET /store/products/302'], 'the page, then only the product not listed yet')
  t.same((await queued(deps)).map((j) => j.data), [{ action: 'push', supplier: 'printful', productId: '302', trigger: 'ops' }])
})

t.test('when pushes and submissions share a budget, then a push never takes the submissions\' last token nor a turn ahead of them', async (t) => {
  const db = (await testDatabase(t)).db
  // Six a minute: two tokens in the bucket, one more every fifteen seconds.
  const budget = createBudget(db, { printful: { perMinute: 6 } })
  t.same(await budget.take('printful', 'push'), { ok: true }, 'a full bucket: the push takes one')
  const refused = await budget.take('printful', 'push', { turn: true })
  t.equal(refused.ok, false, 'the last token is the submissions\'')
  t.same(await budget.take('printful', 'submit'), { ok: true }, 'and a submission takes it')
  const turns = await db.selectFrom('rate_budgets').select('next_turn_at').where('supplier', '=', 'printful').executeTakeFirstOrThrow()
  t.equal(turns.next_turn_at, null, 'the refused push took no turn, so none stands before a submission\'s')
  const submit = await budget.take('printful', 'submit', { turn: true })
  t.ok(!submit.ok && !refused.ok && submit.retryAt <= new Date(refused.retryAt.getTime() + 15_000), 'the next submission\'s turn is the next refill, not after the pushes')
})

t.test('when the store throttles a push, then the job waits for the store and the supplier\'s budget is not blocked; Shopify\'s daily variant limit fails the push with its reason at once', async (t) => {
  const { db, store, deps } = await setup(t)
  const payload = { action: 'push', supplier: 'printful', productId: '301', trigger: 'ops' } as const

  // Shopify's throttle (GraphQL THROTTLED past the client's own waits): no service named, so not the supplier's.
  store.failNextSet = new AppError('upstream_rate_limited', 'Shopify kept answering THROTTLED', { retryAfterMs: 5_000 })
  await runProductJob(deps, payload, { retryCount: 0 })
  const [again] = await queued(deps)
  t.same(again?.data, payload, 'the push comes back later')
  t.ok(again && again.start_after.getTime() - again.now.getTime() > 3_000, 'after the store\'s wait')
  t.equal((await deps.budget.state('printful'))?.blockedUntil ?? null, null, 'orders to Printful are not held up by the store\'s throttle')

  // The daily variant creation limit: failed now, with the reason, instead of a retry every minute for a day.
  await sql`delete from pgboss.job where name = 'product.push'`.execute(db)
  store.failNextSet = new AppError('upstream_rate_limited', 'Shopify\'s daily variant creation limit is reached (1,000 new variants a day once a store has 50,000)', { detail: { limit: 'daily_variant_creation' } })
  await runProductJob(deps, payload, { retryCount: 0 })
  t.same(await queued(deps), [], 'not rescheduled')
  const row = await db.selectFrom('products').select(['outcome', 'reason']).where('supplier_product_id', '=', '301').executeTakeFirstOrThrow()
  t.equal(row.outcome, 'failed')
  t.match(row.reason, /daily variant creation limit.*push the product again tomorrow/)
})
