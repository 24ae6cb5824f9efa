// `pod-bridge stats`: counts by state, stuck orders, queue depths, supplier health.
import { z } from 'zod'
import { formatDuration } from '../lib/duration.ts'
import { getJson, since, table, type OpsClientOptions } from './ops-client.ts'

const statsAnswer = z.object({
  orders: z.object({ total: z.number(), byState: z.record(z.string(), z.number()) }),
  stuck: z.object({ total: z.number(), byState: z.array(z.object({ state: z.string(), count: z.number(), oldestAgeSeconds: z.number(), stuckAfterSeconds: z.number() })) }),
  queues: z.array(z.object({ name: z.string(), queued: z.number(), deferred: z.number(), retry: z.number(), active: z.number(), failed: z.number() })),
  suppliers: z.array(z.object({
    name: z.string(),
    budget: z.object({ tracked: z.boolean(), note: z.string().optional(), perMinute: z.number().optional(), capacity: z.number().optional(), tokens: z.number().optional() }),
    circuit: z.object({ tracked: z.boolean(), note: z.string().optional(), state: z.string().optional(), until: z.string().nullable().optional(), reason: z.string().nullable().optional() }),
    lastError: z.object({ message: z.string(), at: z.string() }).nullable().optional()
  })),
  webhookSubscriptions: z.object({ checkedAt: z.string(), status: z.string(), missing: z.array(z.string()), error: z.string().nullable() }).nullable().optional()
})

type SupplierStats = z.infer<typeof statsAnswer>['suppliers'][number]

function describeBudget (b: SupplierStats['budget']): string {
  return b.tracked ? `budget ${String(b.tokens)} of ${String(b.capacity)} tokens (${String(b.perMinute)} a minute)` : `budget ${b.note ?? 'not tracked'}`
}

function describeCircuit (c: SupplierStats['circuit']): string {
  if (!c.tracked) return `circuit ${c.note ?? 'not tracked'}`
  return c.state === 'open' ? `circuit open until ${c.until ?? '?'}${c.reason ? ` (${c.reason})` : ''}` : 'circuit closed'
}

export async function statsCommand (client: OpsClientOptions, print: (line: string) => void): Promise<number> {
  const s = statsAnswer.parse(await getJson(client, 'v1/stats'))
  const stuck = new Map(s.stuck.byState.map((row) => [row.state, row]))
  print(`Orders: ${s.orders.total}, stuck: ${s.stuck.total}`)
  const rows = Object.entries(s.orders.byState).map(([state, count]) => {
    const st = stuck.get(state)
    return [state, String(count), st ? String(st.count) : '', st ? formatDuration(st.oldestAgeSeconds * 1000) : '', st ? formatDuration(st.stuckAfterSeconds * 1000) : '']
  })
  for (const line of table(['STATE', 'ORDERS', 'STUCK', 'OLDEST STUCK', 'STUCK AFTER'], rows)) print(`  ${line}`)
  print('')
  print('Queues')
  for (const line of table(['QUEUE', 'QUEUED', 'DEFERRED', 'RETRY', 'ACTIVE', 'FAILED'], s.queues.map((q) => [q.name, String(q.queued), String(q.deferred), String(q.retry), String(q.active), String(q.failed)]))) print(`  ${line}`)
  print('')
  print('Suppliers')
  for (const sup of s.suppliers) {
    print(`  ${sup.name}: ${describeBudget(sup.budget)}, ${describeCircuit(sup.circuit)}`)
    if (sup.lastError) print(`    last error ${since(sup.lastError.at)}: ${sup.lastError.message}`)
  }
  const check = s.webhookSubscriptions
  print('')
  if (!check) print('Webhook subscriptions: not checked yet')
  else {
    const detail = check.missing.length > 0 ? `; missing ${check.missing.join(', ')}` : check.error ? `; ${check.error}` : ''
    print(`Webhook subscriptions: ${check.status} (checked ${since(check.checkedAt)})${detail}`)
  }
  return 0
}
