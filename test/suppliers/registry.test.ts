// The supplier registry: the one list of suppliers, each one folder's descriptor.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { configVariables, loadConfig } from '../../src/config.ts'
import { builtInFileProviders, builtInRegistry, builtInSuppliers, createRegistry } from '../../src/suppliers/registry.ts'

t.test('when .env.example is read, then it holds each supplier\'s and file provider\'s own lines, as its descriptor writes them', async (t) => {
  const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8')
  for (const d of [...builtInSuppliers, ...builtInFileProviders]) {
    t.ok(example.includes(d.envExample), `${d.name}'s lines`)
    for (const name of Object.keys(d.settings.shape)) t.ok(configVariables.includes(name), `${name} is composed into the config`)
  }
})

t.test('when two descriptors share a name, then the registry refuses them; an unknown name is not found', async (t) => {
  t.throws(() => createRegistry([...builtInSuppliers, builtInSuppliers[0]!]), /two suppliers share a name/)
  t.throws(() => builtInRegistry.require('acme'), { code: 'not_found', message: 'no supplier "acme" (there are printful, printify, gelato)' })
})

t.test('when no supplier is configured, then the one problem names what to set for each; Printify\'s shop id is its own problem', async (t) => {
  t.match(builtInRegistry.settingsProblems(loadConfig({}).env), ['no supplier configured: set PRINTFUL_API_TOKEN and/or PRINTIFY_API_TOKEN and PRINTIFY_SHOP_ID and/or GELATO_API_KEY'])
  t.same(builtInRegistry.settingsProblems(loadConfig({ PRINTIFY_API_TOKEN: 'x' }).env), [
    'no supplier configured: set PRINTFUL_API_TOKEN and/or PRINTIFY_API_TOKEN and PRINTIFY_SHOP_ID and/or GELATO_API_KEY',
    'PRINTIFY_SHOP_ID is not set: Printify orders cannot be created'
  ])
  t.same(builtInRegistry.settingsProblems(loadConfig({ PRINTFUL_API_TOKEN: 'x' }).env), [])
  t.equal(builtInRegistry.notConfigured('printify'), 'printify is not configured (set PRINTIFY_API_TOKEN and PRINTIFY_SHOP_ID)')
  // Gelato's webhooks are unsigned: without the fixed header's value they are refused, and its orders are only polled.
  t.same(builtInRegistry.settingsProblems(loadConfig({ GELATO_API_KEY: 'x' }).env), ['GELATO_WEBHOOK_SECRET is not set: Gelato webhooks are refused, and Gelato orders are only polled'])
})
