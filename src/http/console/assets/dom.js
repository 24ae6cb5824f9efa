// Small DOM helpers: text always goes in as text nodes (textContent), so
// nothing the API returns is ever parsed as markup.
export function h (tag, props = {}, ...children) {
  const el = document.createElementNS(tag === 'svg' || props.svg ? 'http://www.w3.org/2000/svg' : 'http://www.w3.org/1999/xhtml', tag)
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false || key === 'svg') continue
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value)
    else if (key === 'text') el.textContent = value
    else el.setAttribute(key, value === true ? '' : String(value))
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue
    el.append(child instanceof Node ? child : document.createTextNode(String(child)))
  }
  return el
}

export function s (tag, props = {}, ...children) {
  return h(tag, { ...props, svg: true }, ...children)
}

export function table (caption, headers, rows) {
  return h('div', { class: 'scroll', role: 'region', 'aria-label': caption, tabindex: 0 },
    h('table', {},
      h('caption', { text: caption }),
      h('thead', {}, h('tr', {}, headers.map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, rows.length === 0 ? h('tr', {}, h('td', { colspan: headers.length, text: 'none' })) : rows.map((cells) => h('tr', {}, cells.map((c) => h('td', {}, c)))))))
}

export function duration (seconds) {
  if (seconds === null || seconds === undefined) return ''
  const s = Math.max(0, Math.round(seconds))
  if (s < 120) return `${s} s`
  if (s < 7200) return `${Math.round(s / 60)} min`
  if (s < 172800) return `${Math.round(s / 3600)} h`
  return `${Math.round(s / 86400)} d`
}

export function when (iso) {
  if (!iso) return ''
  const d = new Date(iso)
  return h('time', { datetime: d.toISOString(), text: d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC' })
}

export function stateBadge (state) {
  return h('span', { class: `state state-${state}`, text: state.replace(/_/g, ' ') })
}

export function orderLink (order) {
  return h('a', { href: `#/order/${encodeURIComponent(order.id)}`, text: order.name ?? order.id })
}
