import t from 'tap'
import { loadConfig } from '../../src/config.ts'
import { createLogger } from '../../src/lib/logger.ts'
import { startSupplierSimulators } from '../../src/sim/suppliers.ts'
import { createSuppliers } from '../../src/suppliers/index.ts'
import { checkDoubleImport } from '../../src/suppliers/double-import.ts'
import { PrintfulSupplier } from '../../src/suppliers/printful/supplier.ts'
import { bucketShape, budgetLimits, createBudget, waitForToken } from '../../src/suppliers/budget.ts'
import { testDatabase } from '../helpers/database.ts'

t.test('when the supplier stores import Shopify orders themselves, then the guard reports each', async (t) => {
  const sims = await startSupplierSimulators({ printfulStoreType: 'shopify', printifySalesChannel: 'shopify' })
  t.teardown(() => sims.close())
  const guard = checkDoubleImport(createSuppliers(loadConfig(sims.env)), createLogger('silent'))
  await guard.done
  const problems = [...guard.problems()].sort()
  t.equal(problems.length, 2)
  t.match(problems[0], /^Printful store 10 \("Simulated API store"\) is of type "shopify" and imports the Shopify store's orders by itself: every order would be made twice/)
  t.match(problems[1], /^Printify shop 5432 .* is on the "shopify" sales channel/)
})

t.test('when the stores are Manual/API ones, then the guard finds nothing; when a store cannot be read, then it says so', async (t) => {
  const sims = await startSupplierSimulators()
  t.teardown(() => sims.close())
  const fine = checkDoubleImport(createSuppliers(loadConfig(sims.env)), createLogger('silent'))
  await fine.done
  t.same(fine.problems(), [])
  const unreachable = checkDoubleImport({ printful: new PrintfulSupplier({ apiUrl: 'http://127.0.0.1:9', token: 'x', timeoutMs: 500 }) }, createLogger('silent'))
  await unreachable.done
  t.match(unreachable.problems(), [/^printful: could not read the store type to rule out double imports/])
})

t.test('when the request budget the replicas share is spent, then the start-up look-up waits for its token instead of coming on top of it', async (t) => {
  const sims = await startSupplierSimulators()
  t.teardown(() => sims.close())
  const database = await testDatabase(t)
  const budget = createBudget(database.db, budgetLimits(loadConfig({ ...sims.env, DATABASE_URL: database.url }).env))
  // Printful's budget is spent for the next 1.5 s (as after a 429); Printify's is untouched.
  const until = new Date(Date.now() + 1500)
  await budget.block('printful', until, 'test: spent')
  const guard = checkDoubleImport(createSuppliers(loadConfig(sims.env)), createLogger('silent'), (supplier) => waitForToken(budget, supplier, 'poll'))
  await guard.done
  t.same(guard.problems(), [])
  const printful = sims.printful.control.requests().filter((r) => r.path === '/stores')
  t.equal(printful.length, 1)
  t.ok(Date.parse(printful[0]!.at) >= until.getTime(), 'Printful was asked once its budget had a token again')
  const printify = await budget.state('printify')
  t.ok(printify && printify.tokens < bucketShape(budgetLimits(loadConfig(sims.env).env).printify!).capacity, 'Printify\'s look-up took a token')
})
