// The double-import guard (DESIGN.md "Routing policy"): a Printful store
// linked to Shopify, or a Printify shop on the Shopify sales channel, imports
// the store's orders by itself, so every order we send would be made twice.
// Read once at start; reported in /readyz detail and the logs, never blocking.
import type { Logger } from 'pino'
import { errorMessage } from '../lib/errors.ts'
import type { Suppliers } from './index.ts'
import type { SupplierStoreInfo } from './common/supplier.ts'

export interface DoubleImportGuard {
  /** Problems found so far (empty until the look-ups answer). */
  problems (): readonly string[]
  /** Resolves when every look-up has answered or failed. */
  readonly done: Promise<void>
}

export function checkDoubleImport (suppliers: Pick<Suppliers, 'printful' | 'printify'>, logger: Logger): DoubleImportGuard {
  const found: string[] = []
  const clients = [suppliers.printful, suppliers.printify].filter((client) => client !== undefined)
  const done = Promise.all(clients.map(async (client) => {
    try {
      const problem = doubleImportProblem(await client.storeInfo())
      if (problem) {
        found.push(problem)
        logger.warn({ supplier: client.name }, problem)
      }
    } catch (err) {
      const problem = `${client.name}: could not read the store type to rule out double imports (${errorMessage(err)})`
      found.push(problem)
      logger.warn({ supplier: client.name }, problem)
    }
  })).then(() => undefined)
  return { problems: () => [...found], done }
}

export function doubleImportProblem (info: SupplierStoreInfo): string | undefined {
  if (!info.importsOrdersItself) return undefined
  const what = info.supplier === 'printful' ? `Printful store ${info.id} ("${info.name}") is of type "${info.kind}"` : `Printify shop ${info.id} ("${info.name}") is on the "${info.kind}" sales channel`
  return `${what} and imports the Shopify store's orders by itself: every order would be made twice. Use a Manual order / API store (Printful) or an API shop (Printify).`
}
