import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import cors from '@fastify/cors'

/** Headers a browser script may read from our responses. */
export const EXPOSED_HEADERS = [
  'Location',
  'Retry-After',
  'ETag',
  'Content-Disposition',
  'Content-Range',
  'x-request-id',
]

export interface CorsOptions {
  /** Comma-separated origins; empty allows no cross-origin caller. */
  origins: string
}

/** Parses the `CORS_ORIGINS` list, dropping blanks. */
export function parseOrigins(list: string): string[] {
  return list
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin.length > 0)
}

/**
 * Cross-origin access only for the listed origins: the API serves
 * personal data, so no wildcard.
 */
async function corsPlugin(
  app: FastifyInstance,
  options: CorsOptions,
): Promise<void> {
  const origins = parseOrigins(options.origins)
  await app.register(cors, {
    origin: origins.length > 0 ? origins : false,
    methods: ['GET', 'HEAD', 'POST'],
    allowedHeaders: [
      'Content-Type',
      'Idempotency-Key',
      'If-None-Match',
      'If-Range',
      'Range',
      'traceparent',
      'x-request-id',
    ],
    exposedHeaders: EXPOSED_HEADERS,
  })
}

export default fp(corsPlugin, { name: 'cors' })
