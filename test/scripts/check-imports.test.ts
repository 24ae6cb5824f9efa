// The import-direction check (scripts/check-imports.ts) on small trees it is
// given, and on src/ itself.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import t from 'tap'
import { checkImports, report } from '../../scripts/check-imports.ts'

const script = path.join(import.meta.dirname, '..', '..', 'scripts', 'check-imports.ts')

function tree (files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'check-imports-'))
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true })
    writeFileSync(path.join(root, file), text)
  }
  t.teardown(() => rmSync(root, { recursive: true, force: true }))
  return root
}

t.test('when folders import in one direction only, then nothing is reported and the script exits 0', async (t) => {
  const root = tree({
    'app.ts': "import { a } from './http/a.ts'\nimport { config } from './config.ts'\n",
    'config.ts': 'export const config = 1\n',
    'http/a.ts': "import { b } from '../orders/b.ts'\nimport { config } from '../config.ts'\nexport const a = b\n",
    'orders/b.ts': "import type { C } from '../db/c.ts'\nexport const b = 1\n",
    'db/c.ts': 'export type C = number\n'
  })
  t.same(report(checkImports(root)), [])
  const run = spawnSync(process.execPath, [script, root], { encoding: 'utf8' })
  t.equal(run.status, 0, run.stderr)
})

t.test('when two folders import each other, then the cycle is reported with the files that make it', async (t) => {
  const root = tree({
    'jobs/handlers.ts': "import { sync } from '../orders/sync.ts'\nexport type Deps = { db: unknown }\n",
    'orders/sync.ts': "import { sendJob } from '../jobs/boss.ts'\nexport const sync = sendJob\n",
    'jobs/boss.ts': 'export const sendJob = 1\n',
    'lib/ok.ts': "export const x = await import('../db/y.ts')\n",
    'db/y.ts': 'export const y = 1\n'
  })
  const lines = report(checkImports(root))
  t.match(lines[0], /^cycle between folders jobs, orders:/)
  t.ok(lines.includes('  jobs → orders: jobs/handlers.ts imports orders/sync.ts'))
  t.ok(lines.includes('  orders → jobs: orders/sync.ts imports jobs/boss.ts'))
  t.notOk(lines.some((line) => line.includes('lib')), 'a one-way dynamic import is no cycle')
  const run = spawnSync(process.execPath, [script, root], { encoding: 'utf8' })
  t.equal(run.status, 1)
  t.match(run.stderr, /jobs\/handlers\.ts imports orders\/sync\.ts/)
})

t.test('when a folder imports its own parent, which imports it, then that is a cycle too', async (t) => {
  const root = tree({
    'jobs/workers.ts': "import { h } from './handlers/route.ts'\nexport type WorkerDeps = object\nexport const w = h\n",
    'jobs/handlers/route.ts': "import type { WorkerDeps } from '../workers.ts'\nexport const h = 1\n"
  })
  t.match(report(checkImports(root))[0], /^cycle between folders jobs, jobs\/handlers:/)
})

t.test('when a folder holds more than 15 files directly, then it is named with its count', async (t) => {
  const files: Record<string, string> = {}
  for (let i = 0; i < 16; i++) files[`orders/f${i}.ts`] = 'export {}\n'
  for (let i = 0; i < 15; i++) files[`orders/stage/g${i}.ts`] = 'export {}\n'
  t.same(report(checkImports(tree(files))), ['folder orders holds 16 files directly (at most 15)'])
})
