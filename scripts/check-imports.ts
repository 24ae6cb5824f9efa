// Proves the direction of imports between the folders of a source tree
// (docs/architecture.md): reads every .ts file's relative imports, builds the
// graph of folder → folder edges, and reports each cycle between folders with
// the files that make its edges. Also reports any folder holding more than
// MAX_FILES files directly, the point at which a folder stops telling a reader
// where things are (the root's own files count too). Exit code 1 when it finds either.
//
//   node scripts/check-imports.ts [root]      (default: src)
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

const MAX_FILES = 15

/** Static imports and re-exports (`from '...'`), side-effect imports and dynamic `import('...')`. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s*)['"](\.{1,2}\/[^'"]+)['"]/gm

export interface Edge { readonly from: string, readonly to: string, readonly file: string, readonly imports: string }
export interface Findings { readonly cycles: ReadonlyArray<readonly Edge[]>, readonly crowded: ReadonlyArray<{ folder: string, files: number }> }

function walk (dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) walk(full, out)
    else out.push(full)
  }
  return out
}

export function folderEdges (root: string): { edges: Edge[], filesPerFolder: Map<string, number> } {
  const files = walk(root)
  const filesPerFolder = new Map<string, number>()
  const edges: Edge[] = []
  // The root's own files (config.ts, app.ts, ...) are the composition root and
  // the settings everyone reads: each is a node of its own, not one folder.
  const folderOf = (file: string): string => path.relative(root, path.dirname(file)) || path.basename(file)
  for (const file of files) {
    const folder = path.relative(root, path.dirname(file)) || '.'
    filesPerFolder.set(folder, (filesPerFolder.get(folder) ?? 0) + 1)
    if (!file.endsWith('.ts')) continue
    const text = readFileSync(file, 'utf8')
    for (const match of text.matchAll(SPECIFIER)) {
      const target = path.resolve(path.dirname(file), match[1] ?? '')
      if (!target.startsWith(path.resolve(root) + path.sep)) continue
      const from = folderOf(file)
      const to = folderOf(target)
      if (from !== to) edges.push({ from, to, file: path.relative(root, file), imports: path.relative(root, target) })
    }
  }
  return { edges, filesPerFolder }
}

/** Strongly connected components of more than one folder (Tarjan), each as the edges inside it. */
function cycles (edges: readonly Edge[]): Edge[][] {
  const next = new Map<string, Set<string>>()
  for (const edge of edges) {
    if (!next.has(edge.from)) next.set(edge.from, new Set())
    next.get(edge.from)?.add(edge.to)
  }
  let counter = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const components: string[][] = []
  const visit = (node: string): void => {
    index.set(node, counter)
    low.set(node, counter++)
    stack.push(node)
    onStack.add(node)
    for (const to of next.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to)
        low.set(node, Math.min(low.get(node) ?? 0, low.get(to) ?? 0))
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(to) ?? 0))
      }
    }
    if (low.get(node) !== index.get(node)) return
    const component: string[] = []
    for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
      onStack.delete(top)
      component.push(top)
      if (top === node) break
    }
    if (component.length > 1) components.push(component)
  }
  for (const node of [...next.keys()].sort()) if (!index.has(node)) visit(node)
  return components.map((members) => {
    const inside = new Set(members)
    return edges.filter((edge) => inside.has(edge.from) && inside.has(edge.to))
  })
}

export function checkImports (root: string): Findings {
  const { edges, filesPerFolder } = folderEdges(root)
  const crowded = [...filesPerFolder].filter(([, files]) => files > MAX_FILES).map(([folder, files]) => ({ folder, files }))
  return { cycles: cycles(edges), crowded }
}

export function report (findings: Findings): string[] {
  const lines: string[] = []
  for (const cycle of findings.cycles) {
    const folders = [...new Set(cycle.map((edge) => edge.from))].sort()
    lines.push(`cycle between folders ${folders.join(', ')}:`)
    for (const edge of cycle) lines.push(`  ${edge.from} → ${edge.to}: ${edge.file} imports ${edge.imports}`)
  }
  for (const { folder, files } of findings.crowded) lines.push(`folder ${folder} holds ${files} files directly (at most ${MAX_FILES})`)
  return lines
}

if (import.meta.main) {
  const root = process.argv[2] ?? 'src'
  const lines = report(checkImports(root))
  if (lines.length > 0) {
    console.error(lines.join('\n'))
    process.exit(1)
  }
  console.log(`imports: no cycle between the folders of ${root}, none over ${MAX_FILES} files`)
}
