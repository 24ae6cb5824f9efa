// What can be proven about the Docker image and compose file without a Docker
// engine: every variable they pass is one the config knows, the volume path
// the postgres:18 image needs, and the commands they run work from a clean
// checkout (the same build, migrate and start, run here on the compiled code).
import { execFileSync, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { parse } from 'yaml'
import { configVariables } from '../../src/config.ts'
import { testDatabase } from '../helpers/database.ts'
import { cleanEnv, listeningUrl, waitForOk, type RunningCli } from '../helpers/process.ts'

// The image test compiles the whole project (tsc) and runs it: 27-71 s in CI, and once over tap's
// 120 s per file while CI ran two files at once. The steps below are timed and bounded themselves.
t.setTimeout(300_000)

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const read = (file: string): string => readFileSync(path.join(root, file), 'utf8')
const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string>, bin: Record<string, string> }

interface ComposeService { image?: string, command?: string[], environment?: Record<string, string>, env_file?: string, volumes?: string[], depends_on?: Record<string, { condition: string }>, healthcheck?: unknown, ports?: string[] }
const compose = parse(read('docker-compose.yml')) as { services: Record<string, ComposeService>, volumes: Record<string, unknown> }

t.test('when compose passes variables to pod-bridge, then every one is a variable the config knows', async (t) => {
  for (const name of ['migrate', 'app']) {
    const service = compose.services[name]!
    t.equal(service.env_file, '.env', `${name} reads .env`)
    for (const variable of Object.keys(service.environment ?? {})) t.ok(configVariables.includes(variable), `${name}: ${variable} is a config variable`)
  }
})

t.test('when compose runs Postgres, then it is postgres:18 with a health check and a named volume at /var/lib/postgresql', async (t) => {
  const postgres = compose.services.postgres!
  t.equal(postgres.image, 'postgres:18')
  t.ok(postgres.healthcheck)
  t.same(postgres.volumes, ['pgdata:/var/lib/postgresql'])
  t.ok('pgdata' in compose.volumes)
  t.same(compose.services.app!.depends_on, { postgres: { condition: 'service_healthy' }, migrate: { condition: 'service_completed_successfully' } })
  t.same(compose.services.app!.ports, ['8080:8080'])
})

t.test('when compose and the Dockerfile run commands, then each is a pod-bridge command or an npm script that exists', async (t) => {
  const dockerfile = read('Dockerfile')
  for (const match of dockerfile.matchAll(/npm run (\S+)/g)) t.ok(pkg.scripts[match[1]!], `npm run ${match[1]!} exists`)
  t.equal(pkg.bin['pod-bridge'], 'dist/src/cli.js')
  t.match(dockerfile, /ln -s \/app\/dist\/src\/cli\.js \/usr\/local\/bin\/pod-bridge/)
  t.match(dockerfile, /^CMD \["pod-bridge", "start"\]$/m)
  t.match(dockerfile, /^USER node$/m, 'runs as a non-root user')
  t.match(dockerfile, /^FROM node:24-slim AS build$/m)
  t.match(dockerfile, /HEALTHCHECK[\s\S]*\/healthz/)
  for (const match of dockerfile.matchAll(/^ENV ([\s\S]*?)(?=\n\S)/gm)) {
    for (const pair of match[1]!.matchAll(/([A-Z_]+)=/g)) t.ok(configVariables.includes(pair[1]!), `Dockerfile ENV ${pair[1]!} is a config variable`)
  }
  t.match(dockerfile, /EMBEDDED_POSTGRES=off/)
  const commands = Object.values(compose.services).flatMap((s) => s.command ? [s.command] : [])
  t.same(commands, [['pod-bridge', 'migrate'], ['pod-bridge', 'start', '--role', 'all']])
})

t.test('when .env.example is read, then it documents every variable and only those', async (t) => {
  const example = read('.env.example')
  const named = new Set([...example.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!))
  for (const name of configVariables) t.ok(named.has(name), `${name} is in .env.example`)
  for (const name of named) t.ok(configVariables.includes(name), `${name} in .env.example is a config variable`)
})

function runCompiled (args: string[], env: Record<string, string>): RunningCli {
  const child = spawn(process.execPath, [path.join(root, 'dist', 'src', 'cli.js'), ...args], { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
  let text = ''
  child.stdout.on('data', (chunk: Buffer) => { text += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { text += chunk.toString() })
  const exited = new Promise<{ code: number | null, signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
  return { child, output: () => text, exited }
}

t.test('when the image\'s build, migrate and start commands run on the compiled code, then the service becomes ready', async (t) => {
  const started = Date.now()
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'pipe', timeout: 180_000 })
  t.comment(`npm run build took ${Date.now() - started} ms`)
  const imageEnv = { EMBEDDED_POSTGRES: 'off', HOST: '127.0.0.1', PORT: '0' }

  const refused = runCompiled(['start'], imageEnv)
  t.equal((await exitWithin(refused, 30_000, 'start without a database')).code, 1)
  t.match(refused.output(), /DATABASE_URL is required when EMBEDDED_POSTGRES=off/)

  const database = await testDatabase(t, { empty: true })
  const migrate = runCompiled(['migrate'], { ...imageEnv, DATABASE_URL: database.url })
  t.equal((await exitWithin(migrate, 60_000, 'migrate')).code, 0, migrate.output())
  const app = runCompiled(['start', '--role', 'all'], { ...imageEnv, DATABASE_URL: database.url })
  const url = await listeningUrl(app, 20_000)
  await waitForOk(`${url}/readyz`, 10_000, app)
  app.child.kill('SIGTERM')
  t.equal((await exitWithin(app, 30_000, 'start after SIGTERM')).code, 0)
})

/** The process's exit, or (killed after `ms`) an error carrying what it printed. */
async function exitWithin (cli: RunningCli, ms: number, what: string): Promise<{ code: number | null }> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      cli.child.kill('SIGKILL')
      reject(new Error(`${what} did not exit within ${ms} ms; it printed:\n${cli.output()}`))
    }, ms)
  })
  try {
    return await Promise.race([cli.exited, late])
  } finally {
    clearTimeout(timer)
  }
}
