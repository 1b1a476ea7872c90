import type {
  BlobStore,
  Job,
  JobQueue,
  JobStore,
  Logger,
  ReceivedMessage,
} from '@invoice-jobs/shared'
import type { JobHandlers } from './handlers/job-handler.js'
import type { MessageSettler, SettleResult } from './message-settler.js'
import type { RetryDelayOptions } from './retry-delay.js'

/** Everything the processing of one delivery needs. */
export interface MessageContext {
  message: ReceivedMessage
  settler: MessageSettler
  /** Aborted when the worker gave the message up; write nothing after. */
  signal: AbortSignal
  store: JobStore
  queue: JobQueue
  blobs: BlobStore
  handlers: JobHandlers
  /** The per-message child logger. */
  logger: Logger
  now: () => Date
  retry: RetryDelayOptions
  maxLockRenewalMs: number
}

/** How one delivery ended. */
export type ProcessOutcome =
  /** The job completed now. */
  | 'completed'
  /** The job was final already; the message was a repeat. */
  | 'duplicate'
  /** The job went back to `queued`; the message comes back later. */
  | 'retried'
  /** The job failed; the message was dead-lettered. */
  | 'failed'
  /** Malformed message or missing job: dead-lettered, no job changed. */
  | 'rejected'
  /** Another delivery changed the job under us; it is in charge. */
  | 'superseded'
  /** The store or blob storage failed; the message comes back later. */
  | 'deferred'
  /** The worker abandoned the message while shutting down. */
  | 'abandoned'

export interface ProcessResult {
  outcome: ProcessOutcome
  settle: SettleResult
}

/**
 * Our compare-and-set lost: another delivery (a duplicate message, or this
 * one redelivered after our lock expired) moved the job. Its outcome
 * stands; our message is done.
 */
export async function yieldToOtherDelivery(
  context: MessageContext,
  job: Job,
): Promise<ProcessResult> {
  const current = await context.store.get(job.id)
  context.logger.warn(
    { status: current?.status, version: current?.version },
    'job changed by another delivery',
  )
  return { outcome: 'superseded', settle: await context.settler.complete() }
}
