// Storage that names no supplier (issue 15): the suppliers are the registry's
// (src/suppliers/registry.ts), checked at the edge, so the CHECK constraints
// listing them go; a mapping's targets become rows of their own (supplier +
// its item reference, validated by that supplier's schema when written), one
// per mapping today, an ordered list once routing rules land. Stored drafts
// keep their item reference under `ref` and the shipping method as the value
// itself, instead of under the supplier's name. Existing rows move in place.
// Like every migration, this imports no app code (STYLE.md): the two names
// below are the suppliers that existed when the columns were made.
import { sql, type Kysely } from 'kysely'

const tablesWithSupplierChecks = ['webhook_events', 'order_lines', 'supplier_orders', 'variant_mappings', 'mapping_imports']

export async function up (db: Kysely<any>): Promise<void> {
  // The constraints were made unnamed with the columns: found by what they say.
  const checks = await sql<{ table: string, name: string }>`
    select c.conrelid::regclass::text as table, c.conname as name from pg_constraint c
    where c.contype = 'c' and c.conrelid::regclass::text = any(${tablesWithSupplierChecks}) and pg_get_constraintdef(c.oid) like '%printful%'`.execute(db)
  for (const check of checks.rows) await sql`alter table ${sql.table(check.table)} drop constraint ${sql.ref(check.name)}`.execute(db)

  await db.schema.createTable('mapping_targets')
    .addColumn('mapping_id', 'uuid', (c) => c.notNull().references('variant_mappings.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('supplier', 'text', (c) => c.notNull())
    .addColumn('ref', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('mapping_targets_pkey', ['mapping_id', 'position'])
    .execute()
  await db.schema.createIndex('mapping_targets_supplier').on('mapping_targets').columns(['supplier']).execute()
  await sql`
    insert into mapping_targets (mapping_id, position, supplier, ref)
    select id, 0, supplier, case supplier when 'printful' then printful else printify end from variant_mappings
    where supplier <> 'none' and (case supplier when 'printful' then printful else printify end) is not null`.execute(db)
  await db.schema.alterTable('variant_mappings').dropColumn('printful').dropColumn('printify').dropColumn('supplier').execute()

  await sql`
    update supplier_orders so set draft = jsonb_set(
      case when so.draft->'shipping' ? so.supplier then jsonb_set(so.draft, '{shipping}', so.draft->'shipping'->so.supplier) else so.draft - 'shipping' end,
      '{items}',
      coalesce((select jsonb_agg(case when item ? so.supplier then (item - so.supplier) || jsonb_build_object('ref', item->so.supplier) else item end order by n)
        from jsonb_array_elements(so.draft->'items') with ordinality as t(item, n)), '[]'::jsonb))
    where jsonb_typeof(so.draft->'items') = 'array'`.execute(db)
}

export async function down (db: Kysely<any>): Promise<void> {
  await sql`
    update supplier_orders so set draft = jsonb_set(
      case when so.draft ? 'shipping' then jsonb_set(so.draft, '{shipping}', jsonb_build_object(so.supplier, so.draft->'shipping')) else so.draft end,
      '{items}',
      coalesce((select jsonb_agg(case when item ? 'ref' then (item - 'ref') || jsonb_build_object(so.supplier, item->'ref') else item end order by n)
        from jsonb_array_elements(so.draft->'items') with ordinality as t(item, n)), '[]'::jsonb))
    where jsonb_typeof(so.draft->'items') = 'array'`.execute(db)
  await db.schema.alterTable('variant_mappings').addColumn('supplier', 'text').addColumn('printful', 'jsonb').addColumn('printify', 'jsonb').execute()
  await sql`
    update variant_mappings m set
      supplier = coalesce((select t.supplier from mapping_targets t where t.mapping_id = m.id and t.position = 0), 'none'),
      printful = (select t.ref from mapping_targets t where t.mapping_id = m.id and t.position = 0 and t.supplier = 'printful'),
      printify = (select t.ref from mapping_targets t where t.mapping_id = m.id and t.position = 0 and t.supplier = 'printify')`.execute(db)
  await sql`alter table variant_mappings alter column supplier set not null`.execute(db)
  await db.schema.dropTable('mapping_targets').execute()
  await sql`alter table webhook_events add check (source in ('shopify','printful','printify'))`.execute(db)
  await sql`alter table order_lines add check (supplier in ('printful','printify','none'))`.execute(db)
  await sql`alter table supplier_orders add check (supplier in ('printful','printify'))`.execute(db)
  await sql`alter table variant_mappings add check (supplier in ('printful','printify','none'))`.execute(db)
  await sql`alter table mapping_imports add check (supplier in ('printful','printify'))`.execute(db)
}
