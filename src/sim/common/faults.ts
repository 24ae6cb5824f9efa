// Faults on demand, shared by every simulator: "the next N requests (matching
// this method and path) fail this way". Kinds cover what a client meets in the
// wild: 5xx, throttling, silence, slowness, garbage, resets, and the worst one
// for exactly-once, a request that was applied but whose answer was lost.
import { z } from 'zod'

export const faultKinds = ['error_500', 'rate_limited', 'timeout', 'slow', 'malformed_json', 'connection_reset', 'answer_lost'] as const
export type FaultKind = typeof faultKinds[number]

export const faultSpecSchema = z.object({
  kind: z.enum(faultKinds),
  /** How many matching requests get it (default 1). */
  count: z.number().int().min(1).default(1),
  /** Only requests with this method. */
  method: z.string().toUpperCase().optional(),
  /** Only requests whose path (without query) contains this text. */
  path: z.string().optional(),
  /** rate_limited: the Retry-After value in seconds (default 1). */
  retryAfterSeconds: z.number().min(0).default(1),
  /** slow: delay before the normal answer; timeout: how long to hold before closing (default: until the client gives up). */
  delayMs: z.number().int().min(0).optional()
})
export type FaultSpec = z.input<typeof faultSpecSchema>
export type Fault = z.output<typeof faultSpecSchema>

export class FaultQueue {
  readonly #faults: Fault[] = []

  add (spec: FaultSpec): void {
    this.#faults.push(faultSpecSchema.parse(spec))
  }

  /** The fault this request gets, if any; consumes one of its count. */
  take (method: string, path: string): Fault | undefined {
    const index = this.#faults.findIndex((fault) =>
      (fault.method === undefined || fault.method === method.toUpperCase()) &&
      (fault.path === undefined || path.includes(fault.path)))
    const fault = this.#faults[index]
    if (!fault) return undefined
    if (fault.count <= 1) this.#faults.splice(index, 1)
    else this.#faults[index] = { ...fault, count: fault.count - 1 }
    return fault
  }

  pending (): readonly Fault[] {
    return [...this.#faults]
  }

  clear (): void {
    this.#faults.length = 0
  }
}
