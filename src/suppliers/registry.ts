// The supplier registry: the one place that lists the suppliers (and the file
// providers). Each is a descriptor exported by its own folder; everything else
// (config, routing, submission, webhooks, polling, stats) asks the registry,
// so adding a supplier is adding a folder and its line here
// (docs/architecture.md "Adding a supplier"). A registry is a value, built
// once by the composition root: tests build one with extra descriptors.
import type { z } from 'zod'
import { AppError } from '../lib/errors.ts'
import type { FileProvider, FileProviderDescriptor, SupplierClientDefaults, SupplierDescriptor, SupplierEnv } from './common/descriptor.ts'
import type { Supplier } from './common/supplier.ts'
import { customily } from './customily/descriptor.ts'
import { gelato } from './gelato/descriptor.ts'
import { printful } from './printful/descriptor.ts'
import { printify } from './printify/descriptor.ts'

/** The configured suppliers' clients, by name. */
export type Suppliers = Readonly<Record<string, Supplier | undefined>>
/** The configured file providers, by name. */
export type FileProviders = Readonly<Record<string, FileProvider | undefined>>

export interface Registry {
  readonly suppliers: readonly SupplierDescriptor[]
  readonly fileProviders: readonly FileProviderDescriptor[]
  /** Every supplier's name, in registration order. */
  readonly names: readonly string[]
  supplier (name: string): SupplierDescriptor | undefined
  /** The descriptor, or AppError bad_request naming the suppliers there are. */
  require (name: string): SupplierDescriptor
  fileProvider (name: string): FileProviderDescriptor | undefined
  /** Every descriptor's environment variables, for config.ts to compose. */
  readonly settingsShape: z.ZodRawShape
  /** What is missing in their settings (shown in /readyz detail). */
  settingsProblems (env: SupplierEnv): string[]
  /** "<name> is not configured (set <variables>)". */
  notConfigured (name: string): string
  createSuppliers (env: SupplierEnv, defaults?: SupplierClientDefaults): Suppliers
  createFileProviders (env: SupplierEnv, defaults?: SupplierClientDefaults): FileProviders
  /** For SHIPPING_METHODS error messages. */
  readonly shippingMethodsShape: string
}

export const builtInSuppliers: readonly SupplierDescriptor[] = [printful, printify, gelato]
export const builtInFileProviders: readonly FileProviderDescriptor[] = [customily]

export function createRegistry (suppliers: readonly SupplierDescriptor[] = builtInSuppliers, fileProviders: readonly FileProviderDescriptor[] = builtInFileProviders): Registry {
  const names = suppliers.map((d) => d.name)
  if (new Set(names).size !== names.length) throw new Error(`two suppliers share a name: ${names.join(', ')}`)
  const byName = new Map(suppliers.map((d) => [d.name, d]))
  const providers = new Map(fileProviders.map((d) => [d.name, d]))
  const settingsShape: z.ZodRawShape = {}
  for (const d of [...suppliers, ...fileProviders]) Object.assign(settingsShape, d.settings.shape)
  return {
    suppliers,
    fileProviders,
    names,
    supplier: (name) => byName.get(name),
    require (name) {
      const found = byName.get(name)
      if (!found) throw new AppError('not_found', `no supplier "${name}" (there are ${names.join(', ')})`)
      return found
    },
    fileProvider: (name) => providers.get(name),
    settingsShape,
    settingsProblems (env) {
      const configured = suppliers.some((d) => d.create(env, {}) !== undefined)
      return [
        ...(configured || suppliers.length === 0 ? [] : [`no supplier configured: set ${suppliers.map((d) => d.configureWith).join(' and/or ')}`]),
        ...[...suppliers, ...fileProviders].flatMap((d) => d.problems(env))
      ]
    },
    notConfigured: (name) => `${name} is not configured (set ${byName.get(name)?.configureWith ?? 'its settings'})`,
    createSuppliers (env, defaults = {}) {
      const out: Record<string, Supplier> = {}
      for (const d of suppliers) {
        const client = d.create(env, defaults)
        if (client) out[d.name] = client
      }
      return out
    },
    createFileProviders (env, defaults = {}) {
      const out: Record<string, FileProvider> = {}
      for (const d of fileProviders) {
        const provider = d.create(env, defaults)
        if (provider) out[d.name] = provider
      }
      return out
    },
    shippingMethodsShape: `{${suppliers.map((d) => d.shippingMethodHint).join(', ')}}`
  }
}

/** The suppliers this build ships with. */
export const builtInRegistry: Registry = createRegistry()
