// The README's first command for the most common newcomer: root, a project in
// root's home folder (closed to every other user), nothing configured. The
// embedded Postgres cannot run as root and its user cannot reach ./.data, so
// the data goes to a folder that user owns, the same on every start.
import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs'
import path from 'node:path'
import t from 'tap'
import { unprivilegedUser } from '../../src/db/embedded-access.ts'
import { listeningUrl, runCli, waitForOk, type RunningCli } from '../helpers/process.ts'

const asRoot = process.getuid?.() === 0
const token = 'first-start-token-0123456789'
const env = { PORT: '0', HOST: '127.0.0.1', OPS_API_TOKEN: token }

async function startReady (project: string): Promise<{ cli: RunningCli, url: string }> {
  const cli = runCli(['start'], env, { cwd: project })
  const url = await listeningUrl(cli, 60_000)
  await waitForOk(`${url}/readyz`, 30_000, cli)
  return { cli, url }
}

function dataHome (output: string): string | undefined {
  return /the data lives in (\/var\/lib\/pod-bridge\/[^\s,]+),/.exec(output)?.[1]
}

t.test('when root starts a project under /root with nothing set, then the data lives in a folder the server user owns, and a second start finds it', { skip: asRoot ? false : 'only meaningful as root', timeout: 240_000 }, async (t) => {
  const project = mkdtempSync('/root/pod-bridge-project-')
  t.teardown(() => rmSync(project, { recursive: true, force: true }))
  t.equal(statSync(project).mode & 0o777, 0o700, 'the project folder is closed to other users')

  const first = await startReady(project)
  const home = dataHome(first.cli.output())
  t.ok(home, `the start logs where the data lives:\n${first.cli.output()}`)
  if (!home) return
  t.teardown(() => rmSync(home, { recursive: true, force: true }))
  const user = await unprivilegedUser()
  t.equal(statSync(home).uid, user.uid, `the folder belongs to the "${user.name}" user`)
  t.match(path.basename(home), new RegExp(`^${path.basename(project)}-[0-9a-f]{10}$`), 'named for the project')
  t.notOk(existsSync(path.join(project, '.data')), 'no half-made ./.data is left in the project')
  const put = await fetch(`${first.url}/v1/mappings`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ mappings: [{ match: { sku: 'FIRST-START-SKU' }, supplier: 'none' }] })
  })
  t.equal(put.status, 200, await put.text())
  first.cli.child.kill('SIGINT')
  t.equal((await first.cli.exited).code, 0)

  const second = await startReady(project)
  t.equal(dataHome(second.cli.output()), home, 'the same folder on the second start')
  t.notMatch(second.cli.output(), /initialising a new embedded Postgres cluster/)
  const list = await fetch(`${second.url}/v1/mappings`, { headers: { authorization: `Bearer ${token}` } })
  const body = await list.json() as { mappings: { match: { sku?: string } }[] }
  t.ok(body.mappings.some((m) => m.match.sku === 'FIRST-START-SKU'), 'the row written in the first run is there')
  second.cli.child.kill('SIGINT')
  t.equal((await second.cli.exited).code, 0)
})
