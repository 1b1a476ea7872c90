/**
 * Every error a client can see. Codes are stable: never reuse or rename
 * one. Each has its HTTP status and a sentence that becomes the problem's
 * title.
 */
export const errorCodes = {
  validation_failed: { status: 400, title: 'The request is not valid.' },
  malformed_json: { status: 400, title: 'The body is not valid JSON.' },
  bad_request: { status: 400, title: 'The request could not be understood.' },
  not_found: { status: 404, title: 'No such resource.' },
  job_not_found: { status: 404, title: 'No job has this id.' },
  method_not_allowed: { status: 405, title: 'This method is not allowed.' },
  job_not_completed: {
    status: 409,
    title: 'The job has no result yet; poll its status.',
  },
  job_failed: { status: 409, title: 'The job failed and has no result.' },
  job_canceled: {
    status: 409,
    title: 'The job was canceled and has no result.',
  },
  idempotency_key_reused: {
    status: 409,
    title: 'This Idempotency-Key was used with another body.',
  },
  invoice_number_taken: {
    status: 409,
    title: 'An invoice with this number exists already.',
  },
  payload_too_large: { status: 413, title: 'The body is too large.' },
  unsupported_media_type: {
    status: 415,
    title: 'The body must be application/json.',
  },
  range_not_satisfiable: {
    status: 416,
    title: 'The requested range is not within the document.',
  },
  internal_error: { status: 500, title: 'Something went wrong on our side.' },
  service_unavailable: {
    status: 503,
    title: 'A backing service is not available; try again later.',
  },
} as const satisfies Record<string, { status: number; title: string }>

export type ErrorCode = keyof typeof errorCodes

/** An error meant for the client: it carries a code from the table. */
export class AppError extends Error {
  readonly status: number

  constructor(
    readonly code: ErrorCode,
    detail?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail ?? errorCodes[code].title)
    this.name = 'AppError'
    this.status = errorCodes[code].status
  }
}
