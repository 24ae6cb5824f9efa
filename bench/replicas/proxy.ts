// The one address the simulators deliver webhooks to, in front of the api
// replicas (the store simulator holds a single webhook URL), as a load
// balancer would be: each request goes to the next replica in turn.
import http from 'node:http'

export interface RoundRobin {
  readonly url: string
  /** Requests passed to each upstream port. */
  readonly served: ReadonlyMap<number, number>
  /** When the first request for a path starting with `prefix` came in (ms since epoch), if one has. */
  firstAt (prefix: string): number | undefined
  close (): Promise<void>
}

export async function startRoundRobin (ports: readonly number[]): Promise<RoundRobin> {
  const served = new Map<number, number>(ports.map((p) => [p, 0]))
  const firsts = new Map<string, number>()
  let next = 0
  const server = http.createServer((req, res) => {
    const port = ports[next++ % ports.length]!
    served.set(port, (served.get(port) ?? 0) + 1)
    const path = req.url ?? '/'
    const route = path.split('?')[0] ?? path
    if (!firsts.has(route)) firsts.set(route, Date.now())
    const upstream = http.request({ host: '127.0.0.1', port, method: req.method, path, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    // A replica that cannot be reached is a 502, as from a load balancer; the sender retries.
    upstream.on('error', () => { if (!res.headersSent) res.writeHead(502); res.end() })
    req.pipe(upstream)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('proxy: no TCP address')
  return {
    url: `http://127.0.0.1:${String(address.port)}`,
    served,
    firstAt (prefix) {
      const at = Math.min(...[...firsts].filter(([route]) => route.startsWith(prefix)).map(([, t]) => t))
      return Number.isFinite(at) ? at : undefined
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) })
  }
}

/** The most requests in any 60-second window starting at a request (the log's `at` timestamps). */
export function busiestMinute (timestamps: readonly string[]): number {
  const times = timestamps.map((t) => Date.parse(t)).sort((a, b) => a - b)
  let most = 0
  let end = 0
  for (let start = 0; start < times.length; start++) {
    while (end < times.length && times[end]! < times[start]! + 60_000) end++
    most = Math.max(most, end - start)
  }
  return most
}
