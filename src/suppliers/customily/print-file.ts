// Which of a personalization's files to print. Customily lists a `productionUrl`
// (the article's example: an `.ai`) and `exportedFiles[]` in the formats the
// product exports; Printful has deprecated `.ai`, `.psd` and `.tiff` print files
// (Printful v1 OpenAPI, components.schemas.File.url: "The use of .ai .psd and
// .tiff files have been depreciated"; suppliers.md §1.5), and its check refuses
// them. So a PNG or PDF is preferred, then a JPEG, then a file whose format the
// URL does not tell; those deprecated formats are never chosen.
import { AppError } from '../../lib/errors.ts'
import type { CustomilyPersonalization } from './client.ts'

export interface ChosenFile {
  readonly url: string
  /** For the timeline: where the file came from and what was passed over. */
  readonly why: string
}

type Ready = Extract<CustomilyPersonalization, { state: 'ready' }>
interface Candidate { readonly url: string, readonly from: string, readonly podPlaceholder?: string | undefined }

const refused = new Set(['ai', 'psd', 'tif', 'tiff'])
const rank: Record<string, number> = { png: 0, pdf: 0, jpg: 1, jpeg: 1 }
const unknownFormat = 2

export function formatOf (url: string): string | undefined {
  let path: string
  try {
    path = new URL(url).pathname
  } catch {
    return undefined
  }
  return /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase()
}

/**
 * The file for `placement`: files Customily marks for that placement
 * (`podPlaceholder`) if there are any, else those marked for none; among them,
 * the best format, Customily's order breaking ties.
 */
export function choosePrintFile (item: Ready, placement: string): ChosenFile {
  const listed: Candidate[] = [
    ...(item.productionUrl ? [{ url: item.productionUrl, from: 'productionUrl' }] : []),
    ...item.exportedFiles.map((file, index) => ({ url: file.url, from: `exportedFiles[${String(index)}]`, podPlaceholder: file.podPlaceholder }))
  ]
  const all = listed.filter((c, index) => listed.findIndex((other) => other.url === c.url) === index)
  const marked = all.filter((c) => c.podPlaceholder === placement)
  const pool = marked.length > 0 ? marked : all.filter((c) => c.podPlaceholder === undefined)
  const usable = pool
    .map((c, order) => ({ ...c, order, format: formatOf(c.url) }))
    .filter((c) => c.format === undefined || !refused.has(c.format))
    .sort((a, b) => (rank[a.format ?? ''] ?? unknownFormat) - (rank[b.format ?? ''] ?? unknownFormat) || a.order - b.order)
  const best = usable[0]
  const skipped = pool.filter((c) => c.url !== best?.url).map((c) => `${c.from} (${formatOf(c.url) ?? 'format unknown'})`)
  if (!best) {
    const listed = all.map((c) => `${c.from} ${formatOf(c.url) ?? 'format unknown'}${c.podPlaceholder ? ` for "${c.podPlaceholder}"` : ''}`).join(', ')
    throw new AppError('upstream_rejected', `Customily lists no printable file for personalization ${item.id} at "${placement}" (${listed || 'no files'}): .ai, .psd and .tiff are refused by Printful; export PNG or PDF for this product in Customily${marked.length === 0 && all.some((c) => c.podPlaceholder) ? `, with a file for the "${placement}" placeholder` : ''}`)
  }
  const format = best.format ?? 'format unknown'
  return { url: best.url, why: `${best.from}, ${format}${skipped.length > 0 ? `; not ${skipped.join(', ')}` : ''}` }
}
