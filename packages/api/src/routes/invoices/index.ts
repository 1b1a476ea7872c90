import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  InvoiceRequest,
  JobAccepted,
  validateInvoice,
} from '@invoice-jobs/shared'
import { documentHeaders } from '../../http/response-headers.js'
import { problemResponse, sendProblem } from '../../plugins/problem.js'
import type { SubmitJob } from '../../services/submit-job.js'
import { SubmitHeaders } from './schemas.js'

export interface InvoiceRoutesOptions {
  submitJob: SubmitJob
  retryAfterSeconds: number
}

const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/

/** `POST /invoices`: accepts an invoice and queues the job rendering it. */
const invoiceRoutes: FastifyPluginAsyncTypebox<InvoiceRoutesOptions> = async (
  app,
  { submitJob, retryAfterSeconds },
) => {
  app.post(
    '/invoices',
    {
      schema: {
        tags: ['invoices'],
        summary: 'Submit an invoice to be rendered as a PDF',
        headers: SubmitHeaders,
        body: InvoiceRequest,
        response: {
          202: {
            description: 'Queued; poll the job at Location',
            headers: documentHeaders('location', 'retry-after'),
            content: { 'application/json': { schema: JobAccepted } },
          },
          400: problemResponse('The request or the invoice is not valid'),
          409: problemResponse('Idempotency key reused or number taken'),
          413: problemResponse('The body exceeds the size limit'),
          415: problemResponse('The body is not application/json'),
          503: problemResponse('The job store is unavailable'),
        },
      },
    },
    async (request, reply) => {
      // The schema checked shapes; these are the rules it cannot express.
      const errors = validateInvoice(request.body)
      if (errors.length > 0) {
        return sendProblem(reply, 'validation_failed', { errors })
      }

      const idempotencyKey = request.headers['idempotency-key']
      const traceparent = request.headers.traceparent
      const { job } = await submitJob({
        body: request.body,
        requestId: request.id,
        ...(idempotencyKey !== undefined && { idempotencyKey }),
        ...(traceparent !== undefined &&
          TRACEPARENT.test(traceparent) && { traceparent }),
      })

      const statusHref = `/jobs/${job.id}/status`
      return reply
        .code(202)
        .header('location', statusHref)
        .header('retry-after', String(retryAfterSeconds))
        .send({
          id: job.id,
          // A replay reports where the earlier job is now.
          status: job.status,
          createdAt: job.createdAt.toISOString(),
          links: { status: statusHref },
        })
    },
  )
}

export default invoiceRoutes
