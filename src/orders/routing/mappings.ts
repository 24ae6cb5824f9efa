// Variant mappings: where a line goes. A line is matched by, in order, its
// Shopify variant id, its SKU, then the rules: the longest SKU prefix, then
// its vendor (DESIGN.md "Routing policy").
import { sql } from 'kysely'
import type { Db, Trx } from '../../db/database.ts'
import { AppError } from '../../lib/errors.ts'
import type { LineSupplier } from '../../db/schema.ts'
import type { PrintfulItemRef, PrintifyItemRef } from '../../suppliers/common/supplier.ts'
import { matchKey, printfulRef, printifyRef, toMatch, type MappingInput, type MappingMatch, type MatchKind } from './mapping-schema.ts'

export interface MappingRow {
  readonly id: string
  readonly match_kind: MatchKind
  readonly match_value: string
  readonly supplier: LineSupplier
  readonly printful: unknown
  readonly printify: unknown
  readonly personalization: string | null
  readonly placement: string | null
  readonly managed_by: string | null
  readonly source: string
  readonly created_at: Date
  readonly updated_at: Date
}

export interface Mapping {
  readonly id: string
  readonly match: MappingMatch
  readonly supplier: LineSupplier
  readonly printful?: PrintfulItemRef
  readonly printify?: PrintifyItemRef
  readonly personalization?: string
  readonly placement?: string
  readonly managedBy?: string
  readonly source: string
  readonly createdAt: string
  readonly updatedAt: string
}

export function toMapping (row: MappingRow): Mapping {
  return {
    id: row.id,
    match: toMatch(row.match_kind, row.match_value),
    supplier: row.supplier,
    ...(row.printful ? { printful: row.printful as PrintfulItemRef } : {}),
    ...(row.printify ? { printify: row.printify as PrintifyItemRef } : {}),
    ...(row.personalization ? { personalization: row.personalization } : {}),
    ...(row.placement ? { placement: row.placement } : {}),
    ...(row.managed_by ? { managedBy: row.managed_by } : {}),
    source: row.source,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString()
  }
}

export interface MappingValues {
  readonly match_kind: MatchKind
  readonly match_value: string
  readonly supplier: LineSupplier
  readonly printful: string | null
  readonly printify: string | null
  readonly personalization: string | null
  readonly placement: string | null
  readonly managed_by: string | null
  readonly source: string
}

export function mappingValues (input: MappingInput, source: string): MappingValues {
  const key = matchKey(input.match)
  return {
    match_kind: key.kind,
    match_value: key.value,
    supplier: input.supplier,
    printful: input.printful ? JSON.stringify(printfulRef(input.printful)) : null,
    printify: input.printify ? JSON.stringify(printifyRef(input.printify)) : null,
    personalization: input.personalization ?? null,
    placement: input.placement ?? null,
    managed_by: input.managedBy ?? null,
    source
  }
}

/**
 * Upserts by match (one mapping per variant id, SKU, prefix or vendor). The
 * last of duplicates in one call wins. Imports pass `keepOps`: a mapping an ops
 * person wrote is a decision, and a catalog import does not overwrite it.
 */
export async function upsertMappings (db: Db | Trx, inputs: readonly MappingInput[], source = 'ops', options: { keepOps?: boolean } = {}): Promise<number> {
  const byKey = new Map<string, MappingValues>()
  for (const input of inputs) {
    const values = mappingValues(input, source)
    byKey.set(`${values.match_kind}\u0000${values.match_value}`, values)
  }
  const rows = [...byKey.values()]
  for (let i = 0; i < rows.length; i += 500) {
    await db.insertInto('variant_mappings').values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.constraint('variant_mappings_match_key').doUpdateSet((eb) => ({
        supplier: eb.ref('excluded.supplier'),
        printful: eb.ref('excluded.printful'),
        printify: eb.ref('excluded.printify'),
        personalization: eb.ref('excluded.personalization'),
        placement: eb.ref('excluded.placement'),
        managed_by: eb.ref('excluded.managed_by'),
        source: eb.ref('excluded.source'),
        updated_at: sql<Date>`now()`
      })).where((eb) => options.keepOps ? eb('variant_mappings.source', '!=', 'ops') : eb.lit(true)))
      .execute()
  }
  return rows.length
}

export interface MappingPage { readonly mappings: Mapping[], readonly nextCursor: string | null }

