import t, { type Test } from 'tap'
import { loadConfig } from '../../src/config.ts'
import { registerSupplierWebhooks, type WebhooksIo } from '../../src/cli/webhooks.ts'
import { startPrintfulSimulator } from '../../src/sim/printful/index.ts'
import { startPrintifySimulator } from '../../src/sim/printify/index.ts'
import { createSuppliers } from '../../src/suppliers/index.ts'
import { printfulWebhookTypes } from '../../src/suppliers/printful/webhook-setup.ts'
import { PrintfulSupplier } from '../../src/suppliers/printful/supplier.ts'
import { printifyWebhookTopics } from '../../src/suppliers/printify/webhook-setup.ts'
import { PrintifySupplier } from '../../src/suppliers/printify/supplier.ts'
import { verifyPrintifyWebhook } from '../../src/suppliers/printify/webhook.ts'
import { draft, printifyItem, webhookReceiver } from '../fixtures/suppliers/drafts.ts'
import { runCli } from '../helpers/process.ts'

const PF_SECRET = 'pf-token-0123456789abcdef'
const PY_SECRET = 'py-secret-0123456789abcdef'

async function setup (t: Test) {
  const printful = await startPrintfulSimulator()
  t.teardown(() => printful.close())
  // Submitted with confirm straight away below: past the new order's pending moment at once.
  const printify = await startPrintifySimulator({ pendingForMs: 0 })
  t.teardown(() => printify.close())
  const env = {
    PRINTFUL_API_URL: printful.url,
    PRINTFUL_API_TOKEN: 'pf-sim-token',
    PRINTFUL_WEBHOOK_SECRET: PF_SECRET,
    PRINTIFY_API_URL: printify.url,
    PRINTIFY_API_TOKEN: 'py-sim-token',
    PRINTIFY_SHOP_ID: '5432',
    PRINTIFY_WEBHOOK_SECRET: PY_SECRET
  }
  const config = loadConfig(env)
  const { printful: pf, printify: py } = createSuppliers(config)
  if (!(pf instanceof PrintfulSupplier) || !(py instanceof PrintifySupplier)) throw new Error('both suppliers are configured')
  return { printful, printify, env, config, pf: pf.api, py: py.api }
}

function terminal (answers: boolean[] | undefined): WebhooksIo & { lines: string[], questions: string[] } {
  const lines: string[] = []
  const questions: string[] = []
  return {
    lines,
    questions,
    print: (line) => { lines.push(line) },
    error: (line) => { lines.push(`error: ${line}`) },
    confirm: answers && (async (question) => { questions.push(question); return answers.shift() ?? false })
  }
}

t.test('when Printful already has another webhook configuration, then register-suppliers shows it, refuses without a terminal or a yes, and replaces it once confirmed', async (t) => {
  const { env, config, pf, py } = await setup(t)
  await pf.setWebhooks({ url: 'https://other-tool.example/printful?token=theirs', types: ['package_shipped', 'stock_updated'] })

  const cli = runCli(['webhooks', 'register-suppliers', '--url', 'https://bridge.example'], env)
  t.equal((await cli.exited).code, 1, 'no terminal and no --yes: refused')
  t.match(cli.output(), /current: https:\/\/other-tool\.example\/printful\?token=\*\*\* receiving package_shipped, stock_updated/)
  t.match(cli.output(), /new: +https:\/\/bridge\.example\/webhooks\/printful\?token=\*\*\* receiving package_shipped/)
  t.match(cli.output(), /no terminal to confirm on: run again with --yes/)
  t.notMatch(cli.output(), new RegExp(PF_SECRET), 'the secret token is never printed')
  t.match(await pf.webhooks(), { url: 'https://other-tool.example/printful?token=theirs' }, 'Printful is unchanged')
  t.equal((await py.webhooks()).length, printifyWebhookTopics.length, 'Printify\'s topics were created all the same')

  const declined = terminal([false])
  t.equal(await registerSupplierWebhooks(config, { url: 'https://bridge.example', yes: false }, declined), 1)
  t.same(declined.questions, ['Replace Printful\'s webhook configuration? [y/N] '])
  t.match(await pf.webhooks(), { url: 'https://other-tool.example/printful?token=theirs' }, 'a "no" changes nothing')

  const accepted = terminal([true])
  t.equal(await registerSupplierWebhooks(config, { url: 'https://bridge.example', yes: false }, accepted), 0)
  t.same(await pf.webhooks(), { url: `https://bridge.example/webhooks/printful?token=${PF_SECRET}`, types: printfulWebhookTypes, params: [] })
  t.match(accepted.lines.join('\n'), new RegExp(`0 created, ${printifyWebhookTopics.length} kept`), 'Printify\'s topics are created once')
  t.equal((await py.webhooks()).length, printifyWebhookTopics.length)

  const again = terminal(undefined)
  t.equal(await registerSupplierWebhooks(config, { url: 'https://bridge.example', yes: false }, again), 0, 'nothing to replace: no question')
  t.match(again.lines.join('\n'), /Printful: kept/)
})

