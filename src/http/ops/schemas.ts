// Shapes shared by the /v1 routes' OpenAPI documentation.
import { z } from 'zod'

export const errorShape = z.object({ error: z.object({ code: z.string(), message: z.string() }) })

/** The refusals every /v1 route can answer with, in DESIGN.md's error shape. */
export const errorResponses = { 400: errorShape, 401: errorShape, 404: errorShape, 503: errorShape } as const
