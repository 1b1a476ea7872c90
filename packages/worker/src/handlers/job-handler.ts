import type { Job, Logger } from '@invoice-jobs/shared'

/** What a handler hands back: one document to store. */
export interface JobOutput {
  /** Deterministic per job, so a retry overwrites instead of adding. */
  blobName: string
  body: Uint8Array
  contentType: string
  /** The name a client sees when downloading. */
  fileName: string
}

export interface JobHandlerContext {
  logger: Logger
  /** Aborted when the worker gave the message up (shutdown). */
  signal: AbortSignal
}

/**
 * Turns a job's stored input into its document. Throws PermanentJobError
 * for data that can never work; any other error is retried.
 */
export type JobHandler = (
  job: Job,
  context: JobHandlerContext,
) => Promise<JobOutput>

/** Handlers keyed by job type; a new job type adds one entry. */
export type JobHandlers = Readonly<Record<string, JobHandler>>

/** The deterministic place of a job's document in blob storage. */
export function documentBlobName(job: Job, extension: string): string {
  return `${job.type}s/${encodeURIComponent(job.owner)}/${job.id}${extension}`
}
