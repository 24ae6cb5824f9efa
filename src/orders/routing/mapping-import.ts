// Mapping import from a supplier's catalog (POST /v1/mappings/import/:supplier,
// run as job mappings.import with progress in mapping_imports). Printful: the
// sync variants of a Manual/API store, matched to store variants by the
// external id the merchant set (the Shopify variant id), else by SKU.
// Printify: the shop's products, by SKU. Supplier variants matching no store
// variant are counted and sampled, not mapped.
import { sql } from 'kysely'
import { z } from 'zod'
import type { PgBoss } from 'pg-boss'
import type { Db } from '../../db/database.ts'
import type { SupplierName } from '../../db/schema.ts'
import { sendJob } from '../../queue/boss.ts'
import { AppError } from '../../lib/errors.ts'
import type { ShopifyAdminClient, StoreVariant } from '../../shopify/index.ts'
import type { CatalogVariant, Supplier } from '../../suppliers/common/supplier.ts'
import type { Registry, Suppliers } from '../../suppliers/registry.ts'
import type { MappingSpec } from './mapping-schema.ts'
import { upsertMappings } from './mappings.ts'

export interface ImportProgress {
  readonly id: string
  readonly supplier: SupplierName
  readonly state: 'running' | 'done' | 'failed'
  readonly storeVariants: number
  readonly processed: number
  readonly created: number
  readonly updated: number
  readonly kept: number
  readonly unmatched: number
  readonly unmatchedSample: unknown[]
  readonly error: string | null
  readonly startedAt: string
  readonly finishedAt: string | null
}

/** Starts an import, or returns the one already running for this supplier. */
export async function startImport (db: Db, boss: PgBoss, supplier: SupplierName): Promise<{ id: string, alreadyRunning: boolean }> {
  return db.transaction().execute(async (trx) => {
    // One import per supplier at a time: serialise the check on an advisory lock.
    await sql`select pg_advisory_xact_lock(hashtext(${`mapping_import:${supplier}`}))`.execute(trx)
    // Progress is written at least every few minutes even under rate limits: an import silent for an
    // hour died with its worker after its last retry, and must not block the next one forever.
    await trx.updateTable('mapping_imports').set({ state: 'failed', error: 'stopped: no progress for an hour', finished_at: sql<Date>`now()` })
      .where('supplier', '=', supplier).where('state', '=', 'running').where('updated_at', '<', sql<Date>`now() - interval '1 hour'`).execute()
    const running = await trx.selectFrom('mapping_imports').select('id').where('supplier', '=', supplier).where('state', '=', 'running').executeTakeFirst()
    if (running) return { id: running.id, alreadyRunning: true }
    const row = await trx.insertInto('mapping_imports').values({ supplier }).returning('id').executeTakeFirstOrThrow()
    await sendJob(boss, 'mappings.import', { importId: row.id }, { trx })
    return { id: row.id, alreadyRunning: false }
  })
}

export async function importProgress (db: Db, id: string): Promise<ImportProgress | undefined> {
  const r = await db.selectFrom('mapping_imports').selectAll().where('id', '=', id).executeTakeFirst()
  if (!r) return undefined
  return {
    id: r.id, supplier: r.supplier, state: r.state, storeVariants: r.store_variants, processed: r.processed,
    created: r.created, updated: r.updated, kept: r.kept, unmatched: r.unmatched,
    unmatchedSample: sampleOf(r.unmatched_sample),
    error: r.error, startedAt: r.started_at.toISOString(), finishedAt: r.finished_at?.toISOString() ?? null
  }
}

/** mapping_imports.unmatched_sample as the import writes it: a few unmatched variants, each a handful of strings. */
const sampleSchema = z.array(z.record(z.string(), z.string()))

function sampleOf (column: unknown): Record<string, string>[] {
  const parsed = sampleSchema.safeParse(column)
  return parsed.success ? parsed.data : []
}

export interface ImportDeps {
  readonly suppliers: Suppliers
  readonly registry: Registry
  readonly shopify: ShopifyAdminClient | undefined
  /** Schedules the resumption of a rate-limited import. */
  readonly boss: PgBoss
  /** Progress is written every this many supplier variants. */
  readonly flushEvery?: number
}

const sampleSize = 50
// A rate-limited import resumes after the supplier's Retry-After; this many stops in a row without a product done fail it.
const maxStalls = 5
const defaultRetryAfterMs = 60_000

/** Runs one import, or resumes it where a rate limit stopped it. Throws only what is worth retrying. */
export async function runImport (db: Db, deps: ImportDeps, importId: string, options: { finalAttempt: boolean }): Promise<void> {
  const row = await db.selectFrom('mapping_imports').selectAll().where('id', '=', importId).executeTakeFirst()
  if (!row || row.state !== 'running') return
  const fail = async (message: string) => {
    await db.updateTable('mapping_imports').set({ state: 'failed', error: message, finished_at: sql<Date>`now()`, updated_at: sql<Date>`now()` }).where('id', '=', importId).execute()
  }
  const client = deps.suppliers[row.supplier]
  if (!client) return fail(deps.registry.notConfigured(row.supplier))
  if (!deps.shopify) return fail('the Shopify store is not configured: an import matches supplier variants to the store\'s variants')
  const resume: Progress = row.products_done === 0
    ? { productsDone: 0, processed: 0, created: 0, updated: 0, kept: 0, unmatched: 0, sample: [] }
    : { productsDone: row.products_done, processed: row.processed, created: row.created, updated: row.updated, kept: row.kept, unmatched: row.unmatched, sample: sampleOf(row.unmatched_sample) }
  try {
    const stopped = await importCatalog(db, deps.shopify, client, importId, resume, deps.flushEvery ?? 100)
    if (!stopped) return
    const stalls = stopped.productsDone > row.products_done ? 0 : row.stalls + 1
    if (stalls >= maxStalls) return fail(`${client.name} kept answering "too many requests" without a product imported in between (${String(stalls)} times)`)
    await db.updateTable('mapping_imports').set({ stalls, error: `rate-limited by ${client.name}; resuming after product ${String(stopped.productsDone)}`, updated_at: sql<Date>`now()` }).where('id', '=', importId).execute()
    // Honour Retry-After by scheduling the next run, never by sleeping in a worker (DESIGN.md rule 5).
    await sendJob(deps.boss, 'mappings.import', { importId }, { startAfter: new Date(Date.now() + (stopped.retryAfterMs ?? defaultRetryAfterMs)) })
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    if (err instanceof AppError && err.retryable && !options.finalAttempt) {
      await db.updateTable('mapping_imports').set({ error: `${message} (retrying)`, updated_at: sql<Date>`now()` }).where('id', '=', importId).execute()
      throw err
    }
    await fail(message)
  }
}

