import { Type, type Static } from '@sinclair/typebox'
import { JobId, JobType } from './job.js'

/**
 * What travels on the queue: a claim check. The payload stays in the job
 * store; the message only says which job to load.
 */
export const QueueMessage = Type.Object(
  {
    jobId: JobId,
    type: JobType,
    /** W3C trace context of the request that created the job. */
    traceparent: Type.Optional(Type.String()),
    /** The HTTP request id, to tie worker logs to the submit. */
    requestId: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
)
export type QueueMessage = Static<typeof QueueMessage>
