// The moves a test or demo can make an order take at the supplier. Each
// simulator maps them onto its own statuses and webhooks.
import { z } from 'zod'

export const advanceSchema = z.discriminatedUnion('to', [
  z.object({ to: z.literal('in_production') }),
  z.object({
    to: z.literal('shipped'),
    /** Ship the remaining items in this many packages (default 1). */
    packages: z.number().int().min(1).default(1),
    /** Only the first N not-yet-shipped items (a partial shipment); default all. */
    items: z.number().int().min(1).optional(),
    tracking: z.boolean().default(true),
    carrier: z.string().optional()
  }),
  z.object({
    to: z.literal('reshipped'),
    /** The last parcel's items go out again with a new tracking number (lost or damaged in transit). */
    tracking: z.boolean().default(true),
    carrier: z.string().optional()
  }),
  z.object({ to: z.literal('delivered') }),
  z.object({ to: z.literal('returned'), reason: z.string().default('Returned to sender: address not found') }),
  z.object({ to: z.literal('failed'), reason: z.string().default('Address validation failed') }),
  z.object({ to: z.literal('on_hold'), reason: z.string().default('Order put on hold by the supplier') }),
  z.object({ to: z.literal('cancelled'), reason: z.string().default('Cancelled by the supplier') }),
  z.object({ to: z.literal('draft') }),
  z.object({ to: z.literal('payment_not_received') })
])
export type Advance = z.input<typeof advanceSchema>
export type AdvanceStep = z.output<typeof advanceSchema>

/** Splits `count` items into `packages` groups, in order, none empty when possible. */
export function splitIntoPackages<T> (items: readonly T[], packages: number): T[][] {
  const groups: T[][] = []
  const size = Math.ceil(items.length / Math.max(1, Math.min(packages, items.length)))
  for (let i = 0; i < items.length; i += size) groups.push(items.slice(i, i + size))
  return groups
}
