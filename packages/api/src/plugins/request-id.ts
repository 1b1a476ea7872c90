import type { IncomingMessage } from 'node:http'
import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

export const REQUEST_ID_HEADER = 'x-request-id'

/** Short, printable, no spaces: safe to log and to echo back. */
const SANE_ID = /^[A-Za-z0-9._:/+=-]{1,128}$/

/**
 * Fastify's `genReqId`: keeps a caller's (or a gateway's) request id so
 * logs line up across hops, but only when it cannot forge log lines or
 * bloat them; otherwise a fresh UUID.
 */
export function genRequestId(req: IncomingMessage): string {
  const incoming = req.headers[REQUEST_ID_HEADER]
  if (typeof incoming === 'string' && SANE_ID.test(incoming)) return incoming

  return randomUUID()
}

/** Returns the request id on every response, errors included. */
async function requestId(app: FastifyInstance): Promise<void> {
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id)
  })
}

export default fp(requestId, { name: 'request-id' })
