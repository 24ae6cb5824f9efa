// The console's frame: sign-in, the hash router, the live refresh (polling:
// EventSource cannot send the Authorization header) and the confirmation dialog.
import { api, forget, setToken, token, whenUnauthorized } from './api.js'
import { h } from './dom.js'
import { overviewPage } from './overview.js'
import { ordersPage } from './orders.js'
import { orderPage } from './order.js'
import { mappingsPage, webhooksPage } from './admin.js'

const REFRESH_MS = 10_000
const main = document.getElementById('main')
const nav = document.querySelector('nav')
const status = document.getElementById('status')
export const session = { access: 'read' }

const routes = [
  [/^#\/overview$/, overviewPage],
  [/^#\/orders(\?.*)?$/, ordersPage],
  [/^#\/order\/([^?]+)$/, orderPage],
  [/^#\/mappings$/, mappingsPage],
  [/^#\/webhooks(\?.*)?$/, webhooksPage]
]

function signIn (message) {
  nav.hidden = true
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'current-password', required: true, 'aria-describedby': 'token-help' })
  const form = h('form', { class: 'sign-in', onsubmit: async (event) => {
    event.preventDefault()
    setToken(input.value.trim())
    await start()
  } },
  h('h1', { text: 'Sign in' }),
  message ? h('p', { class: 'error', role: 'alert', text: message }) : null,
  h('label', { for: 'token', text: 'Ops token' }),
  input,
  h('p', { id: 'token-help', class: 'help', text: 'OPS_API_TOKEN, or OPS_READ_TOKEN to look without changing anything. Kept in this tab only.' }),
  h('button', { type: 'submit', text: 'Sign in' }))
  main.replaceChildren(form)
  input.focus()
}

whenUnauthorized((message) => signIn(`Not signed in: ${message}`))

let latest = 0

async function render ({ refresh = false } = {}) {
  // Only the newest render may draw: a slow earlier one must not replace the page navigated to since.
  const mine = ++latest
  const hash = location.hash || '#/overview'
  for (const [pattern, page] of routes) {
    const match = pattern.exec(hash)
    if (!match) continue
    const focused = document.activeElement?.id
    try {
      const view = await page(match, { refresh })
      if (!token() || mine !== latest) return
      main.replaceChildren(view)
      for (const link of nav.querySelectorAll('a')) link.toggleAttribute('aria-current', hash.startsWith(link.getAttribute('href')))
      if (focused) document.getElementById(focused)?.focus()
      else if (!refresh) main.focus({ preventScroll: true })
      status.textContent = `Updated ${new Date().toLocaleTimeString()}`
    } catch (err) {
      if (!token() || mine !== latest) return
      main.replaceChildren(h('p', { class: 'error', role: 'alert', text: err.message }))
    }
    return
  }
  location.hash = '#/overview'
}

async function start () {
  if (!token()) return signIn()
  try {
    Object.assign(session, await api('/session'))
  } catch (err) {
    if (token()) signIn(err.message)
    return
  }
  nav.hidden = false
  document.getElementById('access').textContent = session.access === 'read' ? 'read-only' : ''
  await render()
}

document.getElementById('sign-out').addEventListener('click', () => { forget(); signIn('Signed out.') })
window.addEventListener('hashchange', () => { if (token()) void render() })
// Live refresh, paused while a dialog is open or someone is typing in a field.
setInterval(() => {
  const typing = document.activeElement && ['INPUT', 'SELECT', 'TEXTAREA'].includes(document.activeElement.tagName)
  if (token() && !nav.hidden && !document.getElementById('confirm').open && !typing) void render({ refresh: true })
}, REFRESH_MS)

/**
 * One confirmation step: the dialog says what will happen; the action's result
 * or its refusal's reason is shown in the dialog, then the page is re-read.
 */
export function confirmAction ({ title, body, button, run }) {
  const dialog = document.getElementById('confirm')
  const go = document.getElementById('confirm-go')
  const result = document.getElementById('confirm-result')
  document.getElementById('confirm-title').textContent = title
  document.getElementById('confirm-body').replaceChildren(...[body].flat())
  document.getElementById('confirm-close').textContent = 'Cancel'
  result.textContent = ''
  result.className = ''
  go.textContent = button
  go.hidden = false
  go.onclick = async () => {
    go.disabled = true
    try {
      result.textContent = await run()
      result.className = 'ok'
    } catch (err) {
      result.textContent = `Refused: ${err.message}`
      result.className = 'error'
    }
    go.disabled = false
    go.hidden = true
    document.getElementById('confirm-close').textContent = 'Close'
    document.getElementById('confirm-close').focus()
  }
  dialog.onclose = () => { void render({ refresh: true }) }
  dialog.showModal()
  go.focus()
}

void start()
