// Runs the real CLI as a child process, the way a user or a container does.
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const cliPath = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'cli.ts')

export interface RunningCli {
  readonly child: ChildProcess
  output (): string
  exited: Promise<{ code: number | null, signal: NodeJS.Signals | null }>
}

/** The environment without the caller's pod-bridge variables, so a developer's shell cannot leak in. */
export function cleanEnv (extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(DATABASE_URL|EMBEDDED_POSTGRES|DATA_DIR|PORT|HOST|SHOPIFY_|PRINTFUL_|PRINTIFY_|CUSTOMILY_|OPS_|APPROVAL_|ROUTE_|SUPPLIER_|SHIPPING_|NOTIFY_|STUCK_|ALERT_|JOB_|LOG_LEVEL)/.test(key)) env[key] = value
  }
  return { ...env, ...extra }
}

export function runCli (args: string[], env: Record<string, string>, options: { cwd?: string } = {}): RunningCli {
  const child = spawn(process.execPath, [cliPath, ...args], { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'], ...options })
  let text = ''
  child.stdout?.on('data', (chunk: Buffer) => { text += chunk.toString() })
  child.stderr?.on('data', (chunk: Buffer) => { text += chunk.toString() })
  const exited = new Promise<{ code: number | null, signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }))
  })
  return { child, output: () => text, exited }
}

/** Waits until `url` answers 200, or fails after `timeoutMs`. */
export async function waitForOk (url: string, timeoutMs: number, cli?: RunningCli): Promise<number> {
  const started = Date.now()
  while (Date.now() - started < timeoutMs) {
    if (cli && cli.child.exitCode !== null) throw new Error(`the service exited early:\n${cli.output()}`)
    const ok = await fetch(url).then((res) => res.status === 200, () => false)
    if (ok) return Date.now() - started
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`)
}

/** The `url` the service logged when it started listening. */
export async function listeningUrl (cli: RunningCli, timeoutMs: number): Promise<string> {
  const started = Date.now()
  while (Date.now() - started < timeoutMs) {
    const match = /"url":"(http:\/\/[^"]+)"/.exec(cli.output())
    if (match?.[1]) return match[1]
    if (cli.child.exitCode !== null) throw new Error(`the service exited early:\n${cli.output()}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`the service did not start within ${timeoutMs} ms:\n${cli.output()}`)
}
