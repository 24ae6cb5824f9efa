// The pieces environment settings are parsed with: config.ts and each
// supplier's settings fragment (src/suppliers/<name>/descriptor.ts) share them.
import { z } from 'zod'

export const csv = (what: string) => z.string({ error: `must be ${what}` })
  .transform((value) => value.split(',').map((part) => part.trim()).filter((part) => part.length > 0))

/** An http(s) URL as given (a print file's URL). */
export const httpUrlText = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })

/** An http(s) URL without its trailing slashes (a base URL, to append paths to). */
export const httpUrl = httpUrlText.transform((value) => value.replace(/\/+$/, ''))

export const positiveInt = (what: string, min: number, max: number) =>
  z.string().trim()
    .regex(/^\d+$/, { error: `must be ${what}` })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { error: `must be ${what}` })
