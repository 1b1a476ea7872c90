import type { Readable } from 'node:stream'
import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  AppError,
  JobParams,
  type BlobRead,
  type BlobStore,
  type ByteRange,
  type Job,
  type JobResult,
  type JobStore,
} from '@invoice-jobs/shared'
import { parseRange } from '../../http/byte-range.js'
import { attachmentHeader } from '../../http/content-disposition.js'
import { ifRangeMatches, noneMatch, toEtag } from '../../http/etag.js'
import { documentHeaders } from '../../http/response-headers.js'
import { problemResponse, sendProblem } from '../../plugins/problem.js'
import { loadJob } from './load-job.js'

export interface ResultRouteOptions {
  store: JobStore
  blobs: BlobStore
  /** `redirect` answers 303 to a signed URL when the blob store has them. */
  delivery: 'stream' | 'redirect'
  signedUrlTtlSeconds: number
  maxAgeSeconds: number
  retryAfterSeconds: number
}

const ResultHeaders = Type.Object({
  range: Type.Optional(
    Type.String({ description: 'One range: bytes=a-b, bytes=a- or bytes=-n' }),
  ),
  'if-range': Type.Optional(Type.String()),
  'if-none-match': Type.Optional(Type.String()),
})

const pdfHeaders = documentHeaders(
  'etag',
  'cache-control',
  'content-disposition',
  'accept-ranges',
)

const PdfBody = Type.Unsafe<Readable>({ type: 'string', format: 'binary' })

/**
 * The download's file name: the invoice number, with the path separators
 * a number may hold made harmless.
 */
function fileNameOf(job: Job, result: JobResult): string {
  const name = result.fileName || `${job.invoiceNumber}.pdf`
  return name.replace(/[/\\]/g, '-')
}

/** `GET /jobs/:id/result`: the finished PDF, streamed from storage. */
const resultRoute: FastifyPluginAsyncTypebox<ResultRouteOptions> = async (
  app,
  options,
) => {
  const { store, blobs } = options

  // HEAD is declared, not derived: Fastify's derived HEAD would open the
  // blob and drain it only to throw the bytes away.
  app.route({
    method: ['GET', 'HEAD'],
    url: '/jobs/:id/result',
    schema: {
      tags: ['jobs'],
      summary: "A completed job's PDF (ranges supported)",
      description:
        'A Range with several ranges is answered with the whole document.',
      params: JobParams,
      headers: ResultHeaders,
      response: {
        200: {
          description: 'The whole document',
          headers: pdfHeaders,
          content: { 'application/pdf': { schema: PdfBody } },
        },
        206: {
          description: 'The requested range',
          headers: { ...pdfHeaders, ...documentHeaders('content-range') },
          content: { 'application/pdf': { schema: PdfBody } },
        },
        303: {
          description: 'Download from a short-lived URL',
          type: 'null',
          headers: documentHeaders('location'),
        },
        304: { description: 'Unchanged since the ETag sent', type: 'null' },
        400: problemResponse('The id is not a UUID'),
        404: problemResponse('No such job'),
        409: {
          ...problemResponse('The job is not completed'),
          headers: documentHeaders('retry-after'),
        },
        416: {
          ...problemResponse('The range lies outside the document'),
          headers: documentHeaders('content-range'),
        },
        503: problemResponse('Storage is unavailable'),
      },
    },
    handler: async (request, reply) => {
      const job = await loadJob(store, request.params.id, request.log)
      const log = request.log.child({ jobId: job.id })

      switch (job.status) {
        case 'queued':
        case 'processing':
          reply.header('retry-after', String(options.retryAfterSeconds))
          return sendProblem(reply, 'job_not_completed', {
            jobStatus: job.status,
          })
        case 'failed':
          return sendProblem(reply, 'job_failed', { jobStatus: job.status })
        case 'canceled':
          return sendProblem(reply, 'job_canceled', { jobStatus: job.status })
      }

      const result = job.result
      if (!result) throw new Error(`completed job ${job.id} has no result`)
      const fileName = fileNameOf(job, result)

      if (options.delivery === 'redirect' && blobs.signedUrl) {
        const url = await blobs.signedUrl(result.blobName, {
          expiresInSeconds: options.signedUrlTtlSeconds,
          fileName,
          contentType: result.contentType,
        })
        return reply
          .code(303)
          .header('location', url)
          .header('cache-control', 'no-store')
          .send()
      }

      const etag = toEtag(result.etag)
      reply
        .header('etag', etag)
        .header('cache-control', `private, max-age=${options.maxAgeSeconds}`)
        .header('accept-ranges', 'bytes')
        .header('content-disposition', attachmentHeader(fileName))
      if (noneMatch(request.headers['if-none-match'], etag)) {
        return reply.code(304).send()
      }

      // A stale If-Range means the client's part is from another document.
      const { range: rangeHeader, 'if-range': ifRange } = request.headers
      const wanted = ifRangeMatches(ifRange, etag)
        ? parseRange(rangeHeader, result.size)
        : ({ kind: 'none' } as const)
      if (wanted.kind === 'unsatisfiable') {
        reply.header('content-range', `bytes */${result.size}`)
        return sendProblem(reply, 'range_not_satisfiable')
      }

      const range = wanted.kind === 'range' ? wanted.range : undefined
      if (request.method === 'HEAD') {
        // The job knows the size: no need to open (and drain) the blob.
        const length = range ? range.end - range.start + 1 : result.size
        reply.type(result.contentType).header('content-length', String(length))
        if (range) {
          reply
            .code(206)
            .header(
              'content-range',
              `bytes ${range.start}-${range.end}/${result.size}`,
            )
        }
        return reply.send()
      }

      const read = await openBlob(blobs, result.blobName, range, log)
      read.stream.on('error', (err) => {
        log.error({ err }, 'result stream failed')
      })

      reply
        .type(result.contentType)
        .header('content-length', String(read.contentLength))
      if (range) {
        const { start, end } = read.range ?? range
        reply
          .code(206)
          .header('content-range', `bytes ${start}-${end}/${read.size}`)
      } else {
        reply.code(200)
      }
      return reply.send(read.stream)
    },
  })
}

/** Opens the document; storage trouble is a 503, a missing blob a 500. */
async function openBlob(
  blobs: BlobStore,
  name: string,
  range: ByteRange | undefined,
  log: { error: (obj: object, msg: string) => void },
): Promise<BlobRead> {
  let read: BlobRead | undefined
  try {
    read = await blobs.get(name, range ? { range } : undefined)
  } catch (err) {
    log.error({ err }, 'blob store unavailable')
    throw new AppError('service_unavailable')
  }

  if (!read) throw new Error(`the result blob ${name} is missing`)
  return read
}

export default resultRoute
