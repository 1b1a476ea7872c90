import type { FastifyError, FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { AppError, type ErrorCode } from '@invoice-jobs/shared'
import { sendProblem } from './problem.js'
import { toFieldErrors } from './validation-errors.js'

/** Fastify's own client errors, by their code. */
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_json',
}

/** Other client errors, by HTTP status. */
const statusCodes: Record<number, ErrorCode> = {
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
}

function clientCode(error: FastifyError): ErrorCode {
  return (
    fastifyCodes[error.code] ??
    statusCodes[error.statusCode ?? 400] ??
    'bad_request'
  )
}

/**
 * Every failure leaves as `application/problem+json` with a code from the
 * table. Validation errors list each failing field; server errors are
 * logged with their cause and reach the client without internals.
 */
async function errorHandler(app: FastifyInstance): Promise<void> {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      const errors = toFieldErrors(error.validation, error.validationContext)
      return sendProblem(reply, 'validation_failed', { errors })
    }

    if (error instanceof AppError) {
      if (error.status >= 500) {
        request.log.error({ err: error }, 'request failed')
      }
      const jobStatus = error.extra.jobStatus
      return sendProblem(reply, error.code, {
        detail: error.message,
        ...(typeof jobStatus === 'string' && { jobStatus }),
      })
    }

    const status = error.statusCode ?? 500
    if (status >= 400 && status < 500) {
      return sendProblem(reply, clientCode(error))
    }

    request.log.error({ err: error }, 'request failed')
    return sendProblem(reply, 'internal_error')
  })

  app.setNotFoundHandler((request, reply) => {
    return sendProblem(reply, 'not_found', {
      detail: `No route for ${request.method} ${request.url.split('?')[0]}`,
    })
  })
}

export default fp(errorHandler, { name: 'error-handler' })
