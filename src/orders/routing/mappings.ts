// Variant mappings: where a line goes. A line is matched by, in order, its
// Shopify variant id, its SKU, then the rules: the longest SKU prefix, then
// its vendor (DESIGN.md "Routing policy").
import { sql } from 'kysely'
import type { Db, Trx } from '../../db/database.ts'
import { AppError } from '../../lib/errors.ts'
import type { LineSupplier } from '../../db/schema.ts'
import { matchKey, toMatch, type MappingMatch, type MappingSpec, type MatchKind } from './mapping-schema.ts'

export interface MappingRow {
  readonly id: string
  readonly match_kind: MatchKind
  readonly match_value: string
  /** Its first target's supplier, or none. */
  readonly supplier: LineSupplier
  /** Its first target's item reference, in that supplier's shape. */
  readonly ref: unknown
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
  readonly ref?: unknown
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
    ...(row.ref === null || row.ref === undefined ? {} : { ref: row.ref }),
    ...(row.personalization ? { personalization: row.personalization } : {}),
    ...(row.placement ? { placement: row.placement } : {}),
    ...(row.managed_by ? { managedBy: row.managed_by } : {}),
    source: row.source,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString()
  }
}

/** Mappings with their first target (one per mapping until routing rules land). */
function selectMappings (db: Db | Trx) {
  return db.selectFrom('variant_mappings as m')
    .leftJoin('mapping_targets as t', (join) => join.onRef('t.mapping_id', '=', 'm.id').on('t.position', '=', 0))
    .select(['m.id', 'm.match_kind', 'm.match_value', 'm.personalization', 'm.placement', 'm.managed_by', 'm.source', 'm.created_at', 'm.updated_at', 't.ref'])
    .select(sql<LineSupplier>`coalesce(t.supplier, 'none')`.as('supplier'))
    .$narrowType<{ ref: unknown }>()
}

interface MappingValues {
  readonly match_kind: MatchKind
  readonly match_value: string
  readonly personalization: string | null
  readonly placement: string | null
  readonly managed_by: string | null
  readonly source: string
}

/**
 * Upserts by match (one mapping per variant id, SKU, prefix or vendor), with
 * its targets replaced. The last of duplicates in one call wins. Imports pass
 * `keepOps`: a mapping an ops person wrote is a decision, and a catalog import
 * does not overwrite it.
 */
export async function upsertMappings (db: Db | Trx, inputs: readonly MappingSpec[], source = 'ops', options: { keepOps?: boolean } = {}): Promise<number> {
  const byKey = new Map<string, { values: MappingValues, spec: MappingSpec }>()
  for (const spec of inputs) {
    const key = matchKey(spec.match)
    const values = { match_kind: key.kind, match_value: key.value, personalization: spec.personalization ?? null, placement: spec.placement ?? null, managed_by: spec.managedBy ?? null, source }
    byKey.set(`${key.kind}\u0000${key.value}`, { values, spec })
  }
  const entries = [...byKey.values()]
  for (let i = 0; i < entries.length; i += 500) {
    const chunk = entries.slice(i, i + 500)
    const written = await db.insertInto('variant_mappings').values(chunk.map((e) => e.values))
      .onConflict((oc) => oc.constraint('variant_mappings_match_key').doUpdateSet((eb) => ({
        personalization: eb.ref('excluded.personalization'),
        placement: eb.ref('excluded.placement'),
        managed_by: eb.ref('excluded.managed_by'),
        source: eb.ref('excluded.source'),
        updated_at: sql<Date>`now()`
      })).where((eb) => options.keepOps ? eb('variant_mappings.source', '!=', 'ops') : eb.lit(true)))
      .returning(['id', 'match_kind', 'match_value'])
      .execute()
    // Only the rows written (not those keepOps left alone) get their targets replaced.
    const specOf = new Map(chunk.map((e) => [`${e.values.match_kind}\u0000${e.values.match_value}`, e.spec]))
    const ids = written.map((row) => row.id)
    if (ids.length === 0) continue
    await db.deleteFrom('mapping_targets').where('mapping_id', 'in', ids).execute()
    const targets = written.flatMap((row) => {
      const spec = specOf.get(`${row.match_kind}\u0000${row.match_value}`)
      return spec && spec.supplier !== 'none' && spec.ref !== undefined ? [{ mapping_id: row.id, position: 0, supplier: spec.supplier, ref: JSON.stringify(spec.ref) }] : []
    })
    if (targets.length > 0) await db.insertInto('mapping_targets').values(targets).execute()
  }
  return entries.length
}

export interface MappingPage { readonly mappings: Mapping[], readonly nextCursor: string | null }

/** Ordered by match kind and value; the cursor is the last row's (kind, value). */
export async function listMappings (db: Db, options: { supplier?: LineSupplier, limit: number, cursor?: string }): Promise<MappingPage> {
  let query = selectMappings(db).orderBy('m.match_kind').orderBy('m.match_value').limit(options.limit + 1)
  if (options.supplier) query = query.where(sql<boolean>`coalesce(t.supplier, 'none') = ${options.supplier}`)
  if (options.cursor) {
    const [kind, value] = decodeCursor(options.cursor)
    query = query.where(sql<boolean>`(m.match_kind, m.match_value) > (${kind}, ${value})`)
  }
  const rows = await query.execute()
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
  const rows = await selectMappings(db)
    .where((eb) => eb.or([
      eb('m.match_kind', 'in', ['sku_prefix', 'vendor']),
      ...(variantIds.length > 0 ? [eb.and([eb('m.match_kind', '=', 'variant_id'), eb('m.match_value', 'in', variantIds)])] : []),
      ...(skus.length > 0 ? [eb.and([eb('m.match_kind', '=', 'sku'), eb('m.match_value', 'in', skus)])] : [])
    ]))
    .execute()
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
