// The two pictures as SVG drawn here from the /v1 series (no chart library:
// two line charts are a few dozen lines, and nothing more is shipped). Each
// comes with a table of the same numbers for screen readers and copying.
import { h, s, table } from './dom.js'

const W = 720
const H = 220
const PAD = { left: 48, right: 12, top: 12, bottom: 28 }
const COLORS = ['#1f5fbf', '#b3261e', '#2e7d32', '#8e24aa', '#ef6c00', '#00838f', '#6d4c41', '#c2185b', '#455a64', '#9e9d24']

function lineChart ({ title, series, xLabels, yMax, yFormat }) {
  const plotW = W - PAD.left - PAD.right
  const plotH = H - PAD.top - PAD.bottom
  const n = Math.max(1, xLabels.length - 1)
  const x = (i) => PAD.left + (i / n) * plotW
  const y = (v) => PAD.top + plotH - (yMax === 0 ? 0 : (v / yMax) * plotH)
  const ticks = [0, 0.5, 1].map((f) => yMax * f)
  const step = Math.max(1, Math.ceil(xLabels.length / 7))
  return h('figure', {},
    h('figcaption', { text: title }),
    s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title, class: 'chart' },
      ticks.map((t) => [
        s('line', { x1: PAD.left, x2: W - PAD.right, y1: y(t), y2: y(t), class: 'grid' }),
        s('text', { x: PAD.left - 6, y: y(t) + 4, 'text-anchor': 'end', text: yFormat(t) })
      ]),
      xLabels.map((label, i) => i % step === 0 ? s('text', { x: x(i), y: H - 8, 'text-anchor': 'middle', text: label }) : null),
      series.map((line, k) => s('polyline', { fill: 'none', stroke: COLORS[k % COLORS.length], 'stroke-width': 2, 'stroke-dasharray': line.dashed ? '5 3' : null, points: line.values.map((v, i) => `${x(i).toFixed(1)},${y(v ?? 0).toFixed(1)}`).join(' ') }))),
    h('ul', { class: 'legend' }, series.map((line, k) => h('li', {}, h('span', { class: 'swatch', 'data-color': k % COLORS.length }), line.name))))
}

/** Orders entering each state per hour, last 7 days. */
export function entriesChart (hours) {
  const start = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 167 * 3_600_000
  const slots = Array.from({ length: 168 }, (_, i) => start + i * 3_600_000)
  const index = new Map(slots.map((t, i) => [t, i]))
  const byState = new Map()
  for (const row of hours) {
    const i = index.get(new Date(row.hour).getTime())
    if (i === undefined) continue
    if (!byState.has(row.state)) byState.set(row.state, new Array(168).fill(0))
    byState.get(row.state)[i] += row.entered
  }
  const series = [...byState].map(([name, values]) => ({ name, values }))
  const yMax = Math.max(1, ...series.flatMap((l) => l.values))
  const labels = slots.map((t) => new Date(t).toISOString().slice(5, 10))
  const days = slots.filter((_, i) => i % 24 === 0).map((t, d) => [labels[d * 24], ...series.map((l) => l.values.slice(d * 24, d * 24 + 24).reduce((a, b) => a + b, 0))])
  return h('div', { class: 'picture' },
    lineChart({ title: 'Orders entering each state per hour, last 7 days (UTC)', series, xLabels: labels, yMax, yFormat: (v) => String(Math.round(v)) }),
    h('details', {}, h('summary', { text: 'The same, per day' }), table('Orders entering each state per day', ['Day', ...series.map((l) => l.name)], days)))
}

/** Paid-to-shipped time per supplier, p50 and p90 by week. */
export function shipTimesChart (weeks) {
  const labels = [...new Set(weeks.map((w) => w.week))].sort()
  const suppliers = [...new Set(weeks.map((w) => w.supplier))].sort()
  const at = new Map(weeks.map((w) => [`${w.week}|${w.supplier}`, w]))
  const series = suppliers.flatMap((supplier) => [
    { name: `${supplier} p50`, values: labels.map((week) => (at.get(`${week}|${supplier}`)?.p50Seconds ?? 0) / 86400) },
    { name: `${supplier} p90`, dashed: true, values: labels.map((week) => (at.get(`${week}|${supplier}`)?.p90Seconds ?? 0) / 86400) }
  ])
  const yMax = Math.max(1, ...series.flatMap((l) => l.values))
  return h('div', { class: 'picture' },
    lineChart({ title: 'Time from order to shipment per supplier, by week: p50 (solid) and p90 (dashed), in days', series, xLabels: labels.map((l) => l.slice(5)), yMax, yFormat: (v) => `${v.toFixed(1)} d` }),
    h('details', {}, h('summary', { text: 'The same, as numbers' }), table('Time from order to shipment per week', ['Week of', 'Supplier', 'Shipments', 'p50 (days)', 'p90 (days)'],
      weeks.map((w) => [w.week, w.supplier, w.shipments, (w.p50Seconds / 86400).toFixed(1), (w.p90Seconds / 86400).toFixed(1)]))))
}
