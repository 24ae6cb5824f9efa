// The double-import guard (DESIGN.md "Routing policy"): a supplier store
// linked to Shopify imports the store's orders by itself, so every order we
// send would be made twice. Asked of every supplier that has such a link
// (`Supplier.storeInfo`). Read once at start; reported in /readyz detail and
// the logs, never blocking.
import type { Logger } from 'pino'
import { errorMessage } from '../lib/errors.ts'
import type { Suppliers } from './registry.ts'
import type { SupplierStoreInfo } from './common/supplier.ts'

export interface DoubleImportGuard {
  /** Problems found so far (empty until the look-ups answer). */
  problems (): readonly string[]
  /** Resolves when every look-up has answered or failed. */
  readonly done: Promise<void>
}

/** `beforeRequest`: waits for the supplier's request budget (every replica makes this look-up at start). */
export function checkDoubleImport (suppliers: Suppliers, logger: Logger, beforeRequest?: (supplier: string) => Promise<void>): DoubleImportGuard {
  const found: string[] = []
  const clients = Object.values(suppliers).filter((client) => client?.storeInfo !== undefined)
  const done = Promise.all(clients.map(async (client) => {
    if (!client?.storeInfo) return
    try {
      await beforeRequest?.(client.name)
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
  return `${info.description} and imports the Shopify store's orders by itself: every order would be made twice. ${info.remedy}`
}
