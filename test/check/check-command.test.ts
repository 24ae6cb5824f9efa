// `pod-bridge check` as ops run it: against the configured database, exit 0
// when nothing is broken, exit 1 naming what is.
import t from 'tap'
import { runCli } from '../helpers/process.ts'
import { testDatabase } from '../helpers/database.ts'

t.test('when the database is sound, then check says so and exits 0; when an order waits with no reason, then check names it and exits 1', async (t) => {
  const database = await testDatabase(t)
  const env = { DATABASE_URL: database.url, LOG_LEVEL: 'silent' }
  const clean = runCli(['check'], env)
  t.same(await clean.exited, { code: 0, signal: null }, clean.output())
  t.match(clean.output(), /check: no invariant is broken/)

  await database.db.insertInto('orders').values({ shop: 'a.myshopify.com', shopify_order_id: 'gid://shopify/Order/1', name: '#1001', state: 'needs_attention' }).execute()
  const broken = runCli(['check'], env)
  t.same(await broken.exited, { code: 1, signal: null }, broken.output())
  t.match(broken.output(), /state_without_reason: order #1001 is needs_attention with no reason\ncheck: 1 finding\(s\)/)
})
