import type { QueueMessage } from '@invoice-jobs/shared'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export type ParsedBody =
  { ok: true; body: QueueMessage } | { ok: false; problem: string }

/**
 * Checks a delivered body against the claim-check shape. The queue may
 * carry anything a sender put there, so the port's type is not trusted.
 * The check is written out rather than compiled from the schema so that it
 * does not depend on which string formats a process has registered.
 */
export function parseMessageBody(raw: unknown): ParsedBody {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, problem: 'the body is not an object' }
  }

  const body = raw as Record<string, unknown>
  if (typeof body.jobId !== 'string' || !UUID.test(body.jobId)) {
    return { ok: false, problem: 'jobId is missing or not a UUID' }
  }
  if (typeof body.type !== 'string' || body.type.length === 0) {
    return { ok: false, problem: 'type is missing' }
  }
  for (const key of ['traceparent', 'requestId']) {
    if (body[key] !== undefined && typeof body[key] !== 'string') {
      return { ok: false, problem: `${key} is not a string` }
    }
  }

  return { ok: true, body: raw as QueueMessage }
}

/** The job id of a body that may be malformed, for logs and cleanup. */
export function jobIdOf(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined
  const jobId = (raw as Record<string, unknown>).jobId
  return typeof jobId === 'string' && UUID.test(jobId) ? jobId : undefined
}
