import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'

/**
 * The OpenAPI document is generated from the route schemas, so it cannot
 * drift from what the routes validate. Served as `/openapi.json`, with a
 * browsable page at `/docs`. Registered before the routes so that it sees
 * them all.
 */
async function openApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Invoice jobs API',
        version: '0.1.0',
        description:
          'Submit an invoice, poll its job, download the PDF when it is done.',
      },
      tags: [
        { name: 'invoices', description: 'Submitting invoices' },
        { name: 'jobs', description: 'Job status and results' },
        { name: 'health', description: 'Probes for the platform' },
      ],
    },
  })

  await app.register(swaggerUi, { routePrefix: '/docs' })

  app.get('/openapi.json', { schema: { hide: true } }, async () =>
    app.swagger(),
  )
}

export default fp(openApi, { name: 'openapi' })
