import t from 'tap'
import { loadConfig } from '../../src/config.ts'
import { createLogger } from '../../src/lib/logger.ts'
import { startSupplierSimulators } from '../../src/sim/suppliers.ts'
import { createSuppliers } from '../../src/suppliers/index.ts'
import { checkDoubleImport } from '../../src/suppliers/double-import.ts'
import { PrintfulSupplier } from '../../src/suppliers/printful/supplier.ts'

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