t.test('when --yes is given, then Printful\'s configuration is replaced without a question, and each supplier then delivers to the bridge\'s routes', async (t) => {
  const { printful, printify, config, pf, py } = await setup(t)
  const receiver = await webhookReceiver()
  t.teardown(receiver.close)
  await pf.setWebhooks({ url: 'https://other-tool.example/hook', types: ['order_created'] })
  const io = terminal([])
  t.equal(await registerSupplierWebhooks(config, { url: receiver.url, yes: true }, io), 0)
  t.same(io.questions, [])
  t.match(await pf.webhooks(), { url: `${receiver.url}/webhooks/printful?token=${PF_SECRET}`, types: printfulWebhookTypes })
  const hooks = await py.webhooks()
  t.same(hooks.map((h) => h.topic).sort(), [...printifyWebhookTopics].sort())
  t.ok(hooks.every((h) => h.url === `${receiver.url}/webhooks/printify` && /^[0-9a-f]{24}$/.test(h.id)))

  // Printify signs with the secret given at creation, and sends only the registered topics (order:created is not).
  const order = await createSuppliers(config).printify!.submit(draft({ externalId: 'pb-1-y1', items: [printifyItem('line-1', '5b05842f3921c9547531758d', '12100')] }), { confirm: true })
  await printify.control.advance(order.supplierOrderId, { to: 'shipped' })
  const fromPrintify = receiver.received.filter((r) => r.body.includes(order.supplierOrderId))
  t.ok(fromPrintify.some((r) => r.body.includes('"order:shipment:created"')))
  t.notOk(fromPrintify.some((r) => r.body.includes('"order:created"')), 'an unregistered topic is not sent')
  t.ok(fromPrintify.every((r) => verifyPrintifyWebhook(r.body, String(r.headers['x-pfy-signature']), PY_SECRET)), 'signed with PRINTIFY_WEBHOOK_SECRET')

  // Printful sends only the configured types: order_created is not among them.
  const pfOrder = await createSuppliers(config).printful!.submit(draft({ externalId: 'pb-2-f1' }), { confirm: true })
  await printful.control.advance(pfOrder.supplierOrderId, { to: 'shipped' })
  const fromPrintful = receiver.received.filter((r) => r.body.includes(`"id":${pfOrder.supplierOrderId}`))
  t.ok(fromPrintful.some((r) => r.body.includes('"package_shipped"')))
  t.notOk(fromPrintful.some((r) => r.body.includes('"order_created"')), 'an unconfigured type is not sent')
})

t.test('when PRINTFUL_WEBHOOK_SECRET is not set, then register-suppliers stops saying so', async (t) => {
  const { env } = await setup(t)
  const { PRINTFUL_WEBHOOK_SECRET: _unset, ...rest } = env
  const cli = runCli(['webhooks', 'register-suppliers', '--url', 'https://bridge.example', '--yes'], rest)
  t.equal((await cli.exited).code, 1)
  t.match(cli.output(), /PRINTFUL_WEBHOOK_SECRET is not set/)
})
