// Durations as people read them in alerts, the CLI and the timeline: the two
// largest units, "3d 4h", "12m 5s".
const units: [string, number][] = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]]

export function formatDuration (ms: number): string {
  let rest = Math.max(0, Math.floor(ms))
  const parts: string[] = []
  for (const [unit, size] of units) {
    if (parts.length === 2) break
    const count = Math.floor(rest / size)
    rest -= count * size
    if (count > 0 || parts.length > 0) parts.push(`${count}${unit}`)
  }
  const shown = parts.at(-1)?.startsWith('0') ? parts.slice(0, -1) : parts
  return shown.length > 0 ? shown.join(' ') : '0s'
}
