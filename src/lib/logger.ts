// pino options shared by the HTTP server and the workers. Addresses, emails,
// phone numbers and tokens never reach the logs (STYLE.md §8): they are
// redacted wherever they appear in a logged object, at any of these paths.
import pino, { type LoggerOptions, type Logger } from 'pino'

const personal = ['email', 'phone', 'address1', 'address2', 'zip', 'first_name', 'last_name', 'name_on_card', 'shipping_address', 'billing_address', 'customer', 'recipient', 'addresses']
const secrets = ['authorization', 'x-shopify-access-token', 'x-shopify-hmac-sha256', 'x-pfy-signature', 'token', 'access_token', 'accessToken', 'password', 'client_secret', 'clientSecret', 'apiKey']

export const redactPaths: string[] = [
  ...personal.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
  ...secrets.flatMap((key) => [`"${key}"`, `*["${key}"]`, `*.*["${key}"]`]),
  'req.headers.authorization', 'req.headers["x-shopify-access-token"]', 'req.query.token'
]

interface LoggedRequest { method?: string, url?: string, host?: string, ip?: string, socket?: { remotePort?: number } }

/**
 * Fastify's request line without the query string: a search (`/v1/orders?q=<email>`) or a
 * webhook's `?token=` would otherwise be written out whole, where no redact path can reach.
 */
function requestLine (req: LoggedRequest): Record<string, unknown> {
  return { method: req.method, url: req.url?.split('?')[0], host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort }
}

export function loggerOptions (level: string): LoggerOptions {
  return {
    level,
    redact: { paths: redactPaths, censor: '[redacted]' },
    serializers: { err: pino.stdSerializers.err, req: requestLine }
  }
}

export function createLogger (level: string): Logger {
  return pino(loggerOptions(level))
}
