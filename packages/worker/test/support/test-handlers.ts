import type { Job } from '@invoice-jobs/shared'
import {
  documentBlobName,
  type JobHandler,
} from '../../src/handlers/job-handler.js'

/** A handler for tests: writes a small text document naming the job and
 * the call, and records every job it was called with. */
export function textHandler(
  before: (job: Job, call: number) => Promise<void> | void = () => {},
): JobHandler & { calls: Job[] } {
  const calls: Job[] = []
  const handler = async (job: Job) => {
    calls.push(job)
    await before(job, calls.length)
    return {
      blobName: documentBlobName(job, '.txt'),
      body: new TextEncoder().encode(`job ${job.id} call ${calls.length}`),
      contentType: 'text/plain',
      fileName: `${job.invoiceNumber}.txt`,
    }
  }
  return Object.assign(handler, { calls })
}

export const sleep = (ms: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, ms))
