// OpenAPI for the ops API, generated from the routes' zod schemas, at
// /docs/json, with a browsable UI at /docs.
import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { jsonSchemaTransform } from 'fastify-type-provider-zod'

export const docs = fp(async (app) => {
  await app.register(swagger, {
    openapi: {
      info: { title: 'pod-bridge ops API', version: '1', description: 'Where every order is and why; retry, approve and cancel. Authorization: Bearer <OPS_API_TOKEN>.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }]
    },
    transform: jsonSchemaTransform
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
}, { name: 'docs' })
