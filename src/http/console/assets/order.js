// One order's whole story: lines, supplier orders, shipments with tracking
// links, the timeline (the same rows as `pod-bridge orders show`), links to the
// Shopify admin and the suppliers' dashboards, and its actions, each behind a
// confirmation that shows the result or the refusal's reason.
import { api } from './api.js'
import { h, stateBadge, table, when } from './dom.js'
import { confirmAction, session } from './main.js'

const ACTIONS = [
  ['retry', 'Retry', 'The failed step is run again (submission, supplier read, Shopify write-back or routing).'],
  ['approve', 'Approve', 'A held order is sent to its suppliers.'],
  ['cancel', 'Cancel', 'The supplier orders are cancelled where the suppliers still allow it; nothing is refunded in Shopify.']
]

function describe (action, r) {
  if (action === 'retry') return `Retry requested: ${r.retried.map((s) => `${s.job} (${s.target})`).join(', ') || 'nothing to do'}.`
  if (action === 'approve') return `Approved: ${r.result}; order is ${r.state}.`
  return `Order is ${r.order.state}. ${r.supplierOrders.map((so) => `${so.externalId}: ${so.outcome}${so.reason ? ` (${so.reason})` : ''}`).join('; ')}`
}

function actions (order, ref) {
  if (session.access !== 'full') return null
  return h('section', { 'aria-labelledby': 'actions-title' },
    h('h2', { id: 'actions-title', text: 'Actions' }),
    h('div', { class: 'buttons' }, ACTIONS.map(([action, label, what]) => h('button', { type: 'button', id: `action-${action}`, class: action === 'cancel' ? 'danger' : null, onclick: () => confirmAction({
      title: `${label} order ${order.name ?? order.id}?`,
      body: h('p', { text: what }),
      button: `${label} ${order.name ?? ''}`.trim(),
      run: async () => describe(action, await api(`/orders/${encodeURIComponent(ref)}/${action}`, { method: 'POST', body: {} }))
    }), text: label }))))
}

export async function orderPage (match) {
  const ref = decodeURIComponent(match[1])
  const [detail, links] = await Promise.all([api(`/orders/${encodeURIComponent(ref)}`), api(`/orders/${encodeURIComponent(ref)}/links`)])
  const { order } = detail
  const supplierLink = (so) => links.suppliers.find((l) => l.externalId === so.externalId)?.url
  return h('div', {},
    h('h1', {}, `Order ${order.name ?? order.id} `, stateBadge(order.state)),
    order.stateReason ? h('p', { class: 'reason', text: order.stateReason }) : null,
    h('dl', { class: 'facts' },
      h('dt', { text: 'Created' }), h('dd', {}, when(order.createdAt)),
      h('dt', { text: 'In this state since' }), h('dd', {}, when(order.stateChangedAt), order.stuck ? h('strong', { class: 'bad', text: ' (stuck)' }) : ''),
      h('dt', { text: 'Payment' }), h('dd', { text: `${order.financialStatus ?? 'unknown'}${order.test ? ' (test order)' : ''}` }),
      h('dt', { text: 'Shopify' }), h('dd', {}, links.shopifyAdmin ? h('a', { href: links.shopifyAdmin, target: '_blank', rel: 'noopener noreferrer', text: `Open in the Shopify admin (${order.shopifyOrderId})` }) : order.shopifyOrderId)),
    actions(order, order.id),
    table('Lines', ['SKU', 'Title', 'Qty', 'Supplier', 'State', 'Reason'], detail.lines.map((l) => [l.sku ?? '', l.title ?? '', l.quantity, l.supplier ?? '', l.state, l.reason ?? ''])),
    table('Supplier orders', ['Supplier', 'Our id', 'Their id', 'State', 'Their status', 'Reason or last error'], detail.supplierOrders.map((so) => [
      so.supplier, so.externalId,
      supplierLink(so) ? h('a', { href: supplierLink(so), target: '_blank', rel: 'noopener noreferrer', text: `${so.supplierOrderId} (dashboard)` }) : (so.supplierOrderId ?? ''),
      so.state, so.supplierStatus ?? '', so.reason ?? so.lastError ?? ''])),
    table('Shipments', ['Supplier', 'Carrier', 'Tracking', 'Shipped', 'Delivered', 'In Shopify'], detail.shipments.map((s) => [
      s.supplier, s.carrier ?? '',
      s.trackingUrl ? h('a', { href: s.trackingUrl, target: '_blank', rel: 'noopener noreferrer', text: s.trackingNumber ?? 'tracking' }) : (s.trackingNumber ?? ''),
      when(s.shippedAt), when(s.deliveredAt), `${s.shopifySyncState}${s.shopifyFulfillmentIds.length ? ` (${s.shopifyFulfillmentIds.length})` : ''}`])),
    h('section', { 'aria-labelledby': 'timeline-title' },
      h('h2', { id: 'timeline-title', text: `Timeline (${detail.timeline.length})` }),
      h('ol', { class: 'timeline', id: 'timeline' }, detail.timeline.map((e) => h('li', {},
        when(e.at), ' ', h('code', { text: e.kind }), ` by ${e.actor}`, e.detail ? `: ${e.detail}` : '', e.error ? h('span', { class: 'bad', text: ` (${e.error})` }) : '')))))
}
