import { transition, type Job, type JobError } from '@invoice-jobs/shared'
import { DeadLetterReason, isPermanent } from './errors.js'
import {
  yieldToOtherDelivery,
  type MessageContext,
  type ProcessResult,
} from './message-context.js'
import { retryDelayMs } from './retry-delay.js'

/**
 * Decides the fate of a claimed job whose handler (or document upload)
 * threw: a permanent error fails it at once; a transient one sends it back
 * to `queued` with a backoff delay, until the queue's delivery limit.
 */
export async function handleJobFailure(
  context: MessageContext,
  job: Job,
  err: unknown,
): Promise<ProcessResult> {
  const { logger, message, queue, settler, store } = context
  const attempt = message.deliveryCount
  const maxDeliveries = queue.maxDeliveries

  if (isPermanent(err)) {
    return failAndDeadLetter(context, job, {
      logFields: { err, code: err.code, attempt },
      error: { code: err.code, message: err.message },
      reason: DeadLetterReason.PermanentFailure,
      description: `${err.code}: ${err.message}`,
    })
  }

  if (attempt >= maxDeliveries) {
    return failAndDeadLetter(context, job, {
      logFields: { err, attempt, maxDeliveries },
      error: {
        code: 'max_deliveries_exceeded',
        message: `gave up after attempt ${attempt} of ${maxDeliveries}`,
      },
      reason: DeadLetterReason.MaxDeliveriesExceeded,
      description: `attempt ${attempt} of ${maxDeliveries} failed`,
    })
  }

  const requeued = await transition(
    store,
    job,
    'queued',
    { attempts: job.attempts },
    context.now(),
  )
  if (requeued === undefined) return yieldToOtherDelivery(context, job)

  const delayMs = retryDelayMs(attempt, context.retry)
  logger.warn({ err, attempt, maxDeliveries, delayMs }, 'job will be retried')
  return { outcome: 'retried', settle: await settler.abandon(delayMs) }
}

interface Failure {
  /** Logged with 'job failed' once this delivery has failed the job. */
  logFields: Record<string, unknown>
  error: JobError
  reason: DeadLetterReason
  description: string
}

/** Moves the job to `failed`, then dead-letters its message. */
async function failAndDeadLetter(
  context: MessageContext,
  job: Job,
  failure: Failure,
): Promise<ProcessResult> {
  const failed = await transition(
    context.store,
    job,
    'failed',
    { attempts: job.attempts, error: failure.error },
    context.now(),
  )
  if (failed === undefined) return yieldToOtherDelivery(context, job)

  context.logger.error(failure.logFields, 'job failed')
  const settle = await context.settler.deadLetter(
    failure.reason,
    failure.description,
  )
  return { outcome: 'failed', settle }
}
