// What the image runs as, read from the Dockerfile (no Docker engine here): the
// final stage switches to a non-root user before its CMD and never back.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

/** The instructions of the last stage, continuation lines joined. */
function finalStage (dockerfile: string): { instruction: string, args: string }[] {
  const lines = dockerfile.replace(/\\\n/g, ' ').split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'))
  const parsed = lines.map((line) => {
    const [instruction = '', ...rest] = line.split(/\s+/)
    return { instruction: instruction.toUpperCase(), args: rest.join(' ') }
  })
  const lastFrom = parsed.map((p) => p.instruction).lastIndexOf('FROM')
  return parsed.slice(lastFrom)
}

t.test('when the image starts, then its final stage runs as a non-root user', async (t) => {
  const stage = finalStage(readFileSync(path.join(root, 'Dockerfile'), 'utf8'))
  t.equal(stage[0]?.instruction, 'FROM')
  const users = stage.filter((p) => p.instruction === 'USER').map((p) => p.args)
  t.ok(users.length > 0, 'the final stage sets USER')
  const last = users.at(-1) ?? ''
  const [name = '', group] = last.split(':')
  t.notMatch(name, /^(root|0)$/, `the last USER (${last}) is not root`)
  t.not(group, '0', 'nor the root group')
  const userAt = stage.findLastIndex((p) => p.instruction === 'USER')
  const cmdAt = stage.findLastIndex((p) => p.instruction === 'CMD' || p.instruction === 'ENTRYPOINT')
  t.ok(cmdAt > userAt, 'USER comes before the command it runs')
  t.notOk(stage.slice(userAt + 1).some((p) => p.instruction === 'RUN' && /\b(sudo|su|gosu|su-exec)\b/.test(p.args)), 'nothing after it climbs back to root')
})
