import path from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { testApp } from '../helpers/app.ts'
import { runCli } from '../helpers/process.ts'
import { SECRET, SHOP, webhookEnv } from '../helpers/shopify-webhooks.ts'

const sample = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'shopify', 'shopify-orders-cancelled.sample.json')

t.test('when send-webhook signs and posts a file, then the service accepts it and stores the exact bytes', async (t) => {
  const { app, database } = await testApp(t, { env: webhookEnv, boss: true })
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  const cli = runCli(['send-webhook', 'orders/cancelled', sample, '--url', `${url}/webhooks/shopify`], { SHOPIFY_WEBHOOK_SECRETS: SECRET, SHOPIFY_SHOP_DOMAIN: SHOP })
  t.equal((await cli.exited).code, 0, cli.output())
  t.match(cli.output(), /^200 \{"status":"accepted","id":"[0-9a-f-]{36}"\}/)
  const event = await database.db.selectFrom('webhook_events').select(['topic', 'shop']).executeTakeFirstOrThrow()
  t.same(event, { topic: 'orders/cancelled', shop: SHOP })
})

t.test('when the secret is wrong, then the refusal is printed and the exit code is 1', async (t) => {
  const { app } = await testApp(t, { env: webhookEnv, boss: true })
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  const cli = runCli(['send-webhook', 'orders/create', sample, '--url', `${url}/webhooks/shopify`], { SHOPIFY_WEBHOOK_SECRETS: 'wrong', SHOPIFY_SHOP_DOMAIN: SHOP })
  t.equal((await cli.exited).code, 1)
  t.match(cli.output(), /^401 .*does not match/)
})

t.test('when the arguments are missing, then exit 2 with the usage', async (t) => {
  const cli = runCli(['send-webhook', 'orders/create'], {})
  t.equal((await cli.exited).code, 2)
  t.match(cli.output(), /send-webhook needs a topic and a file/)
})
