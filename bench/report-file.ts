// BENCHMARKS.md is written by more than one command: `npm run bench` writes
// most sections, `npm run chaos` and the standalone runs (`node bench/fuzz.ts
// --write`) their own. Each replaces only the `## ` sections it measured and
// keeps the others, so no run erases another's figures.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const benchmarksFile = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'BENCHMARKS.md')

/** The text before the first `## ` heading, and each section keyed by its heading line. */
export function splitSections (markdown: string): { preamble: string, sections: Map<string, string> } {
  const parts = markdown.split(/^(?=## )/m)
  const preamble = parts[0]?.startsWith('## ') ? '' : parts.shift() ?? ''
  return { preamble, sections: new Map(parts.map((part) => [part.slice(0, part.indexOf('\n')).trim(), part])) }
}

/** `update`'s sections replace those of `current` with the same heading; the rest of `current` stays, in place. */
export function mergeSections (current: string, update: string): string {
  const old = splitSections(current)
  const next = splitSections(update)
  const merged = new Map(old.sections)
  for (const [heading, text] of next.sections) merged.set(heading, text)
  const sections = [...merged.values()].map((text) => text.endsWith('\n') ? text : `${text}\n`)
  return (next.preamble.trim() ? next.preamble : old.preamble) + sections.join('\n').replace(/\n{3,}/g, '\n\n')
}

export function writeBenchmarks (update: string): void {
  writeFileSync(benchmarksFile, mergeSections(existsSync(benchmarksFile) ? readFileSync(benchmarksFile, 'utf8') : '', update))
}
