// The service as separate processes, the way it is deployed: api replicas on
// fixed ports and worker replicas, each `node src/cli.ts start --role ...`,
// killed with SIGKILL and started again by the chaos run.
import net from 'node:net'
import { runCli, waitForOk, type RunningCli } from '../../test/helpers/process.ts'

export interface Replica {
  readonly role: 'api' | 'worker'
  readonly port: number
  current: RunningCli
}

export interface Fleet {
  readonly apis: readonly Replica[]
  readonly workers: readonly Replica[]
  /** SIGKILL, then start the same replica again (an api on its own port); resolves once it is ready. */
  killAndRestart (replica: Replica): Promise<void>
  /** The last lines of every replica's output, to explain a failed run. */
  tails (): string
  stop (): Promise<void>
}

export async function freePort (): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => { if (typeof address === 'object' && address) resolve(address.port); else reject(new Error('no port')) })
    })
  })
}

/** Starts the replica; a start during a Postgres crash exits early, and is tried again as a supervisor would. */
async function launch (replica: Omit<Replica, 'current'>, env: Record<string, string>): Promise<RunningCli> {
  for (let attempt = 1; ; attempt++) {
    const cli = runCli(['start', '--role', replica.role], { ...env, PORT: String(replica.port), HOST: '127.0.0.1' })
    try {
      await waitForOk(`http://127.0.0.1:${String(replica.port)}/healthz`, 60_000, cli)
      return cli
    } catch (err) {
      cli.child.kill('SIGKILL')
      if (attempt >= 10) throw err
      await new Promise((resolve) => setTimeout(resolve, 1000))
    }
  }
}

export async function startFleet (env: Record<string, string>, counts: { apis: number, workers: number }): Promise<Fleet> {
  const make = async (role: 'api' | 'worker'): Promise<Replica> => {
    const shape = { role, port: await freePort() }
    return { ...shape, current: await launch(shape, env) }
  }
  const apis = await Promise.all(Array.from({ length: counts.apis }, () => make('api')))
  const workers = await Promise.all(Array.from({ length: counts.workers }, () => make('worker')))
  const all = [...apis, ...workers]
  return {
    apis,
    workers,
    async killAndRestart (replica) {
      replica.current.child.kill('SIGKILL')
      await replica.current.exited
      replica.current = await launch(replica, env)
    },
    tails: () => all.map((r) => `--- ${r.role} :${String(r.port)}\n${r.current.output().split('\n').slice(-30).join('\n')}`).join('\n'),
    async stop () {
      await Promise.all(all.map(async (r) => {
        if (r.current.child.exitCode !== null || r.current.child.signalCode !== null) return
        r.current.child.kill('SIGTERM')
        const bound = setTimeout(() => r.current.child.kill('SIGKILL'), 25_000)
        await r.current.exited
        clearTimeout(bound)
      }))
    }
  }
}
