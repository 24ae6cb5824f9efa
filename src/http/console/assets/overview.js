// Overview: counts per state (the same numbers as /v1/stats), the stuck list,
// supplier budgets and circuits, webhook subscription health, the last
// reconciliation, queue depths, the two pictures, and bulk retry.
import { api, query } from './api.js'
import { duration, h, orderLink, stateBadge, table, when } from './dom.js'
import { entriesChart, shipTimesChart } from './charts.js'
import { confirmAction, session } from './main.js'

function counts (stats) {
  return h('section', { 'aria-labelledby': 'counts-title' },
    h('h2', { id: 'counts-title', text: `Orders by state (${stats.orders.total} in all)` }),
    h('ul', { class: 'counts' }, Object.entries(stats.orders.byState).map(([state, n]) =>
      h('li', {}, h('a', { href: `#/orders?state=${state}`, 'data-state': state },
        h('span', { class: 'n', 'data-count': state, text: n }), ' ', stateBadge(state))))))
}

function stuckList (overview) {
  return h('section', { 'aria-labelledby': 'stuck-title' },
    h('h2', { id: 'stuck-title', text: 'Stuck orders (oldest first)' }),
    h('p', {}, h('a', { href: '#/orders?stuck=true', text: 'All stuck orders' }), ' · ', h('a', { href: '#/orders?state=needs_attention', text: 'All orders needing attention' })),
    table('Orders past their state\'s STUCK_AFTER', ['Order', 'State', 'In state for', 'Threshold', 'Reason'],
      overview.stuck.map((o) => [orderLink(o), stateBadge(o.state), duration(o.ageSeconds), duration(o.thresholdSeconds), o.reason ?? ''])))
}

function suppliers (stats) {
  return h('section', { 'aria-labelledby': 'suppliers-title' },
    h('h2', { id: 'suppliers-title', text: 'Suppliers' }),
    table('Supplier budgets and circuits', ['Supplier', 'Budget', 'Circuit', 'Last error'], stats.suppliers.map((s) => [
      s.name,
      s.budget.tracked ? `${Math.floor(s.budget.tokens)} of ${s.budget.capacity} requests (${s.budget.perMinute}/min)` : s.budget.note,
      s.circuit.tracked ? (s.circuit.state === 'open' ? h('span', { class: 'bad', text: `open until ${new Date(s.circuit.until).toISOString().slice(11, 19)} UTC: ${s.circuit.reason ?? ''}` }) : 'closed') : s.circuit.note,
      s.lastError ? [when(s.lastError.at), ' ', s.lastError.message] : ''
    ])))
}

function health (stats, overview) {
  const subs = stats.webhookSubscriptions
  return h('section', { 'aria-labelledby': 'health-title' },
    h('h2', { id: 'health-title', text: 'Webhooks and reconciliation' }),
    h('dl', {},
      h('dt', { text: 'Shopify webhook subscriptions' }),
      h('dd', {}, subs
        ? [h('span', { class: subs.status === 'ok' ? 'good' : 'bad', text: subs.status }), ` (checked `, when(subs.checkedAt), ')', subs.missing.length ? ` missing: ${subs.missing.join(', ')}` : '', subs.error ? ` error: ${subs.error}` : '']
        : 'not checked yet'),
      h('dt', { text: 'Last reconciliation with Shopify' }),
      h('dd', {}, overview.reconciliation ? ['ran ', when(overview.reconciliation.ranAt), ', read up to ', when(overview.reconciliation.through)] : 'not run yet')),
    table('Job queues', ['Queue', 'Ready', 'Deferred', 'Retry', 'Active', 'Failed'], stats.queues.map((q) => [q.name, q.queued, q.deferred, q.retry, q.active, q.failed])))
}

function bulkRetry () {
  if (session.access !== 'full') return null
  const supplier = h('select', { id: 'bulk-supplier', name: 'supplier' }, h('option', { value: '', text: 'any supplier' }), h('option', { value: 'printful', text: 'printful' }), h('option', { value: 'printify', text: 'printify' }))
  const reason = h('input', { id: 'bulk-reason', name: 'reason', type: 'text', placeholder: 'e.g. 503' })
  return h('section', { 'aria-labelledby': 'bulk-title' },
    h('h2', { id: 'bulk-title', text: 'Retry orders in needs attention' }),
    h('form', { class: 'inline', onsubmit: async (event) => {
      event.preventDefault()
      const filter = { supplier: supplier.value || undefined, reason: reason.value.trim() || undefined }
      const { count, limit } = await api(`/orders/needs-attention/count${query(filter)}`)
      confirmAction({
        title: 'Retry orders in needs attention',
        body: h('p', { text: count === 0 ? 'No order matches.' : `${count} order(s) match${count > limit ? `; the oldest ${limit} are retried now (ask again for the rest)` : ''}.` }),
        button: `Retry ${Math.min(count, limit)} order(s)`,
        run: async () => {
          const r = await api('/orders/retry', { method: 'POST', body: filter })
          return `Retried ${r.retried} of ${r.matched}.${r.refused.length ? ` Refused: ${r.refused.map((x) => `${x.orderId}: ${x.reason}`).join('; ')}` : ''}`
        }
      })
    } },
    h('label', { for: 'bulk-supplier', text: 'Supplier' }), supplier,
    h('label', { for: 'bulk-reason', text: 'Reason contains' }), reason,
    h('button', { type: 'submit', text: 'Count and retry…' })))
}

export async function overviewPage () {
  const [stats, overview, entries, ship] = await Promise.all([api('/stats'), api('/overview?limit=20'), api('/stats/state-entries'), api('/stats/ship-times')])
  return h('div', {},
    h('h1', { text: 'Overview' }),
    counts(stats),
    stuckList(overview),
    bulkRetry(),
    h('section', { 'aria-labelledby': 'pictures-title' },
      h('h2', { id: 'pictures-title', text: 'Pictures' }),
      entriesChart(entries.hours),
      shipTimesChart(ship.weeks)),
    suppliers(stats),
    health(stats, overview))
}
