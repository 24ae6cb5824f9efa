// Generated and mutated requests for the fuzz run (test/fuzz/*.test.ts, and
// bench/fuzz.ts for the long run): Shopify, Printful and Printify webhooks and
// the /v1 API, with bad headers, encodings, truncations, huge and deeply
// nested JSON, wrong types inside correctly signed bodies, ids past 2^53.
// Each case says whether it carries valid credentials (`signed`): an unsigned
// one must never leave a row behind.
import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import fc from 'fast-check'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures')
const load = (file: string): unknown => JSON.parse(readFileSync(path.join(fixtures, file), 'utf8'))

export const fuzzSecrets = {
  shop: 'pod-bridge-fuzz.myshopify.com',
  shopifySecret: 'fuzz-shopify-webhook-secret',
  printfulToken: 'fuzz-printful-url-token-0123',
  printifySecret: 'fuzz-printify-webhook-secret',
  opsToken: 'fuzz-ops-token-0123456789abcdef'
}

/** The environment the app under fuzz runs with. */
export const fuzzEnv: Record<string, string> = {
  SHOPIFY_SHOP_DOMAIN: fuzzSecrets.shop,
  SHOPIFY_WEBHOOK_SECRETS: fuzzSecrets.shopifySecret,
  PRINTFUL_WEBHOOK_SECRET: fuzzSecrets.printfulToken,
  PRINTIFY_WEBHOOK_SECRET: fuzzSecrets.printifySecret,
  OPS_API_TOKEN: fuzzSecrets.opsToken
}

export interface FuzzCase {
  readonly target: 'shopify' | 'printful' | 'printify' | 'v1'
  readonly signed: boolean
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  readonly url: string
  readonly headers: Record<string, string>
  readonly payload?: Buffer
  readonly remoteAddress: string
}

const bases = {
  shopify: [load('shopify/shopify-orders-create.sample.json'), load('shopify/shopify-orders-cancelled.sample.json')],
  printful: [load('suppliers/printful-shipment.assembled-from-schema.json')],
  printify: [load('suppliers/printify-webhook-shipment-created.sample.json')]
}

// A big id must reach the parser as a literal, not as a rounded JS number: marked, then unquoted.
const BIG = '__fuzz_big__'
const bigId = fc.bigInt({ min: 2n ** 53n, max: 2n ** 70n }).map((n) => `${BIG}${n}`)
const leaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.string(), fc.string({ unit: 'binary' }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null),
  bigId, fc.constant(''), fc.constant('\u0000'), fc.constantFrom('toString', '__proto__', 'constructor', 'valueOf'), fc.constant('9007199254740993'), fc.constant('gid://shopify/Order/99999999999999999999'),
  fc.string({ minLength: 1000, maxLength: 5000 }), fc.array(fc.integer(), { maxLength: 5 }), fc.dictionary(fc.string(), fc.integer(), { maxKeys: 3 })
)

interface Mutation { readonly at: number, readonly value: unknown, readonly remove: boolean }
const mutations = fc.array(fc.record({ at: fc.nat(), value: leaf, remove: fc.boolean() }), { minLength: 0, maxLength: 6 })

/** Replaces (or removes) some values of `base`, chosen by position in a walk of the tree. */
function mutate (base: unknown, changes: readonly Mutation[]): unknown {
  const copy = structuredClone(base)
  const slots: { parent: Record<string, unknown> | unknown[], key: string | number }[] = []
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach((child, i) => { slots.push({ parent: node, key: i }); walk(child) })
    else if (node && typeof node === 'object') for (const [key, child] of Object.entries(node)) { slots.push({ parent: node as Record<string, unknown>, key }); walk(child) }
  }
  walk(copy)
  for (const change of changes) {
    const slot = slots[change.at % Math.max(1, slots.length)]
    if (!slot) continue
    if (change.remove && !Array.isArray(slot.parent)) delete (slot.parent)[slot.key as string]
    else (slot.parent as Record<string | number, unknown>)[slot.key] = change.value
  }
  return copy
}

function serialize (value: unknown): string {
  return JSON.stringify(value).replace(new RegExp(`"${BIG}(\\d+)"`, 'g'), '$1')
}

const deepJson = fc.integer({ min: 100, max: 60_000 }).chain((depth) => fc.constantFrom(
  '['.repeat(depth) + ']'.repeat(depth),
  '{"a":'.repeat(depth) + '1' + '}'.repeat(depth),
  '['.repeat(depth) // unterminated
))

/** A body: a mutated real payload most of the time, else arbitrary JSON, deep nesting, noise or huge. */
function bodyFor (target: 'shopify' | 'printful' | 'printify'): fc.Arbitrary<string | Buffer> {
  return fc.oneof(
    { weight: 10, arbitrary: fc.tuple(fc.constantFrom(...bases[target]), mutations).map(([base, changes]) => serialize(mutate(base, changes))) },
    { weight: 2, arbitrary: fc.jsonValue({ depthSize: 'medium' }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: deepJson },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2000 }).map((bytes) => Buffer.from(bytes)) },
    { weight: 1, arbitrary: fc.constantFrom('', 'null', '[]', '{}', '"x"', '1e400', '{"id":', '\uFEFF{}') },
    { weight: 1, arbitrary: fc.integer({ min: 200_000, max: 900_000 }).map((n) => JSON.stringify({ id: 1, note: 'x'.repeat(n) })) }
  )
}

