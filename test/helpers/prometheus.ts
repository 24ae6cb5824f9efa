// A strict reader of the Prometheus text exposition format (version 0.0.4):
// every line is a HELP, a TYPE or a sample; sample names belong to a declared
// family; label values are quoted with only \\, \" and \n escaped; values are
// floats, +Inf, -Inf or NaN. Throws on the first line that is not.
export interface Sample { readonly name: string, readonly labels: Record<string, string>, readonly value: number }
export interface Exposition { readonly types: Map<string, string>, readonly samples: Sample[] }

const metricName = '[a-zA-Z_:][a-zA-Z0-9_:]*'
const labelName = '[a-zA-Z_][a-zA-Z0-9_]*'
const sampleLine = new RegExp(`^(${metricName})(?:\\{(.*)\\})? (\\S+)(?: (-?\\d+))?$`)
const labelPair = new RegExp(`^(${labelName})="((?:[^"\\\\\\n]|\\\\[\\\\"n])*)"(,|$)`)
const types = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped'])

function parseValue (text: string, line: string): number {
  if (text === '+Inf') return Infinity
  if (text === '-Inf') return -Infinity
  if (text === 'NaN') return NaN
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`not a sample value: ${line}`)
  return Number(text)
}

function family (name: string, declared: Map<string, string>): string | undefined {
  if (declared.has(name)) return name
  for (const suffix of ['_bucket', '_sum', '_count', '_total', '_created']) {
    const base = name.endsWith(suffix) ? name.slice(0, -suffix.length) : undefined
    if (base && declared.has(base)) return base
  }
  return undefined
}

export function parseExposition (text: string): Exposition {
  const declared = new Map<string, string>()
  const samples: Sample[] = []
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline')
  for (const line of text.slice(0, -1).split('\n')) {
    if (line === '') continue
    const help = new RegExp(`^# HELP (${metricName}) (.*)$`).exec(line)
    if (help) continue
    const type = new RegExp(`^# TYPE (${metricName}) (\\w+)$`).exec(line)
    if (type?.[1] && type[2]) {
      if (!types.has(type[2])) throw new Error(`unknown metric type: ${line}`)
      if (declared.has(type[1])) throw new Error(`TYPE declared twice: ${line}`)
      declared.set(type[1], type[2])
      continue
    }
    if (line.startsWith('#')) continue
    const match = sampleLine.exec(line)
    if (!match?.[1] || !match[3]) throw new Error(`not a sample line: ${line}`)
    if (!family(match[1], declared)) throw new Error(`sample of an undeclared family: ${line}`)
    const labels: Record<string, string> = {}
    let rest = match[2] ?? ''
    while (rest.length > 0) {
      const pair = labelPair.exec(rest)
      if (!pair?.[1] || pair[2] === undefined) throw new Error(`bad labels: ${line}`)
      labels[pair[1]] = pair[2]
      rest = rest.slice(pair[0].length)
    }
    samples.push({ name: match[1], labels, value: parseValue(match[3], line) })
  }
  return { types: declared, samples }
}
