// GET /console: the ops console, a page and a few ES modules served from this
// folder (no CDN, no build step). The page and its assets are public; every
// piece of data comes from /v1 with the bearer token the sign-in form keeps in
// the tab's sessionStorage (no cookie, so nothing for a cross-site request to
// ride on). The security headers allow only the service itself.
import { readFileSync, readdirSync } from 'node:fs'
import type { FastifyPluginAsync } from 'fastify'
import { AppError } from '../../lib/errors.ts'

const folder = new URL('./assets/', import.meta.url)
const types: Record<string, string> = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' }

/** Read once at start: a handful of small files, and a missing one fails the start, not a user. */
function loadAssets (): Map<string, { body: Buffer, type: string }> {
  const assets = new Map<string, { body: Buffer, type: string }>()
  for (const name of readdirSync(folder)) {
    const type = types[name.split('.').pop() ?? '']
    if (type) assets.set(name, { body: readFileSync(new URL(name, folder)), type })
  }
  return assets
}

export const securityHeaders: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()'
}

export const consolePages: FastifyPluginAsync = async (app) => {
  const assets = loadAssets()
  app.addHook('onSend', async (_request, reply) => {
    for (const [name, value] of Object.entries(securityHeaders)) void reply.header(name, value)
    // Assets change with the service's version; revalidating is cheap at this size.
    void reply.header('cache-control', 'no-cache')
  })
  const send = (name: string) => {
    const asset = assets.get(name)
    if (!asset) throw new AppError('not_found', `no console asset ${name}`)
    return asset
  }
  app.get('/console', { schema: { hide: true } }, async (_request, reply) => {
    const page = send('index.html')
    return reply.type(page.type).send(page.body)
  })
  app.get<{ Params: { name: string } }>('/console/assets/:name', { schema: { hide: true } }, async (request, reply) => {
    const asset = send(request.params.name)
    return reply.type(asset.type).send(asset.body)
  })
}
