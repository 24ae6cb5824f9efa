// `pod-bridge stats`: counts by state, stuck orders, queue depths, supplier health.
import { z } from 'zod'
import { formatDuration } from '../lib/duration.ts'
import { getJson, since, table, type OpsClientOptions } from './ops-client.ts'

const statsAnswer = z.object({
  orders: z.object({ total: z.number(), byState: z.record(z.string(), z.number()) }),
  stuck: z.object({ total: z.number(), byState: z.array(z.object({ state: z.string(), count: z.number(), oldestAgeSeconds: z.number(), stuckAfterSeconds: z.number() })) }),
  queues: z.array(z.object({ name: z.string(), queued: z.number(), deferred: z.number(), retry: z.number(), active: z.number(), failed: z.number() })),
  suppliers: z.array(z.object({ name: z.string(), budget: z.object({ tracked: z.boolean(), note: z.string().optional() }).passthrough(), circuit: z.object({ tracked: z.boolean(), note: z.string().optional() }).passthrough(), lastError: z.object({ message: z.string(), at: z.string() }).nullable().optional() }))
})

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
    print(`  ${sup.name}: budget ${sup.budget.tracked ? JSON.stringify(sup.budget) : sup.budget.note ?? 'not tracked'}, circuit ${sup.circuit.tracked ? JSON.stringify(sup.circuit) : sup.circuit.note ?? 'not tracked'}`)
    if (sup.lastError) print(`    last error ${since(sup.lastError.at)}: ${sup.lastError.message}`)
  }
  return 0
}
