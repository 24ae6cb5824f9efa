import t from 'tap'
import { deriveOrderState, type StateInput, type StateSupplierOrder } from '../../src/orders/state/order-state.ts'

const base: StateInput = { current: 'received', currentReason: null, cancelled: false, lines: [{ state: 'routed', reason: null }], supplierOrders: [] }
const so = (overrides: Partial<StateSupplierOrder>): StateSupplierOrder => ({ supplier: 'printful', externalId: 'pb-1-f1', state: 'submitted', reason: null, supplierStatus: null, ...overrides })

t.test('when the order is cancelled, then it is cancelled whatever else holds', async (t) => {
  t.same(deriveOrderState({ ...base, cancelled: true, cancelReason: 'cancelled by ops', supplierOrders: [so({ state: 'needs_attention' })] }), { state: 'cancelled', reason: 'cancelled by ops' })
})

t.test('when a line is unroutable or a supplier order needs attention, failed or was returned, then the order needs attention with every reason', async (t) => {
  const derived = deriveOrderState({
    ...base,
    lines: [{ state: 'unroutable', reason: 'no mapping for SKU X' }, { state: 'routed', reason: null }],
    supplierOrders: [so({ state: 'needs_attention', reason: 'recipient.stateCode: missing' }), so({ supplier: 'printify', externalId: 'pb-1-y1', supplierStatus: 'failed', supplierStatusReason: 'had-issues' })]
  })
  t.same(derived, { state: 'needs_attention', reason: 'no mapping for SKU X; printful order pb-1-f1: recipient.stateCode: missing; printify order pb-1-y1 failed at printify: had-issues' })
  t.equal(deriveOrderState({ ...base, supplierOrders: [so({ supplierStatus: 'returned' })] }).state, 'needs_attention')
  t.equal(deriveOrderState({ ...base, supplierOrders: [so({ supplierStatus: 'cancelled' })] }).state, 'needs_attention')
})

t.test('when any supplier order is held, then the order is held with its reason', async (t) => {
  t.same(deriveOrderState({ ...base, supplierOrders: [so({ state: 'pending' }), so({ state: 'held', reason: 'waiting for approval' })] }), { state: 'held', reason: 'waiting for approval' })
})

t.test('when supplier orders progress, then the order shows the least advanced, or partially shipped when some shipped', async (t) => {
  const state = (...orders: Partial<StateSupplierOrder>[]) => deriveOrderState({ ...base, supplierOrders: orders.map(so) }).state
  t.equal(state({ state: 'pending' }), 'received')
  t.equal(state({ state: 'submitting' }, { supplierStatus: 'in_production' }), 'received')
  t.equal(state({ supplierStatus: 'pending' }), 'submitted')
  t.equal(state({ supplierStatus: 'on_hold' }, { supplierStatus: 'in_production' }), 'submitted')
  t.equal(state({ supplierStatus: 'in_production' }), 'in_production')
  t.equal(state({ supplierStatus: 'in_production' }, { supplierStatus: 'shipped' }), 'partially_shipped')
  t.equal(state({ supplierStatus: 'partially_shipped' }), 'partially_shipped')
  t.equal(state({ supplierStatus: 'shipped' }, { supplierStatus: 'shipped', fulfilledInShopify: true }), 'shipped')
  t.equal(state({ supplierStatus: 'shipped', fulfilledInShopify: true }), 'fulfilled')
  t.equal(state({ state: 'cancelled', supplierStatus: 'cancelled' }, { supplierStatus: 'in_production' }), 'in_production', 'a cancelled supplier order does not count')
})

t.test('when nothing was routed yet, then the state stays; when every line is skipped, then there is nothing left to do', async (t) => {
  t.same(deriveOrderState({ ...base, current: 'held', currentReason: 'created before the cut-over', lines: [{ state: 'pending', reason: null }] }), { state: 'held', reason: 'created before the cut-over' })
  t.same(deriveOrderState({ ...base, lines: [] }), { state: 'received', reason: null })
  t.same(deriveOrderState({ ...base, lines: [{ state: 'skipped', reason: 'gift card' }, { state: 'skipped', reason: 'shipped by the merchant' }] }), { state: 'fulfilled', reason: 'no line is sent to a supplier' })
})
