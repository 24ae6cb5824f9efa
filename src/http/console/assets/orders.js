// Orders: the /v1/orders filters (state, supplier, stuck, created between two
// days, search by name, number, email, Shopify id or tracking number) and
// cursor pages. The filters live in the address, so a view can be shared.
import { api, query } from './api.js'
import { duration, h, orderLink, stateBadge, table, when } from './dom.js'

const STATES = ['received', 'pending_payment', 'held', 'submitted', 'in_production', 'partially_shipped', 'shipped', 'fulfilled', 'needs_attention', 'cancelled']

function select (id, label, options, value) {
  return [h('label', { for: id, text: label }), h('select', { id, name: id }, options.map(([v, text]) => h('option', { value: v, text, selected: v === (value ?? '') })))]
}

function field (id, label, type, value, extra = {}) {
  return [h('label', { for: id, text: label }), h('input', { id, name: id, type, value: value ?? '', ...extra })]
}

export async function ordersPage (match) {
  const params = new URLSearchParams((match[1] ?? '').slice(1))
  const filters = {
    state: params.get('state'), supplier: params.get('supplier'), stuck: params.get('stuck'), q: params.get('q'),
    createdAfter: params.get('from') ? `${params.get('from')}T00:00:00Z` : undefined,
    createdBefore: params.get('to') ? new Date(Date.parse(`${params.get('to')}T00:00:00Z`) + 86_400_000).toISOString() : undefined,
    cursor: params.get('cursor'), limit: 50
  }
  const page = await api(`/orders${query(filters)}`)
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter orders', onsubmit: (event) => {
    event.preventDefault()
    const next = new URLSearchParams()
    for (const [k, v] of new FormData(form)) if (v) next.set(k, v)
    location.hash = `#/orders${next.size ? `?${next}` : ''}`
  } },
  select('state', 'State', [['', 'any'], ...STATES.map((s) => [s, s.replace(/_/g, ' ')])], filters.state),
  select('supplier', 'Supplier', [['', 'any'], ['printful', 'printful'], ['printify', 'printify'], ['none', 'none (merchant ships)']], filters.supplier),
  select('stuck', 'Stuck', [['', 'either'], ['true', 'stuck only'], ['false', 'not stuck']], filters.stuck),
  field('from', 'Created from', 'date', params.get('from')),
  field('to', 'Created to', 'date', params.get('to')),
  field('q', 'Search', 'search', filters.q, { placeholder: '#1001, email, Shopify id, tracking' }),
  h('button', { type: 'submit', text: 'Apply' }))
  const base = new URLSearchParams(params)
  base.delete('cursor')
  const nextParams = new URLSearchParams(base)
  if (page.nextCursor) nextParams.set('cursor', page.nextCursor)
  return h('div', {},
    h('h1', { text: 'Orders' }),
    form,
    table('Orders, newest first', ['Order', 'State', 'Reason', 'Stuck for', 'Created', 'Payment'], page.orders.map((o) => [
      orderLink(o), stateBadge(o.state), o.stateReason ?? '', o.stuck ? duration(o.stuckForSeconds) : '', when(o.createdAt), o.financialStatus ?? ''
    ])),
    h('nav', { class: 'pages', 'aria-label': 'Pages' },
      params.get('cursor') ? h('a', { href: `#/orders${base.size ? `?${base}` : ''}`, text: 'First page' }) : null,
      page.nextCursor ? h('a', { href: `#/orders?${nextParams}`, rel: 'next', text: 'Next page' }) : null))
}
