// The console in a real browser (Debian's chromium through playwright-core),
// against the real service and database.
import t from 'tap'
import { axeViolations, launchBrowser, signIn } from '../helpers/browser.ts'
import { consoleWorld, OPS_TOKEN, READ_TOKEN } from '../helpers/console-world.ts'

t.test('when signed in, then the overview\'s counts equal /v1/stats\' and the stuck order is listed; retrying it shows the result and the timeline grows', async (t) => {
  const world = await consoleWorld(t)
  const page = await (await launchBrowser(t)).newPage()
  await signIn(page, world.baseUrl, OPS_TOKEN)
  await page.getByRole('heading', { name: 'Overview' }).waitFor()
  const stats = await (await fetch(`${world.baseUrl}/v1/stats`, { headers: { authorization: `Bearer ${OPS_TOKEN}` } })).json() as { orders: { byState: Record<string, number> } }
  const shown: Record<string, number> = {}
  for (const state of Object.keys(stats.orders.byState)) shown[state] = Number(await page.locator(`[data-count="${state}"]`).textContent())
  t.same(shown, stats.orders.byState, 'every state\'s count is the API\'s')
  t.equal(shown.submitted, 1)

  const stuckTable = page.getByRole('table', { name: 'Orders past their state\'s STUCK_AFTER' })
  const row = stuckTable.getByRole('row', { name: /#2001/ })
  t.match(await row.textContent(), /submitted.*5 d.*3 d/, 'state, age and the threshold it passed')
  await row.getByRole('link', { name: '#2001' }).click()
  await page.getByRole('heading', { name: /Order #2001/ }).waitFor()
  const timeline = page.locator('#timeline > li')
  const before = await timeline.count()
  t.equal(await page.getByRole('link', { name: /11360229 \(dashboard\)/ }).getAttribute('href'), 'https://www.printful.com/dashboard?order_id=11360229')
  t.match(await page.getByRole('link', { name: /Open in the Shopify admin/ }).getAttribute('href'), /^https:\/\/pod-bridge-test\.myshopify\.com\/admin\/orders\/\d+$/)

  await page.getByRole('button', { name: 'Retry', exact: true }).click()
  const dialog = page.getByRole('dialog')
  t.match(await dialog.textContent(), /failed step is run again/, 'a confirmation step first')
  await dialog.getByRole('button', { name: 'Retry #2001' }).click()
  await dialog.getByText(/Retry requested: order\.sync \(gid:\/\/shopify\/Order\/\d+\)/).waitFor()
  await dialog.getByRole('button', { name: 'Close' }).click()
  await timeline.nth(before).waitFor()
  t.equal(await timeline.count(), before + 1, 'the timeline grew by the retry')
  t.match(await timeline.last().textContent(), /ops\.retry.*order\.sync/)
})

t.test('when an action is refused, then the dialog shows the refusal\'s reason', async (t) => {
  const world = await consoleWorld(t)
  await world.db.updateTable('orders').set({ state: 'cancelled' }).where('id', '=', world.stuck.id).execute()
  const page = await (await launchBrowser(t)).newPage()
  await signIn(page, world.baseUrl, OPS_TOKEN)
  await page.getByRole('heading', { name: 'Overview' }).waitFor()
  await page.goto(`${world.baseUrl}/console#/order/${world.stuck.id}`)
  await page.getByRole('heading', { name: /Order #2001/ }).waitFor()
  await page.getByRole('button', { name: 'Retry', exact: true }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Retry #2001' }).click()
  await page.getByRole('dialog').getByText(/Refused: order #2001 is cancelled: there is nothing to retry/).waitFor()
  t.pass('the reason is shown')
})

t.test('when the token is wrong, then sign-in says so and nothing is shown', async (t) => {
  const world = await consoleWorld(t)
  const page = await (await launchBrowser(t)).newPage()
  await signIn(page, world.baseUrl, 'not-the-token-0123456789')
  await page.getByRole('alert').filter({ hasText: 'the bearer token is not valid' }).waitFor()
  t.equal(await page.getByRole('heading', { name: 'Overview' }).count(), 0)
  t.equal(await page.evaluate('sessionStorage.length'), 0, 'the refused token is forgotten')
})

t.test('when signed in with the read-only token, then every page shows data and no action is offered', async (t) => {
  const world = await consoleWorld(t)
  const page = await (await launchBrowser(t)).newPage()
  await signIn(page, world.baseUrl, READ_TOKEN)
  await page.getByRole('heading', { name: 'Overview' }).waitFor()
  t.ok(await page.getByText('read-only').isVisible())
  t.equal(await page.getByRole('heading', { name: 'Retry orders in needs attention' }).count(), 0, 'no bulk retry')
  await page.goto(`${world.baseUrl}/console#/order/${world.stuck.id}`)
  await page.getByRole('heading', { name: /Order #2001/ }).waitFor()
  for (const name of ['Retry', 'Approve', 'Cancel']) t.equal(await page.getByRole('button', { name, exact: true }).count(), 0, `no ${name}`)
  await page.goto(`${world.baseUrl}/console#/orders`)
  await page.getByRole('table', { name: 'Orders, newest first' }).waitFor()
  t.ok(await page.getByRole('link', { name: '#2002' }).isVisible())
})

t.test('when the pages are checked by axe-core at 1280 px and on a phone, then none has a serious or critical violation', async (t) => {
  const world = await consoleWorld(t)
  const browser = await launchBrowser(t)
  for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
    const page = await browser.newPage({ viewport })
    await signIn(page, world.baseUrl, OPS_TOKEN)
    await page.getByRole('heading', { name: 'Overview' }).waitFor()
    for (const [hash, heading] of [['#/overview', 'Overview'], ['#/orders?state=needs_attention', 'Orders'], [`#/order/${world.stuck.id}`, 'Order #2001'], ['#/mappings', 'Mappings'], ['#/webhooks', 'Webhooks']] as const) {
      await page.goto(`${world.baseUrl}/console${hash}`)
      await page.getByRole('heading', { name: heading, exact: false }).first().waitFor()
      const axe = await axeViolations(page)
      t.ok(axe.passes > 10, 'axe-core ran its rules')
      t.same(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'), [], `${hash} at ${viewport.width} px`)
      if (axe.violations.length > 0) t.comment(`minor or moderate: ${axe.violations.map((v) => `${v.id} (${v.impact ?? '?'})`).join(', ')}`)
      const overflow = await page.evaluate<boolean>('document.documentElement.scrollWidth > window.innerWidth + 1')
      t.notOk(overflow, `${hash} at ${viewport.width} px needs no sideways scrolling of the page`)
    }
    await page.close()
  }
})
