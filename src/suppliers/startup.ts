// What is checked against the suppliers once at start: the double-import
// guard, each file provider's credentials, and each supplier's own checks
// (its descriptor's startupChecks). Reported in /readyz detail and the logs,
// never blocking.
import type { Logger } from 'pino'
import type { StartupCheck, SupplierEnv } from './common/descriptor.ts'
import { checkDoubleImport } from './double-import.ts'
import type { FileProviders, Registry, Suppliers } from './registry.ts'

export function startSupplierChecks (registry: Registry, suppliers: Suppliers, files: FileProviders, env: SupplierEnv, logger: Logger, beforeRequest?: (supplier: string) => Promise<void>): StartupCheck {
  const checks: StartupCheck[] = [checkDoubleImport(suppliers, logger, beforeRequest)]
  for (const descriptor of registry.suppliers) {
    const supplier = suppliers[descriptor.name]
    if (supplier && descriptor.startupChecks) checks.push(descriptor.startupChecks(supplier, env, logger))
  }
  for (const provider of Object.values(files)) {
    // Is the key accepted? The provider keeps what it found for problems().
    if (provider) void provider.checkAccess().then((problem) => { if (problem) logger.warn({ provider: provider.name }, problem) })
  }
  return {
    problems: () => [...checks.flatMap((check) => check.problems()), ...Object.values(files).flatMap((provider) => provider?.problems() ?? [])],
    done: Promise.all(checks.map((check) => check.done)).then(() => undefined)
  }
}
