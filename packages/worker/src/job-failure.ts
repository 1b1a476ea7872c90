import { transition, type Job } from '@invoice-jobs/shared'
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
    const error = { code: err.code, message: err.message }
    const failed = await transition(
      store,
      job,
      'failed',
      { attempts: job.attempts, error },
      context.now(),
    )
    if (failed === undefined) return yieldToOtherDelivery(context, job)

    logger.error({ err, code: err.code, attempt }, 'job failed')
    const settle = await settler.deadLetter(
      DeadLetterReason.PermanentFailure,
      `${err.code}: ${err.message}`,
    )
    return { outcome: 'failed', settle }
  }

  if (attempt >= maxDeliveries) {
    const error = {
      code: 'max_deliveries_exceeded',
      message: `gave up after attempt ${attempt} of ${maxDeliveries}`,
    }
    const failed = await transition(
      store,
      job,
      'failed',
      { attempts: job.attempts, error },
      context.now(),
    )
    if (failed === undefined) return yieldToOtherDelivery(context, job)

    logger.error({ err, attempt, maxDeliveries }, 'job failed')
    const settle = await settler.deadLetter(
      DeadLetterReason.MaxDeliveriesExceeded,
      `attempt ${attempt} of ${maxDeliveries} failed`,
    )
    return { outcome: 'failed', settle }
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
