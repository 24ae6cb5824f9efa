// Facts recorded once in the database. The first start is the default
// cut-over for ROUTE_ORDERS_CREATED_AFTER: going live must not re-send orders
// that were placed before the bridge existed.
import { sql } from 'kysely'
import type { Db } from './db/database.ts'

export async function recordFirstStart (db: Db): Promise<Date> {
  await db.insertInto('settings')
    .values({ key: 'first_start', value: JSON.stringify(new Date().toISOString()) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute()
  const row = await db.selectFrom('settings').select(sql<string>`value #>> '{}'`.as('at')).where('key', '=', 'first_start').executeTakeFirstOrThrow()
  return new Date(row.at)
}
