import type { Job, QueueMessage } from '@invoice-jobs/shared'

/** The claim check for a job: its id, and the ids that tie logs together. */
export function queueMessageFor(job: Job): QueueMessage {
  return {
    jobId: job.id,
    type: job.type,
    ...(job.requestId !== undefined && { requestId: job.requestId }),
    ...(job.traceparent !== undefined && { traceparent: job.traceparent }),
  }
}
