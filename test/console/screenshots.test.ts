// The README's pictures of the console: the main pages in a real browser over
// a week of made-up traffic. Always taken (so the pages render with a week of
// data, not only a handful of rows); written to docs/console-*.png when
// CONSOLE_SCREENSHOTS=docs is set.
import t from 'tap'
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { launchBrowser, signIn } from '../helpers/browser.ts'
import { consoleWorld, OPS_TOKEN } from '../helpers/console-world.ts'

t.test('when the console shows a week of traffic, then each main page renders and is captured', async (t) => {
  const world = await consoleWorld(t)
  // 400 orders over 7 days, each with its way through the states, and shipments over 8 weeks.
  await sql`
    with o as (
      insert into orders (shop, shopify_order_id, name, state, created_at, shopify_created_at, state_changed_at, financial_status)
      select 'pod-bridge-test.myshopify.com', 'gid://shopify/Order/' || (500000 + g), '#' || (3000 + g),
        (array['fulfilled','fulfilled','fulfilled','shipped','in_production','submitted'])[1 + g % 6],
        now() - (g * interval '25 minutes'), now() - (g * interval '25 minutes'), now() - (g * interval '2 minutes'), 'paid'
      from generate_series(1, 400) g returning id, created_at)
    insert into order_events (order_id, at, kind, actor, detail, data)
    select o.id, o.created_at + s.after, 'order.state', 'system', s.to_state, jsonb_build_object('to', s.to_state)
    from o cross join (values (interval '10 minutes', 'submitted'), (interval '9 hours', 'in_production'), (interval '2 days', 'shipped')) s(after, to_state)
    where o.created_at + s.after < now()`.execute(world.db)
  await sql`
    with so as (
      insert into supplier_orders (order_id, supplier, external_id, state, supplier_status)
      select o.id, case when g % 3 = 0 then 'printify' else 'printful' end, 'pb-shot-' || g, 'submitted', 'shipped'
      from generate_series(1, 300) g join lateral (select id from orders where name = '#' || (3000 + g)) o on true returning id, supplier)
    insert into shipments (supplier_order_id, dedupe_key, carrier, tracking_number, shipped_at, created_at, shopify_sync_state)
    select x.id, 'k' || x.id, 'USPS', '94' || row_number() over (), x.at, x.at, 'synced'
    from (select id, now() - (random() * 56) * interval '1 day' as at from so) x`.execute(world.db)
  await sql`update orders o set shopify_created_at = s.created_at - ((case when so.supplier = 'printify' then 3 else 2 end) + random() * 4) * interval '1 day'
    from supplier_orders so join shipments s on s.supplier_order_id = so.id where so.order_id = o.id`.execute(world.db)
  const browser = await launchBrowser(t)
  const out = mkdtempSync(path.join(tmpdir(), 'console-shots-'))
  const shots = [['overview', '#/overview', 'Overview'], ['orders', '#/orders', 'Orders'], ['order', `#/order/${world.stuck.id}`, 'Order #2001'], ['webhooks', '#/webhooks', 'Webhooks']] as const
  for (const [name, hash, heading] of shots) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await signIn(page, world.baseUrl, OPS_TOKEN)
    await page.getByRole('heading', { name: 'Overview' }).waitFor()
    await page.goto(`${world.baseUrl}/console${hash}`)
    await page.getByRole('heading', { name: heading }).first().waitFor()
    const file = path.join(out, `console-${name}.png`)
    await page.screenshot({ path: file, fullPage: name === 'overview' || name === 'order' })
    t.ok(readFileSync(file).subarray(1, 4).toString() === 'PNG', `${name} captured`)
    if (process.env.CONSOLE_SCREENSHOTS === 'docs') copyFileSync(file, new URL(`../../docs/console-${name}.png`, import.meta.url))
    await page.close()
  }
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } })
  await signIn(phone, world.baseUrl, OPS_TOKEN)
  await phone.getByRole('heading', { name: 'Overview' }).waitFor()
  const file = path.join(out, 'console-phone.png')
  await phone.screenshot({ path: file })
  if (process.env.CONSOLE_SCREENSHOTS === 'docs') copyFileSync(file, new URL('../../docs/console-phone.png', import.meta.url))
  t.pass('phone captured')
})
