// An order reference as ops type it (DESIGN.md: `ref` is our id, the Shopify
// order id (numeric or GID), or the order name, `1001` or `#1001`).
import type { Db } from '../../db/database.ts'

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Our order id for `ref`, or undefined when no order matches. */
export async function findOrderId (db: Db, ref: string): Promise<string | undefined> {
  const text = ref.trim()
  if (uuid.test(text)) {
    const row = await db.selectFrom('orders').select('id').where('id', '=', text.toLowerCase()).executeTakeFirst()
    return row?.id
  }
  if (text.startsWith('gid://shopify/Order/')) {
    const row = await db.selectFrom('orders').select('id').where('shopify_order_id', '=', text).executeTakeFirst()
    return row?.id
  }
  const digits = /^#?(\d+)$/.exec(text)?.[1]
  const name = text.startsWith('#') ? text : `#${text}`
  // A number is an order name (#1001) or a Shopify id; the exact id wins.
  const row = await db.selectFrom('orders').select(['id', 'shopify_order_id'])
    .where((eb) => eb.or([
      eb('name', '=', name),
      ...(digits ? [eb('shopify_order_id', '=', `gid://shopify/Order/${digits}`)] : [])
    ]))
    .orderBy('created_at', 'desc')
    .execute()
  return (row.find((r) => digits && r.shopify_order_id === `gid://shopify/Order/${digits}`) ?? row[0])?.id
}
