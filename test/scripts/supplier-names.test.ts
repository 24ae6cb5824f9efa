// Issue 15: a supplier lives in its own folder. No file of src/ outside
// src/suppliers/<name>/, the simulators (src/sim/), the registry that lists
// the folders, and the demo script (which drives the simulators by name)
// names a supplier or file provider in code: not in an identifier, not in a
// string, template or regular expression. Comments may: a generic mechanism
// often exists because of one supplier's documented behaviour ("Printify's
// 8502"), and the comment citing it is the reason a reader needs; a comment
// couples nothing.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import ts from 'typescript'
import t from 'tap'
import { builtInFileProviders, builtInSuppliers } from '../../src/suppliers/registry.ts'

const root = path.resolve(import.meta.dirname, '../../src')
const names = [...builtInSuppliers, ...builtInFileProviders].map((d) => d.name)
const exempt = [
  ...names.map((name) => `suppliers/${name}/`),
  'sim/',
  'suppliers/registry.ts',
  'cli/demo.ts'
]

function files (dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    return entry.isDirectory() ? files(full) : entry.name.endsWith('.ts') ? [full] : []
  })
}

/** Each identifier and literal of the file that holds a name, with its line. */
function namings (source: string, fileName: string, words: readonly string[]): { line: number, text: string }[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true)
  const pattern = new RegExp(words.join('|'), 'i')
  const found: { line: number, text: string }[] = []
  const visit = (node: ts.Node): void => {
    const text = ts.isIdentifier(node) || ts.isPrivateIdentifier(node) || ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node) || ts.isRegularExpressionLiteral(node)
      ? node.getText(file)
      : undefined
    if (text !== undefined && pattern.test(text)) found.push({ line: file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1, text })
    ts.forEachChild(node, visit)
  }
  visit(file)
  return found
}

t.test('when the scanner reads code, then names in identifiers, strings, templates and regular expressions count, and comments do not', async (t) => {
  const source = [
    '// Printful says so',
    'const printfulClient = 1',
    "const url = '/webhooks/printify'",
    'const hint = `set ${x} for Customily`',
    'const re = /printful/',
    '/* Printify, block */ const fine = 2'
  ].join('\n')
  t.same(namings(source, 'x.ts', names).map((n) => n.line), [2, 3, 4, 5])
})

t.test('when src/ is read, then no file outside the supplier folders, the simulators, the registry and the demo names a supplier in code', async (t) => {
  const offenders: string[] = []
  for (const file of files(root)) {
    const relative = path.relative(root, file).split(path.sep).join('/')
    if (exempt.some((prefix) => relative === prefix || relative.startsWith(prefix))) continue
    for (const hit of namings(readFileSync(file, 'utf8'), file, names)) offenders.push(`src/${relative}:${String(hit.line)} ${hit.text}`)
  }
  t.same(offenders, [], offenders.join('\n'))
})
