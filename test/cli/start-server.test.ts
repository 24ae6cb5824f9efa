// The service as a process against a Postgres server (TEST_DATABASE_URL or
// the run's embedded one): refusing an unmigrated database, --migrate,
// the roles, and a clean stop on SIGTERM.
import t from 'tap'
import { listeningUrl, runCli, waitForOk } from '../helpers/process.ts'
import { testDatabase } from '../helpers/database.ts'

t.test('when the database is not migrated, then start refuses with one line saying what to run', async (t) => {
  const database = await testDatabase(t, { empty: true })
  const cli = runCli(['start'], { DATABASE_URL: database.url, PORT: '0' })
  t.equal((await cli.exited).code, 1)
  t.match(cli.output(), /pod-bridge: the database is not migrated \(migrations not applied: .*\): run "pod-bridge migrate" first, or start with --migrate\n$/)
})

t.test('when migrate runs, then start serves /readyz; SIGTERM stops it with exit 0', async (t) => {
  const database = await testDatabase(t, { empty: true })
  const migrate = runCli(['migrate'], { DATABASE_URL: database.url })
  t.equal((await migrate.exited).code, 0, migrate.output())
  const cli = runCli(['start'], { DATABASE_URL: database.url, PORT: '0', HOST: '127.0.0.1' })
  const url = await listeningUrl(cli, 20_000)
  await waitForOk(`${url}/readyz`, 10_000, cli)
  const ready = await (await fetch(`${url}/readyz`)).json() as { checks: { workers: string } }
  t.match(ready.checks.workers, /^running/)
  cli.child.kill('SIGTERM')
  t.same(await cli.exited, { code: 0, signal: null })
  t.match(cli.output(), /"msg":"stopped"/)
})

t.test('when started with --role api --migrate, then it migrates, serves HTTP and runs no workers', async (t) => {
  const database = await testDatabase(t, { empty: true })
  const cli = runCli(['start', '--role', 'api', '--migrate'], { DATABASE_URL: database.url, PORT: '0', HOST: '127.0.0.1' })
  const url = await listeningUrl(cli, 20_000)
  const ready = await (await fetch(`${url}/readyz`)).json() as { ready: boolean, checks: { workers: string } }
  t.equal(ready.ready, true)
  t.match(ready.checks.workers, /not run by this replica/)
  cli.child.kill('SIGINT')
  t.equal((await cli.exited).code, 0)
})

t.test('when started with --role worker, then only health routes are served', async (t) => {
  const database = await testDatabase(t)
  const cli = runCli(['start', '--role', 'worker'], { DATABASE_URL: database.url, PORT: '0', HOST: '127.0.0.1', OPS_API_TOKEN: 'x'.repeat(20) })
  const url = await listeningUrl(cli, 20_000)
  t.equal((await fetch(`${url}/healthz`)).status, 200)
  t.equal((await fetch(`${url}/v1/stats`)).status, 404)
  cli.child.kill('SIGTERM')
  t.equal((await cli.exited).code, 0)
})
