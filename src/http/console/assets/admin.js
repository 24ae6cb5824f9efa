// Mappings with the unmapped report, and webhooks: recent deliveries, the
// refused ones with their reason, and replay (full token only).
import { api, ApiError, query } from './api.js'
import { h, table, when } from './dom.js'
import { confirmAction, session } from './main.js'

function ref (m) {
  return JSON.stringify(m.printful ?? m.printify ?? {})
}

export async function mappingsPage () {
  const mappings = await api('/mappings?limit=500')
  let unmapped
  try {
    unmapped = await api('/mappings/unmapped?limit=250')
  } catch (err) {
    if (!(err instanceof ApiError) || err.status === 401) throw err
    unmapped = { error: err.message }
  }
  return h('div', {},
    h('h1', { text: 'Mappings' }),
    table(`Variant mappings (${mappings.mappings.length}${mappings.nextCursor ? '+' : ''})`, ['Match', 'Supplier', 'Supplier reference', 'Personalization', 'Source', 'Updated'],
      mappings.mappings.map((m) => [Object.entries(m.match).map(([k, v]) => `${k}: ${v}`).join(', '), m.supplier, ref(m), [m.personalization, m.placement, m.managedBy && `managed by ${m.managedBy}`].filter(Boolean).join(', '), m.source, when(m.updatedAt)])),
    h('h2', { text: 'Unmapped report' }),
    unmapped.error
      ? h('p', { class: 'error', text: `Not available: ${unmapped.error}` })
      : [
          table(`Store variants no mapping routes (${unmapped.variants.length} of ${unmapped.variantsScanned} scanned)`, ['Variant', 'SKU', 'Title', 'Product', 'Vendor'],
            unmapped.variants.map((v) => [v.variantId, v.sku ?? '', v.title, v.product.title, v.product.vendor])),
          table('Lines owned by a fulfillment service', ['Service', 'Variant', 'SKU', 'Title', 'Orders', 'Last order', 'Last seen'],
            unmapped.fulfillmentServiceLines.map((l) => [l.fulfillmentService, l.variantId ?? '', l.sku ?? '', l.title ?? '', l.orders, l.lastOrder ?? '', when(l.lastSeenAt)]))
        ])
}

function replayButton (w) {
  if (session.access !== 'full') return ''
  return h('button', { type: 'button', 'aria-label': `Replay ${w.topic} of ${new Date(w.receivedAt).toISOString()}`, text: 'Replay', onclick: () => confirmAction({
    title: `Replay ${w.topic}?`,
    body: h('p', { text: 'The stored delivery goes through intake again, as a new event marked as its replay.' }),
    button: 'Replay',
    run: async () => {
      const r = await api(`/webhooks/${encodeURIComponent(w.id)}/replay`, { method: 'POST' })
      return `Replay ${r.status}${r.reason ? `: ${r.reason}` : ''}`
    }
  }) })
}

export async function webhooksPage (match) {
  const params = new URLSearchParams((match[1] ?? '').slice(1))
  const filters = { status: params.get('status'), source: params.get('source'), topic: params.get('topic'), cursor: params.get('cursor'), limit: 50 }
  const page = await api(`/webhooks${query(filters)}`)
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter webhooks', onsubmit: (event) => {
    event.preventDefault()
    const next = new URLSearchParams()
    for (const [k, v] of new FormData(form)) if (v) next.set(k, v)
    location.hash = `#/webhooks${next.size ? `?${next}` : ''}`
  } },
  h('label', { for: 'wh-status', text: 'Status' }),
  h('select', { id: 'wh-status', name: 'status' }, ['', 'received', 'processed', 'ignored', 'failed', 'redacted'].map((v) => h('option', { value: v, text: v || 'any', selected: v === (filters.status ?? '') }))),
  h('label', { for: 'wh-source', text: 'Source' }),
  h('select', { id: 'wh-source', name: 'source' }, ['', 'shopify', 'printful', 'printify'].map((v) => h('option', { value: v, text: v || 'any', selected: v === (filters.source ?? '') }))),
  h('label', { for: 'wh-topic', text: 'Topic' }),
  h('input', { id: 'wh-topic', name: 'topic', type: 'text', value: filters.topic ?? '', placeholder: 'orders/create' }),
  h('button', { type: 'submit', text: 'Apply' }))
  const next = new URLSearchParams(params)
  if (page.nextCursor) next.set('cursor', page.nextCursor)
  return h('div', {},
    h('h1', { text: 'Webhooks' }),
    h('p', {}, 'Refused deliveries: ', h('a', { href: '#/webhooks?status=failed', text: 'failed' }), ', ', h('a', { href: '#/webhooks?status=ignored', text: 'ignored' }), '.'),
    form,
    table('Recent deliveries, newest first', ['Received', 'Source', 'Topic', 'Status', 'Reason', 'Order', 'Bytes', 'Action'], page.webhooks.map((w) => [
      when(w.receivedAt), w.source, w.topic, w.status, w.error ?? (w.replayOf ? `replay of ${w.replayOf}` : ''),
      w.orderId ? h('a', { href: `#/order/${w.orderId}`, text: 'order' }) : '', w.bodyBytes, replayButton(w)])),
    page.nextCursor ? h('nav', { class: 'pages', 'aria-label': 'Pages' }, h('a', { href: `#/webhooks?${next}`, rel: 'next', text: 'Next page' })) : null)
}
