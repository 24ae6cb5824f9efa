// What a supplier folder exports: one descriptor, everything the rest of the
// bridge needs to know about that supplier (issue 15). The registry
// (../registry.ts) holds the descriptors; nothing outside a supplier's folder
// names a supplier. Settings are read from the environment by config.ts, which
// composes each descriptor's zod fragment; the env variable names are a
// contract (DESIGN.md "Configuration") and stay as they are.
import type { Logger } from 'pino'
import type { z } from 'zod'
import type { Problem, SupplierEvent, SupplierOrderDraft, SupplierStatus, SupplierVariantRef, Supplier } from './supplier.ts'

/** The parsed environment, as config.ts gives it: each descriptor reads its own variables from it. */
export type SupplierEnv = Readonly<Record<string, unknown>>

export interface SupplierClientDefaults {
  /** Whole-request timeout for every supplier call (default 15 s). */
  readonly timeoutMs?: number
  /** Sent where the supplier requires one (default "pod-bridge"). */
  readonly userAgent?: string
}

/** What a supplier can and cannot do, so the domain asks instead of naming it. */
export interface SupplierCapabilities {
  /**
   * How a Shopify test order is handled: `draft` creates it and never confirms
   * it; `never` creates nothing (the supplier would send an unsent order to
   * production by itself).
   */
  readonly testOrders: 'draft' | 'never'
  /** Our statuses in which the supplier still takes a cancellation. */
  readonly cancellableStates: readonly SupplierStatus[]
  /** Orders are created unconfirmed and confirmed with a second call (`Supplier.confirm`). */
  readonly confirmAfterCreate: boolean
  /** The supplier lists its orders by status (`Supplier.orderList`): the sweeper reads pages, not orders. */
  readonly listReads: boolean
  /** How its shipments name items: by our line id, or by its own SKU (then matched to what we ordered). */
  readonly shipmentItems: 'line' | 'sku'
}

/** The supplier's item reference in a mapping, and what a per-order print file does to it. */
export interface ItemRefKind {
  /** A mapping's item reference as ops write it (PUT /v1/mappings), transformed to the stored shape. */
  readonly schema: z.ZodType
  /** A catalog item that takes print files (not a ready-made product, which prints its stored design). */
  takesPerOrderFile (ref: unknown): boolean
  /** The item already has print files of its own. */
  hasFiles (ref: unknown): boolean
  /** Where the 400 points when a catalog item has no files (a path below the supplier's key), and what it says. */
  readonly filesField: string
  readonly filesMissing: string
  /** The item with `url` as its print file at `placement`. */
  withFile (ref: unknown, placement: string, url: string): unknown
  /** Whether the supplier's variant (or SKU) read back is the one this reference ordered. */
  isOrdered (ref: unknown, variant: SupplierVariantRef | undefined, sku: string | undefined): boolean
  /** The SKU the item was ordered by, where it was ordered by one. */
  orderedSku (ref: unknown): string | undefined
}

/** Where `pod-bridge webhooks register-suppliers` talks to the person running it. */
export interface SetupIo {
  print (line: string): void
  error (line: string): void
  /** Asks a yes/no question on the terminal; undefined when there is no terminal to ask on. */
  readonly confirm: ((question: string) => Promise<boolean>) | undefined
}

/** How the supplier's webhooks are checked and read (POST /webhooks/:supplier). */
export interface SupplierWebhook {
  /** Throws AppError unauthorized / not_configured when the delivery is not the supplier's. */
  verify (request: { readonly rawBody: Buffer, readonly headers: Readonly<Record<string, string | string[] | undefined>>, readonly query: Readonly<Record<string, unknown>> }, env: SupplierEnv): void
  parse (rawBody: Buffer): SupplierEvent
  /** Whether a verified delivery is trusted as a fact (signed) or only a trigger to re-read (unsigned). */
  readonly trusted: boolean
  /** The account the delivery is stored under (store or shop id). */
  account (env: SupplierEnv): string
  /**
   * Points the supplier's webhooks at `base`/webhooks/<name>, keeping what is
   * already right; returns the exit code (1: left unchanged on purpose).
   * Throws AppError config when its settings do not allow it.
   */
  register (supplier: Supplier, base: string, env: SupplierEnv, options: { readonly yes: boolean }, io: SetupIo): Promise<number>
}

/** A check run once at start, reported in /readyz detail and the logs, never blocking. */
export interface StartupCheck {
  problems (): readonly string[]
  readonly done: Promise<void>
}

export interface SupplierDescriptor {
  /** The registry key: stored in the database, in URLs (/webhooks/<name>) and in SHIPPING_METHODS. */
  readonly name: string
  readonly displayName: string
  /** One letter in our external ids (`pb-<order>-<letter><generation>`, DESIGN.md "external_id"). */
  readonly externalIdLetter: string
  /** Its environment variables: a zod object fragment config.ts composes. */
  readonly settings: z.ZodObject
  /** Its lines of .env.example. */
  readonly envExample: string
  /** What to set to configure it, for "not configured" messages. */
  readonly configureWith: string
  /** What is missing or inconsistent in its settings (shown in /readyz detail). */
  problems (env: SupplierEnv): string[]
  /** Its client, or undefined when its settings do not configure it. */
  create (env: SupplierEnv, defaults: SupplierClientDefaults): Supplier | undefined
  /** Address and item rules, before any request; a test order is checked as the capabilities say it is handled. */
  check (draft: SupplierOrderDraft): Problem[]
  readonly webhook: SupplierWebhook
  readonly itemRef: ItemRefKind
  /** Its value in SHIPPING_METHODS (`{"*":{"<name>": <value>}}`). */
  readonly shippingMethod: z.ZodType<string | number>
  /** That value as a config error message shows it, e.g. `"<name>": "<method>"`. */
  readonly shippingMethodHint: string
  readonly capabilities: SupplierCapabilities
  /** Requests per minute its budget allows (its *_RATE_PER_MINUTE setting). */
  ratePerMinute (env: SupplierEnv): number
  /** Where a person changes an order by hand, e.g. "Printful's dashboard". */
  readonly dashboard: string
  /** The page of one of its orders in that dashboard, for the console; absent when it has none. */
  dashboardUrl? (supplierOrderId: string): string
  /** Checks of its settings against the supplier, once at start (shipping methods it offers...). */
  startupChecks? (supplier: Supplier, env: SupplierEnv, logger: Logger): StartupCheck
}

/** A provider of per-order print files (Customily): looked up at submission by the line's personalization id. */
export interface FileProvider {
  readonly name: string
  readonly displayName: string
  /** How long to wait before looking again at a file not rendered yet. */
  readonly retryMs: number
  /** The file to print at `placement`, or not_ready while the provider is still rendering. */
  printFile (personalizationId: string, placement: string): Promise<{ readonly state: 'ready', readonly url: string, readonly why: string } | { readonly state: 'not_ready' }>
  /** Problems found by the start-up access check. */
  problems (): readonly string[]
  /** One look at the provider's credentials, at start. */
  checkAccess (): Promise<string | undefined>
}

export interface FileProviderDescriptor {
  readonly name: string
  readonly displayName: string
  readonly settings: z.ZodObject
  readonly envExample: string
  readonly configureWith: string
  problems (env: SupplierEnv): string[]
  /** The setting that lists them, for messages. */
  readonly propertiesSetting: string
  /** Line properties that may hold a personalization id, in order (looked for by the router). */
  propertyNames (env: SupplierEnv): readonly string[]
  create (env: SupplierEnv, defaults: SupplierClientDefaults): FileProvider | undefined
}
