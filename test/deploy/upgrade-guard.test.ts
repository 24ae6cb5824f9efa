// Safe upgrades: an older pod-bridge never runs on a database a newer one has
// migrated. Both `migrate` and `start` refuse, naming what is newer and what to do.
import t from 'tap'
import { sql } from 'kysely'
import { runCli } from '../helpers/process.ts'
import { testDatabase } from '../helpers/database.ts'

const whatToDo = /run the pod-bridge version that migrated it \(or newer\), or restore the backup taken before the upgrade/

t.test('when the migration table holds a migration this version does not know, then migrate and start refuse, naming it', async (t) => {
  const database = await testDatabase(t)
  await sql`insert into pod_bridge_migrations (name, timestamp) values ('2099-01-01T0000_from_the_future', now())`.execute(database.db)
  for (const args of [['migrate'], ['start'], ['start', '--migrate']]) {
    const cli = runCli(args, { DATABASE_URL: database.url, PORT: '0', HOST: '127.0.0.1' })
    t.equal((await cli.exited).code, 1, `${args.join(' ')} exits 1`)
    t.match(cli.output(), /pod-bridge: the database was migrated by a newer pod-bridge: migration "2099-01-01T0000_from_the_future" is not known to this version: /, args.join(' '))
    t.match(cli.output(), whatToDo)
    t.notMatch(cli.output(), /pod-bridge started/)
  }
})

t.test('when pg-boss\'s schema version is newer than ours, then migrate and start refuse, naming both versions', async (t) => {
  const database = await testDatabase(t)
  const current = await sql<{ version: number }>`select version from pgboss.version`.execute(database.db)
  const ours = Number(current.rows[0]?.version)
  await sql`update pgboss.version set version = ${ours + 1}`.execute(database.db)
  for (const args of [['migrate'], ['start']]) {
    const cli = runCli(args, { DATABASE_URL: database.url, PORT: '0', HOST: '127.0.0.1' })
    t.equal((await cli.exited).code, 1, `${args.join(' ')} exits 1`)
    t.match(cli.output(), new RegExp(`pod-bridge: the job queue schema \\(pgboss\\) is at version ${ours + 1}, newer than the ${ours} of this pod-bridge's pg-boss [\\d.]+: `), args.join(' '))
    t.match(cli.output(), whatToDo)
  }
  const after = await sql<{ version: number }>`select version from pgboss.version`.execute(database.db)
  t.equal(Number(after.rows[0]?.version), ours + 1, 'the newer schema was left alone')
})

t.test('when the database is at this version, then migrate passes the guard', async (t) => {
  const database = await testDatabase(t)
  const cli = runCli(['migrate'], { DATABASE_URL: database.url })
  t.equal((await cli.exited).code, 0, cli.output())
  t.match(cli.output(), /database schema up to date/)
})
