// Open orders that need a store variant whose mapping was removed (the product
// push, src/orders/routing/removed-variants.ts), against a real database: a
// supplier order not sent yet is stopped (needs_attention, the variant and the
// fix named, the order's state refreshed); a line not routed yet gets a
// timeline note; a supplier order already at the supplier is left alone.
import t from 'tap'
import { flagOrdersForRemovedVariants } from '../../src/orders/routing/removed-variants.ts'
import { testDatabase } from '../helpers/database.ts'
import { line, order, supplierOrder } from '../helpers/factories.ts'

const gone = 'gid://shopify/ProductVariant/1005'

t.test('when a variant loses its mapping, then the held supplier order needing it goes to needs_attention, an unrouted line gets a note, and a sent one is left alone', async (t) => {
  const db = (await testDatabase(t)).db
  const held = await order(db, { state: 'held' })
  const heldLine = await line(db, held.id, { variant_id: gone, sku: 'TEE-M-BLACK', state: 'routed' })
  const heldSo = await supplierOrder(db, held.id, { supplier: 'printify', state: 'held', reason: 'waiting for approval (APPROVAL_MODE=manual)' })
  await db.insertInto('supplier_order_lines').values({ supplier_order_id: heldSo.id, order_line_id: heldLine.id, quantity: 1 }).execute()
  const unrouted = await order(db)
  await line(db, unrouted.id, { variant_id: gone, title: 'Mountain tee', state: 'pending' })
  const sent = await order(db)
  const sentLine = await line(db, sent.id, { variant_id: gone, state: 'routed' })
  const sentSo = await supplierOrder(db, sent.id, { supplier: 'printify', state: 'submitted', supplier_order_id: 'x1' })
  await db.insertInto('supplier_order_lines').values({ supplier_order_id: sentSo.id, order_line_id: sentLine.id, quantity: 1 }).execute()

  const flagged = await db.transaction().execute((trx) => flagOrdersForRemovedVariants(trx, [gone], 'variant removed at printify', 'printify'))
  t.same(flagged.sort(), [held.id, unrouted.id].sort(), 'the two orders that still need the variant')

  const stopped = await db.selectFrom('supplier_orders').select(['state', 'reason']).where('id', '=', heldSo.id).executeTakeFirstOrThrow()
  t.equal(stopped.state, 'needs_attention', 'the held supplier order will not be sent')
  t.match(stopped.reason, /^SKU TEE-M-BLACK needs store variant 1005, which lost its printify mapping \(variant removed at printify\).*map it by hand \(PUT \/v1\/mappings/)
  const heldOrder = await db.selectFrom('orders').select(['state']).where('id', '=', held.id).executeTakeFirstOrThrow()
  t.equal(heldOrder.state, 'needs_attention', 'the order\'s state follows')

  const notes = await db.selectFrom('order_events').select(['order_id', 'supplier_order_id', 'detail']).where('kind', '=', 'product.variant_removed').execute()
  t.match(notes.find((n) => n.order_id === held.id), { supplier_order_id: heldSo.id, detail: /^not sent: / })
  t.match(notes.find((n) => n.order_id === unrouted.id), { supplier_order_id: null, detail: /"Mountain tee".*lost its pushed mapping.*map it by hand/ })
  t.notOk(notes.some((n) => n.order_id === sent.id), 'nothing said on the order already at the supplier')
  t.equal((await db.selectFrom('supplier_orders').select('state').where('id', '=', sentSo.id).executeTakeFirstOrThrow()).state, 'submitted')
})