interface Progress {
  productsDone: number
  processed: number
  created: number
  updated: number
  kept: number
  unmatched: number
  sample: Record<string, string>[]
}

/** Returns where it stopped when the supplier's rate limit stopped it; undefined when done. */
async function importCatalog (db: Db, shopify: ShopifyAdminClient, client: Supplier, importId: string, progress: Progress, flushEvery: number): Promise<{ productsDone: number, retryAfterMs: number | undefined } | undefined> {
  const store = await storeVariants(shopify)
  const existing = await db.selectFrom('variant_mappings').select(['match_kind', 'match_value', 'source']).where('match_kind', 'in', ['variant_id', 'sku']).execute()
  const known = new Map(existing.map((m) => [`${m.match_kind}:${m.match_value}`, m.source]))
  let batch: MappingSpec[] = []
  const flush = async () => {
    if (batch.length > 0) await upsertMappings(db, batch, `import:${client.name}`, { keepOps: true })
    batch = []
    const { sample, productsDone, ...counts } = progress
    await db.updateTable('mapping_imports').set({ ...counts, products_done: productsDone, store_variants: store.byId.size, unmatched_sample: JSON.stringify(sample), updated_at: sql<Date>`now()` }).where('id', '=', importId).execute()
  }
  await flush()
  let lastProduct: number | undefined
  try {
    for await (const variant of client.catalog({ skipProducts: progress.productsDone })) {
      // Every product before this one is complete: a crash resumes here.
      if (variant.productIndex !== undefined) progress.productsDone = variant.productIndex
      lastProduct = variant.productIndex
      progress.processed++
      record(variant, store, known, progress, batch, client.name)
      if (progress.processed % flushEvery === 0) await flush()
    }
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'upstream_rate_limited') throw err
    // A catalog fails only between requests, and one product's variants come in one answer: the last one seen is complete.
    if (lastProduct !== undefined) progress.productsDone = lastProduct + 1
    await flush()
    return { productsDone: progress.productsDone, retryAfterMs: err.retryAfterMs }
  }
  await flush()
  await db.updateTable('mapping_imports').set({ state: 'done', error: null, finished_at: sql<Date>`now()`, updated_at: sql<Date>`now()` }).where('id', '=', importId).execute()
  return undefined
}

function record (variant: CatalogVariant, store: StoreIndex, known: Map<string, string>, progress: Progress, batch: MappingSpec[], supplier: SupplierName): void {
  const match = matchStoreVariant(variant, store)
  const mapping = match ? toMappingInput(variant, match) : undefined
  if (!match || !mapping) {
    progress.unmatched++
    if (progress.sample.length < sampleSize) progress.sample.push({ product: variant.productName, variant: variant.variantName, ...(variant.sku ? { sku: variant.sku } : {}), ...(variant.externalId ? { externalId: variant.externalId } : {}) })
    return
  }
  const key = 'variantId' in match ? `variant_id:${match.variantId}` : `sku:${match.sku}`
  const source = known.get(key)
  if (source === 'ops') {
    progress.kept++
    return
  }
  if (source === undefined) progress.created++
  else progress.updated++
  known.set(key, `import:${supplier}`)
  batch.push(mapping)
}

interface StoreIndex { readonly byId: Map<string, StoreVariant>, readonly skus: Set<string> }

async function storeVariants (shopify: ShopifyAdminClient): Promise<StoreIndex> {
  const byId = new Map<string, StoreVariant>()
  const skus = new Set<string>()
  let cursor: string | null = null
  do {
    const page: { items: StoreVariant[], nextCursor: string | null } = await shopify.productVariants(cursor)
    for (const v of page.items) {
      byId.set(v.id, v)
      if (v.sku?.trim()) skus.add(v.sku.trim())
    }
    cursor = page.nextCursor
  } while (cursor)
  return { byId, skus }
}

/** By the external id the merchant set on the supplier's variant (the Shopify variant id), where the supplier keeps one, else by SKU. */
function matchStoreVariant (variant: CatalogVariant, store: StoreIndex): { variantId: string } | { sku: string } | undefined {
  const external = variant.externalId?.trim()
  if (external) {
    const gid = /^\d+$/.test(external) ? `gid://shopify/ProductVariant/${external}` : external
    if (store.byId.has(gid)) return { variantId: gid }
  }
  const sku = variant.sku?.trim()
  if (sku && store.skus.has(sku)) return { sku }
  return undefined
}

function toMappingInput (variant: CatalogVariant, match: { variantId: string } | { sku: string }): MappingSpec | undefined {
  if (variant.ref === undefined || variant.ref === null) return undefined
  return { match, supplier: variant.supplier, ref: variant.ref }
}
