import t from 'tap'
import { runCli } from '../helpers/process.ts'

t.test('when PORT=abc, then start exits 1 with one line naming PORT and no stack trace', async (t) => {
  const cli = runCli(['start'], { PORT: 'abc' })
  const { code } = await cli.exited
  t.equal(code, 1)
  t.equal(cli.output(), 'pod-bridge: configuration error: PORT must be a port number (0-65535; 0 picks a free one)\n')
})

t.test('when a secret variable is malformed, then its value is not printed', async (t) => {
  const cli = runCli(['start'], { DATABASE_URL: 'mysql://root:hunter2@db/x' })
  t.equal((await cli.exited).code, 1)
  t.notMatch(cli.output(), 'hunter2')
  t.match(cli.output(), /DATABASE_URL must be a postgres:\/\/ URL/)
})

t.test('when the command or a flag is unknown, then exit 2 with the usage', async (t) => {
  const unknown = runCli(['launch'], {})
  t.equal((await unknown.exited).code, 2)
  t.match(unknown.output(), /unknown command "launch"[\s\S]*Usage: pod-bridge/)
  const badRole = runCli(['start', '--role', 'cook'], {})
  t.equal((await badRole.exited).code, 2)
  t.match(badRole.output(), /--role must be all, api or worker/)
})

t.test('when help is asked, then the usage is printed', async (t) => {
  const cli = runCli(['help'], {})
  t.equal((await cli.exited).code, 0)
  t.match(cli.output(), /start \[--role all\|api\|worker\] \[--migrate\]/)
})