/** Ordered by match kind and value; the cursor is the last row's (kind, value). */
export async function listMappings (db: Db, options: { supplier?: LineSupplier, limit: number, cursor?: string }): Promise<MappingPage> {
  let query = db.selectFrom('variant_mappings').selectAll().orderBy('match_kind').orderBy('match_value').limit(options.limit + 1)
  if (options.supplier) query = query.where('supplier', '=', options.supplier)
  if (options.cursor) {
    const [kind, value] = decodeCursor(options.cursor)
    query = query.where(sql<boolean>`(match_kind, match_value) > (${kind}, ${value})`)
  }
  const rows = await query.execute() as MappingRow[]
  const page = rows.slice(0, options.limit)
  const last = page.at(-1)
  return { mappings: page.map(toMapping), nextCursor: rows.length > options.limit && last ? encodeCursor(last.match_kind, last.match_value) : null }
}

export function encodeCursor (kind: string, value: string): string {
  return Buffer.from(JSON.stringify([kind, value])).toString('base64url')
}

export function decodeCursor (cursor: string): [string, string] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') return [parsed[0], parsed[1]]
  } catch { /* falls through to the refusal */ }
  throw new AppError('bad_request', 'querystring.cursor: not a cursor this API gave out (pass nextCursor back as it is)')
}

export async function deleteMapping (db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('variant_mappings').where('id', '=', id).executeTakeFirst()
  return result.numDeletedRows > 0n
}

/** What a line (or a store variant) is matched on. */
export interface MatchSubject {
  readonly variantId: string | null
  readonly sku: string | null
  readonly vendor: string | null
}

export interface MatchResult { readonly mapping: MappingRow, readonly by: 'variant' | 'sku' | 'sku prefix' | 'vendor' }

export type Matcher = (subject: MatchSubject) => MatchResult | undefined

/**
 * Loads the mappings that can match these subjects: exact ones by key, and
 * every rule (rules are few; exact mappings can be many thousands).
 */
export async function loadMatcher (db: Db | Trx, subjects: readonly MatchSubject[]): Promise<Matcher> {
  const variantIds = [...new Set(subjects.map((s) => s.variantId).filter((v): v is string => v !== null))]
  const skus = [...new Set(subjects.map((s) => s.sku?.trim()).filter((v): v is string => v !== undefined && v !== ''))]
  const rows = await db.selectFrom('variant_mappings').selectAll()
    .where((eb) => eb.or([
      eb('match_kind', 'in', ['sku_prefix', 'vendor']),
      ...(variantIds.length > 0 ? [eb.and([eb('match_kind', '=', 'variant_id'), eb('match_value', 'in', variantIds)])] : []),
      ...(skus.length > 0 ? [eb.and([eb('match_kind', '=', 'sku'), eb('match_value', 'in', skus)])] : [])
    ]))
    .execute() as MappingRow[]
  return matcherOf(rows)
}

export function matcherOf (rows: readonly MappingRow[]): Matcher {
  const byVariant = new Map<string, MappingRow>()
  const bySku = new Map<string, MappingRow>()
  const byVendor = new Map<string, MappingRow>()
  // Longest prefix first, so "TEE-ORG-" beats "TEE-".
  const prefixes = rows.filter((r) => r.match_kind === 'sku_prefix').sort((a, b) => b.match_value.length - a.match_value.length)
  for (const row of rows) {
    if (row.match_kind === 'variant_id') byVariant.set(row.match_value, row)
    if (row.match_kind === 'sku') bySku.set(row.match_value, row)
    // Vendors are names people type: matched without regard to case.
    if (row.match_kind === 'vendor') byVendor.set(row.match_value.toLowerCase(), row)
  }
  return (subject) => {
    const variant = subject.variantId ? byVariant.get(subject.variantId) : undefined
    if (variant) return { mapping: variant, by: 'variant' }
    const sku = subject.sku?.trim()
    const exact = sku ? bySku.get(sku) : undefined
    if (exact) return { mapping: exact, by: 'sku' }
    const prefix = sku ? prefixes.find((r) => sku.startsWith(r.match_value)) : undefined
    if (prefix) return { mapping: prefix, by: 'sku prefix' }
    const vendor = subject.vendor ? byVendor.get(subject.vendor.trim().toLowerCase()) : undefined
    if (vendor) return { mapping: vendor, by: 'vendor' }
    return undefined
  }
}
