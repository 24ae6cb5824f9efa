// A local HTTP receiver on loopback, standing in for Slack or any alert
// webhook: records every request and answers with the statuses it is told.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

interface TapLike { teardown (fn: () => unknown): void }

export interface Receiver {
  readonly url: string
  readonly requests: { method: string, headers: Record<string, string | string[] | undefined>, body: unknown }[]
  /** Statuses to answer with, in turn; 200 once they run out. */
  answers: number[]
}

export async function startReceiver (t: TapLike): Promise<Receiver> {
  const receiver: { url: string, requests: Receiver['requests'], answers: number[] } = { url: '', requests: [], answers: [] }
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      let body: unknown = text
      try { body = JSON.parse(text) } catch { /* kept as text */ }
      receiver.requests.push({ method: request.method ?? '', headers: request.headers, body })
      response.statusCode = receiver.answers.shift() ?? 200
      response.end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/alerts`
  t.teardown(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }))
  return receiver
}
