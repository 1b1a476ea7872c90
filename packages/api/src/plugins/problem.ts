import type { FastifyReply } from 'fastify'
import {
  errorCodes,
  Problem,
  type ErrorCode,
  type FieldError,
} from '@invoice-jobs/shared'

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

/** The parts of a problem that vary from one answer to the next. */
export interface ProblemOptions {
  detail?: string
  errors?: FieldError[]
  jobStatus?: string
}

/**
 * An RFC 9457 problem for `code`. The type is a URN rather than a URL
 * because we host no page per problem; the title comes from the table.
 */
export function buildProblem(
  code: ErrorCode,
  requestId: string,
  options: ProblemOptions = {},
): Problem {
  const { status, title } = errorCodes[code]
  return {
    type: `urn:invoice-jobs:problem:${code}`,
    title,
    status,
    code,
    ...(options.detail !== undefined && { detail: options.detail }),
    requestId,
    ...(options.errors !== undefined && { errors: options.errors }),
    ...(options.jobStatus !== undefined && { jobStatus: options.jobStatus }),
  }
}

/** Answers with the problem for `code` as `application/problem+json`. */
export function sendProblem(
  reply: FastifyReply,
  code: ErrorCode,
  options: ProblemOptions = {},
): FastifyReply {
  const problem = buildProblem(code, reply.request.id, options)
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem)
}

/** A route's response entry for a problem, for the schema and OpenAPI. */
export function problemResponse(description: string) {
  return {
    description,
    content: { [PROBLEM_CONTENT_TYPE]: { schema: Problem } },
  }
}