/** How the bytes are sent: as is, truncated, re-encoded, compressed (without saying so, or saying so). */
const encodings = fc.constantFrom('plain', 'plain', 'plain', 'plain', 'truncate', 'utf16', 'latin1', 'gzip', 'gzip-declared', 'bom')
function encode (body: string | Buffer, how: string, cut: number): { bytes: Buffer, headers: Record<string, string> } {
  const buffer = Buffer.isBuffer(body) ? body : Buffer.from(body)
  switch (how) {
    case 'truncate': return { bytes: buffer.subarray(0, cut % (buffer.length + 1)), headers: {} }
    case 'utf16': return { bytes: Buffer.from(buffer.toString('utf8'), 'utf16le'), headers: { 'content-type': 'application/json; charset=utf-16' } }
    case 'latin1': return { bytes: Buffer.from(buffer.toString('utf8'), 'latin1'), headers: { 'content-type': 'application/json; charset=iso-8859-1' } }
    case 'gzip': return { bytes: gzipSync(buffer), headers: {} }
    case 'gzip-declared': return { bytes: gzipSync(buffer), headers: { 'content-encoding': 'gzip' } }
    case 'bom': return { bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), buffer]), headers: {} }
    default: return { bytes: buffer, headers: {} }
  }
}

const contentType = fc.constantFrom('application/json', 'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '', 'application/json; charset=klingon')
/** Most cases come from a handful of addresses (so the failed-auth brake is met), some from many. */
const address = fc.oneof(fc.constantFrom('127.0.0.1', '10.9.8.7', '::1'), fc.ipV4(), fc.ipV6())
const junkHeaders = fc.dictionary(fc.constantFrom('x-forwarded-for', 'content-length-x', 'x-shopify-triggered-at', 'x-shopify-api-version', 'accept', 'x-request-id', 'transfer-encoding-x'), fc.string({ maxLength: 80 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')), { maxKeys: 3 })
const sign = (secret: string, bytes: Buffer, encoding: 'base64' | 'hex'): string => createHmac('sha256', secret).update(bytes).digest(encoding)

// Signing: the right secret over the exact bytes sent (signed), or one of the ways of getting it wrong.
type Signing = 'right' | 'wrong-secret' | 'missing' | 'garbage' | 'other-bytes'
const signing: fc.Arbitrary<Signing> = fc.oneof({ weight: 5, arbitrary: fc.constant('right' as const) }, { weight: 3, arbitrary: fc.constantFrom<Signing>('wrong-secret', 'missing', 'garbage', 'other-bytes') })

function webhookCase (target: 'shopify' | 'printful' | 'printify'): fc.Arbitrary<FuzzCase> {
  return fc.record({
    body: bodyFor(target), how: encodings, cut: fc.nat(), signing, contentType, address, junk: junkHeaders,
    topic: fc.oneof(fc.constantFrom('orders/create', 'orders/paid', 'orders/updated', 'orders/cancelled', 'orders/edited', 'orders/fulfilled', 'fulfillment_orders/hold_released', 'app/uninstalled', 'products/update', 'toString', '__proto__', 'constructor'), fc.string({ maxLength: 40 })),
    shop: fc.oneof({ weight: 6, arbitrary: fc.constant(fuzzSecrets.shop) }, { weight: 1, arbitrary: fc.constantFrom('other.myshopify.com', '', 'POD-BRIDGE-FUZZ.MYSHOPIFY.COM') }),
    eventId: fc.oneof(fc.uuid(), fc.constant(''), fc.string({ maxLength: 300 }), bigId.map((s) => s.slice(BIG.length))),
    gzipHeader: fc.boolean(),
    tokenShape: fc.constantFrom('one', 'one', 'one', 'twice', 'empty')
  }).map((c): FuzzCase => {
    const { bytes, headers: encodingHeaders } = encode(c.body, c.how, c.cut)
    const headers: Record<string, string> = { ...c.junk, ...(c.contentType ? { 'content-type': c.contentType } : {}), ...encodingHeaders }
    const secret = target === 'shopify' ? fuzzSecrets.shopifySecret : target === 'printify' ? fuzzSecrets.printifySecret : fuzzSecrets.printfulToken
    const signWith = c.signing === 'wrong-secret' ? `${secret}-not` : secret
    const signedBytes = c.signing === 'other-bytes' ? Buffer.concat([bytes, Buffer.from(' ')]) : bytes
    let url = `/webhooks/${target}`
    if (target === 'shopify') {
      Object.assign(headers, { 'x-shopify-topic': c.topic, 'x-shopify-shop-domain': c.shop, 'x-shopify-event-id': c.eventId, 'x-shopify-webhook-id': c.eventId })
      if (c.signing !== 'missing') headers['x-shopify-hmac-sha256'] = c.signing === 'garbage' ? c.eventId.replace(/[^\x20-\x7e]/g, '') : sign(signWith, signedBytes, 'base64')
    } else if (target === 'printify') {
      if (c.signing !== 'missing') headers['x-pfy-signature'] = c.signing === 'garbage' ? `sha256=${c.eventId.replace(/[^\x20-\x7e]/g, '')}` : `sha256=${sign(signWith, signedBytes, 'hex')}`
    } else if (c.signing !== 'missing') {
      // Printful's credential is the token in the URL; 'other-bytes' has no meaning there: a wrong token.
      const token = c.signing === 'right' ? secret : c.signing === 'garbage' ? c.eventId : `${secret}x`
      url += c.tokenShape === 'twice' ? `?token=${encodeURIComponent(token)}&token=${encodeURIComponent(token)}` : c.tokenShape === 'empty' ? '?token=' : `?token=${encodeURIComponent(token)}`
    }
    const signed = c.signing === 'right' && (target !== 'printful' || c.tokenShape === 'one')
    return { target, signed, method: 'POST', url, headers, payload: bytes, remoteAddress: c.address }
  })
}

const ref = fc.oneof(fc.uuid(), fc.constantFrom('1001', '%231001', '9007199254740993', '99999999999999999999999', 'gid%3A%2F%2Fshopify%2FOrder%2F1', '%00', '%', '..', '%2e%2e%2f'), bigId.map((s) => s.slice(BIG.length)), fc.string({ minLength: 1, maxLength: 300 }).map(encodeURIComponent))
const query = fc.dictionary(fc.constantFrom('state', 'supplier', 'stuck', 'q', 'limit', 'cursor', 'topic', 'status', 'createdAfter', 'createdBefore', 'x'), fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('-1', '0', '1e9', '9007199254740993', 'true', 'received', 'printful', '2026-13-45')), { maxKeys: 4 })
  .map((q) => Object.keys(q).length ? '?' + Object.entries(q).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&') : '')
const mappingBody = fc.oneof(
  fc.array(fc.record({ match: fc.oneof(fc.record({ sku: fc.string() }), fc.record({ variantId: fc.oneof(fc.string(), bigId) }), leaf), supplier: fc.oneof(fc.constantFrom('printful', 'printify', 'none', 'gelato'), leaf), printful: fc.oneof(fc.record({ syncVariantId: fc.oneof(fc.string(), bigId, leaf) }), leaf), printify: leaf }, { requiredKeys: ['match', 'supplier'] }), { maxLength: 5 }).map((mappings) => serialize({ mappings })),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  deepJson
)

const v1Case: fc.Arbitrary<FuzzCase> = fc.record({
  route: fc.constantFrom('GET /v1/orders', 'GET /v1/orders/:ref', 'POST /v1/orders/:ref/retry', 'POST /v1/orders/:ref/approve', 'POST /v1/orders/:ref/cancel', 'GET /v1/webhooks', 'POST /v1/webhooks/:ref/replay', 'GET /v1/mappings', 'PUT /v1/mappings', 'DELETE /v1/mappings/:ref', 'POST /v1/mappings/import/:ref', 'GET /v1/mappings/imports/:ref', 'GET /v1/mappings/unmapped', 'GET /v1/stats'),
  ref, query, body: mappingBody, contentType, address,
  auth: fc.oneof({ weight: 3, arbitrary: fc.constant('right') }, { weight: 2, arbitrary: fc.constantFrom('none', 'wrong', 'basic', 'empty', 'long') })
}).map((c): FuzzCase => {
  const [method, pattern] = c.route.split(' ') as [FuzzCase['method'], string]
  const headers: Record<string, string> = c.contentType ? { 'content-type': c.contentType } : {}
  const token = { right: `Bearer ${fuzzSecrets.opsToken}`, none: undefined, wrong: 'Bearer nope', basic: `Basic ${fuzzSecrets.opsToken}`, empty: 'Bearer ', long: `Bearer ${'x'.repeat(8000)}` }[c.auth]
  if (token) headers.authorization = token
  const hasBody = method === 'POST' || method === 'PUT'
  return {
    target: 'v1', signed: c.auth === 'right', method, url: pattern.replace(':ref', c.ref) + c.query, headers,
    ...(hasBody ? { payload: Buffer.from(c.body) } : {}), remoteAddress: c.address
  }
})

/** Every kind of case, about 60% of them correctly signed or authorised. */
export const fuzzCase: fc.Arbitrary<FuzzCase> = fc.oneof(
  { weight: 4, arbitrary: webhookCase('shopify') },
  { weight: 2, arbitrary: webhookCase('printful') },
  { weight: 2, arbitrary: webhookCase('printify') },
  { weight: 3, arbitrary: v1Case }
)
