// The Printful simulator's own refusals, reached past the client's check (a
// client that skipped it must still meet Printful's rules, suppliers.md §1.5).
import t from 'tap'
import { startPrintfulSimulator } from '../../src/sim/printful/index.ts'
import { PrintfulApi } from '../../src/suppliers/printful/client.ts'
import type { PfOrderBody } from '../../src/suppliers/printful/wire.ts'

const recipient = { name: 'Jane Doe', address1: '19749 Dearborn St', city: 'Chatsworth', state_code: 'CA', country_code: 'US', zip: '91311' }
const body = (overrides: Partial<PfOrderBody>): PfOrderBody => ({ external_id: 'pb-1-f1', recipient, items: [{ sync_variant_id: 4001, quantity: 1 }], ...overrides })

void t.test('when an order breaks a documented rule, then the simulator refuses it with Printful\'s reason', async (t) => {
  const sim = await startPrintfulSimulator()
  t.teardown(() => sim.close())
  const api = new PrintfulApi({ apiUrl: sim.url, token: 'pf-sim-token' })
  const cases: [string, PfOrderBody, RegExp][] = [
    ['an external id with a "#"', body({ external_id: '#1001' }), /External ID must be at most 32 characters/],
    ['a US address without a state', body({ recipient: { ...recipient, state_code: '' } }), /State code is missing for US/],
    ['a Brazilian address without a tax number', body({ recipient: { ...recipient, country_code: 'BR' } }), /Tax number/],
    ['an unknown shipping method', body({ shipping: 'TELEPORT' }), /OR-4 INVALID_SHIPPING_METHOD/],
    ['two files of one type', body({ items: [{ variant_id: 4011, quantity: 1, files: [{ type: 'front', url: 'https://x/a.png' }, { type: 'front', url: 'https://x/b.png' }] }] }), /OR-12/],
    ['both a sync variant and an external variant id', body({ items: [{ sync_variant_id: 4001, external_variant_id: 'sv-tee-white-s', quantity: 1 }] }), /not both/],
    ['an unknown external variant id', body({ items: [{ external_variant_id: 'nope', quantity: 1 }] }), /external id nope not found/],
    ['a quantity over 1000', body({ items: [{ sync_variant_id: 4001, quantity: 1001 }] }), /between 1 and 1000/],
    ['two items with one external id', body({ items: [{ sync_variant_id: 4001, quantity: 1, external_id: 'a' }, { sync_variant_id: 4002, quantity: 1, external_id: 'a' }] }), /unique within the order/],
    ['no items', body({ items: [] }), /Missing required parameters/]
  ]
  for (const [what, order, message] of cases) {
    await t.rejects(api.createOrder(order, { confirm: false, updateExisting: false }), { code: 'upstream_rejected', message, detail: { status: 400 } }, what)
  }
  t.equal(sim.control.orders().length, 0)
})

void t.test('when update_existing is set on a reused external id, then the draft is updated in place, not duplicated', async (t) => {
  const sim = await startPrintfulSimulator()
  t.teardown(() => sim.close())
  const api = new PrintfulApi({ apiUrl: sim.url, token: 'pf-sim-token' })
  const first = await api.createOrder(body({}), { confirm: false, updateExisting: false })
  const second = await api.createOrder(body({ items: [{ sync_variant_id: 4002, quantity: 3 }] }), { confirm: true, updateExisting: true })
  t.equal(second.id, first.id)
  t.match(second, { status: 'pending', items: [{ sync_variant_id: 4002, quantity: 3 }] })
  await t.rejects(api.createOrder(body({}), { confirm: false, updateExisting: true }), { message: /OR-1/ }, 'a confirmed order is no longer editable')
  t.equal(sim.control.orders().length, 1)
})
