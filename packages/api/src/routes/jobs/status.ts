import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  isFinal,
  JobParams,
  JobStatusResource,
  type Job,
  type JobStore,
} from '@invoice-jobs/shared'
import { noneMatch } from '../../http/etag.js'
import { documentHeaders } from '../../http/response-headers.js'
import { problemResponse } from '../../plugins/problem.js'
import { loadJob } from './load-job.js'

export interface StatusRouteOptions {
  store: JobStore
  retryAfterSeconds: number
}

const StatusHeaders = Type.Object({
  'if-none-match': Type.Optional(Type.String()),
})

/**
 * Weak because the JSON is rebuilt on each request; the version changes
 * with every write, so it alone says whether anything changed.
 */
export function statusEtag(job: Job): string {
  return `W/"${job.id}.${job.version}"`
}

/** The job as clients see it. */
export function toStatusResource(job: Job): JobStatusResource {
  const statusHref = `/jobs/${job.id}/status`
  const resultHref = `/jobs/${job.id}/result`
  const completed = job.status === 'completed' && job.result !== undefined

  return {
    id: job.id,
    type: job.type,
    status: job.status,
    invoiceNumber: job.invoiceNumber,
    createdAt: job.createdAt.toISOString(),
    updatedAt: job.updatedAt.toISOString(),
    attempts: job.attempts,
    ...(job.status === 'failed' && job.error && { error: job.error }),
    ...(completed && {
      result: {
        href: resultHref,
        contentType: job.result!.contentType,
        size: job.result!.size,
      },
    }),
    links: { status: statusHref, ...(completed && { result: resultHref }) },
  }
}

/** `GET /jobs/:id/status`: what a polling client asks for. */
const statusRoute: FastifyPluginAsyncTypebox<StatusRouteOptions> = async (
  app,
  { store, retryAfterSeconds },
) => {
  app.get(
    '/jobs/:id/status',
    {
      schema: {
        tags: ['jobs'],
        summary: "A job's status; poll until it is final",
        params: JobParams,
        headers: StatusHeaders,
        response: {
          200: {
            description: 'The job; Retry-After is set while it is not final',
            headers: documentHeaders('etag', 'retry-after', 'cache-control'),
            content: { 'application/json': { schema: JobStatusResource } },
          },
          304: { description: 'Unchanged since the ETag sent', type: 'null' },
          400: problemResponse('The id is not a UUID'),
          404: problemResponse('No such job'),
          503: problemResponse('The job store is unavailable'),
        },
      },
    },
    async (request, reply) => {
      const job = await loadJob(store, request.params.id, request.log)
      const etag = statusEtag(job)

      reply.header('etag', etag).header('cache-control', 'no-cache')
      if (!isFinal(job.status)) {
        reply.header('retry-after', String(retryAfterSeconds))
      }

      if (noneMatch(request.headers['if-none-match'], etag)) {
        return reply.code(304).send()
      }
      return reply.code(200).send(toStatusResource(job))
    },
  )
}

export default statusRoute
