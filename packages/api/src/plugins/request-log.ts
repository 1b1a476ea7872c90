import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/**
 * One line per request, replacing Fastify's two: method, route, status
 * and duration. Bodies, query strings and client addresses stay out, as
 * they may hold personal data. The request id comes from the child logger.
 */
async function requestLog(app: FastifyInstance): Promise<void> {
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        url: request.url.split('?')[0],
        route: request.routeOptions.url,
        statusCode: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request completed',
    )
  })
}

export default fp(requestLog, { name: 'request-log' })
