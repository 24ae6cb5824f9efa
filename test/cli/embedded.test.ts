// The zero-config path a newcomer takes: no DATABASE_URL, an embedded
// Postgres under DATA_DIR. Ready within 30 s, Ctrl-C leaves no postgres
// behind, a second start reuses the data, a SIGKILLed run is recovered.
import { mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import t from 'tap'
import { runningPostmaster } from '../../src/db/embedded-orphan.ts'
import { listeningUrl, runCli, waitForOk } from '../helpers/process.ts'

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pod-bridge-embedded-'))
t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
const clusterDir = path.join(dataDir, 'postgres')
const env = { DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' }

t.test('when started with no database configured, then the embedded Postgres is initialised and /readyz answers 200', async (t) => {
  const cli = runCli(['start'], env)
  const url = await listeningUrl(cli, 30_000)
  await waitForOk(`${url}/readyz`, 30_000, cli)
  t.match(cli.output(), /initialising a new embedded Postgres cluster/)
  const postmaster = await runningPostmaster(clusterDir)
  t.ok(postmaster, 'a postmaster runs for DATA_DIR')
  cli.child.kill('SIGINT')
  t.equal((await cli.exited).code, 0)
  t.equal(await runningPostmaster(clusterDir), undefined, 'no postgres process outlives the service')
})

t.test('when started again, then the data is reused (no second initialisation)', async (t) => {
  const cli = runCli(['start'], env)
  const url = await listeningUrl(cli, 30_000)
  await waitForOk(`${url}/readyz`, 30_000, cli)
  t.notMatch(cli.output(), /initialising/)
  cli.child.kill('SIGTERM')
  t.equal((await cli.exited).code, 0)
  t.equal(await runningPostmaster(clusterDir), undefined)
})

t.test('when the service was killed with SIGKILL, then the next start stops the orphaned postmaster and recovers', async (t) => {
  const first = runCli(['start'], env)
  await listeningUrl(first, 30_000)
  const orphan = await runningPostmaster(clusterDir)
  t.ok(orphan)
  first.child.kill('SIGKILL')
  await first.exited
  t.equal(await runningPostmaster(clusterDir), orphan, 'the postmaster survived the kill')

  const second = runCli(['start'], env)
  const url = await listeningUrl(second, 30_000)
  await waitForOk(`${url}/readyz`, 30_000, second)
  t.match(second.output(), new RegExp(`stopped an embedded Postgres \\(pid ${orphan}\\) left running`))
  t.not(await runningPostmaster(clusterDir), orphan)
  second.child.kill('SIGINT')
  t.equal((await second.exited).code, 0)
  t.equal(await runningPostmaster(clusterDir), undefined)
})

t.test('when another live pod-bridge holds DATA_DIR, then a second one refuses to take it', async (t) => {
  const first = runCli(['start'], env)
  await listeningUrl(first, 30_000)
  const second = runCli(['start'], env)
  t.equal((await second.exited).code, 1)
  t.match(second.output(), /DATA_DIR .* is in use by another pod-bridge process/)
  t.equal(Number(readFileSync(path.join(dataDir, 'pod-bridge.pid'), 'utf8')), first.child.pid)
  first.child.kill('SIGINT')
  t.equal((await first.exited).code, 0)
})

t.test('when running as root with DATA_DIR where the server user cannot go, then one line says what to set', { skip: process.getuid?.() !== 0 ? 'only meaningful as root' : false }, async (t) => {
  const closed = mkdtempSync(path.join(os.tmpdir(), 'pod-bridge-closed-'))
  t.teardown(() => rmSync(closed, { recursive: true, force: true }))
  mkdirSync(path.join(closed, 'inner'))
  const { chmodSync } = await import('node:fs')
  chmodSync(closed, 0o700)
  const cli = runCli(['start'], { ...env, DATA_DIR: path.join(closed, 'inner', 'data') })
  t.equal((await cli.exited).code, 1)
  const lines = cli.output().trim().split('\n').filter((line) => line.startsWith('pod-bridge:'))
  t.equal(lines.length, 1)
  t.match(lines[0], /DATA_DIR .* cannot be reached by the "\w+" user .* set DATA_DIR to a folder it can reach, e\.g\. DATA_DIR=\/var\/lib\/pod-bridge, or set DATABASE_URL/)
})
