// pg-boss's stately policy keeps one waiting job per singleton key, and a job
// sent without one shares a single slot with every other keyless job of its
// queue. sendJob keys every stately queue's job by what it is about, so two
// jobs about two different things are both kept, while a second one about the
// same thing still collapses into the first.
import t from 'tap'
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { sendJob } from '../../src/queue/boss.ts'
import { queues, type QueueName } from '../../src/queue/queues.ts'
import { testApp } from '../helpers/app.ts'

const payloads: Partial<Record<QueueName, () => object>> = {
  'order.sync': () => ({ shop: 'x.myshopify.com', shopifyOrderId: `gid://shopify/Order/${String(Math.floor(Math.random() * 1e9))}`, reason: 'test' }),
  'order.route': () => ({ orderId: randomUUID() }),
  'supplier.submit': () => ({ supplierOrderId: randomUUID() }),
  'supplier.sync': () => ({ supplierOrderId: randomUUID() }),
  'shopify.fulfill': () => ({ shipmentId: randomUUID() }),
  'order.cancel': () => ({ orderId: randomUUID() }),
  'privacy.redact': () => ({ webhookEventId: randomUUID() }),
  'alerts.send': () => ({ alertId: randomUUID() }),
  'mappings.import': () => ({ importId: randomUUID() }),
  'product.push': () => ({ action: 'push', supplier: 'printful', productId: randomUUID(), trigger: 'ops' })
}

t.test('when two jobs about two different things are sent without a key to a stately queue, then both wait; the same thing twice waits once', async (t) => {
  const { database, boss } = await testApp(t, { boss: true })
  const stately = Object.entries(queues).filter(([, q]) => q.options.policy === 'stately').map(([name]) => name as QueueName)
  t.same(stately.filter((name) => !payloads[name]), [], 'every stately queue is covered here')
  const later = new Date(Date.now() + 3_600_000)
  for (const name of stately) {
    const make = payloads[name]!
    const first = make()
    await sendJob(boss!, name, first as never, { startAfter: later })
    await sendJob(boss!, name, make() as never, { startAfter: later })
    await sendJob(boss!, name, first as never, { startAfter: later })
    const waiting = await sql<{ n: number }>`select count(*)::int as n from pgboss.job where name = ${name} and state = 'created'`.execute(database.db)
    t.equal(waiting.rows[0]?.n, 2, `${name}: two waiting jobs`)
  }
})
