// Builds the supplier clients the configuration asks for (DESIGN.md env
// table), from the registry. The composition root calls this once; nothing
// here reads process.env.
import type { SupplierClientDefaults, SupplierEnv } from './common/descriptor.ts'
import { builtInRegistry, type FileProviders, type Registry, type Suppliers } from './registry.ts'

export type { Suppliers, FileProviders, Registry } from './registry.ts'
export type { SupplierClientDefaults } from './common/descriptor.ts'

export function createSuppliers (config: { readonly env: SupplierEnv }, defaults: SupplierClientDefaults = {}, registry: Registry = builtInRegistry): Suppliers {
  return registry.createSuppliers(config.env, defaults)
}

export function createFileProviders (config: { readonly env: SupplierEnv }, defaults: SupplierClientDefaults = {}, registry: Registry = builtInRegistry): FileProviders {
  return registry.createFileProviders(config.env, defaults)
}

export type { CatalogVariant, Problem, Supplier, SupplierAccepted, SupplierEvent, SupplierName, SupplierObservation, SupplierOrderDraft, SupplierRef, SupplierShipment, SupplierStatus, SupplierStoreInfo } from './common/supplier.ts'
