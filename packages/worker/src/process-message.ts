import { transition, type JobResult } from '@invoice-jobs/shared'
import { claimJob } from './claim-job.js'
import { DeadLetterReason, PermanentJobError } from './errors.js'
import type { JobOutput } from './handlers/job-handler.js'
import { handleJobFailure } from './job-failure.js'
import { startLockRenewal } from './lock-renewal.js'
import { parseMessageBody } from './message-body.js'
import {
  yieldToOtherDelivery,
  type MessageContext,
  type ProcessResult,
} from './message-context.js'
import { retryDelayMs } from './retry-delay.js'

const ABANDONED: ProcessResult = {
  outcome: 'abandoned',
  settle: 'already-settled',
}

/**
 * Processes one delivery from start to settlement. The job's state is
 * written before the message is settled, so a crash in between only causes
 * a repeat delivery, which finds the job final and changes nothing.
 * Never throws for a problem of the job itself; may throw when the queue
 * cannot settle.
 */
export async function processMessage(
  context: MessageContext,
): Promise<ProcessResult> {
  const { logger, message, settler } = context

  const parsed = parseMessageBody(message.body)
  if (!parsed.ok) {
    logger.error({ problem: parsed.problem }, 'message rejected')
    const settle = await settler.deadLetter(
      DeadLetterReason.InvalidMessage,
      parsed.problem,
    )
    return { outcome: 'rejected', settle }
  }

  const renewal = startLockRenewal({
    queue: context.queue,
    message,
    logger,
    maxRenewalMs: context.maxLockRenewalMs,
  })
  try {
    return await runJob(context, parsed.body.jobId)
  } catch (err) {
    if (context.signal.aborted) return ABANDONED

    // The store or the queue failed outside the handler: the job may be
    // left `processing`, which the next delivery takes over.
    const delayMs = retryDelayMs(message.deliveryCount, context.retry)
    logger.warn({ err, delayMs }, 'message deferred')
    return { outcome: 'deferred', settle: await settler.abandon(delayMs) }
  } finally {
    renewal.stop()
  }
}

async function runJob(
  context: MessageContext,
  jobId: string,
): Promise<ProcessResult> {
  const { blobs, logger, settler, signal, store } = context
  const startedAt = context.now().getTime()

  const claim = await claimJob(store, jobId, context.now, logger)
  if (claim.kind === 'missing') {
    logger.error('job not found')
    const settle = await settler.deadLetter(
      DeadLetterReason.JobNotFound,
      `no job has id ${jobId}`,
    )
    return { outcome: 'rejected', settle }
  }
  if (claim.kind === 'final') {
    logger.info({ status: claim.job.status }, 'job already final')
    return { outcome: 'duplicate', settle: await settler.complete() }
  }

  const job = claim.job
  logger.debug({ attempt: job.attempts }, 'job started')
  let output: JobOutput
  let result: JobResult
  try {
    const handler = context.handlers[job.type]
    if (handler === undefined) {
      throw new PermanentJobError(
        'unsupported_job_type',
        `no handler for job type ${job.type}`,
      )
    }
    output = await handler(job, { logger, signal })
    if (signal.aborted) return ABANDONED

    // A delivery that outlived its lock may have been taken over; check
    // before overwriting the document the new owner may have stored.
    // TODO: a takeover during the upload itself can still overwrite it.
    const current = await store.get(job.id)
    if (current?.version !== job.version) {
      return yieldToOtherDelivery(context, job)
    }

    const info = await blobs.put(output.blobName, output.body, {
      contentType: output.contentType,
      metadata: { jobId: job.id },
    })
    result = {
      blobName: output.blobName,
      contentType: info.contentType,
      size: info.size,
      etag: info.etag,
      fileName: output.fileName,
    }
  } catch (err) {
    if (signal.aborted) return ABANDONED
    return handleJobFailure(context, job, err)
  }
  if (signal.aborted) return ABANDONED

  const completed = await transition(
    store,
    job,
    'completed',
    { attempts: job.attempts, result },
    context.now(),
  )
  if (completed === undefined) return yieldToOtherDelivery(context, job)

  const ms = context.now().getTime() - startedAt
  logger.info({ ms, attempt: job.attempts, size: result.size }, 'job completed')
  return { outcome: 'completed', settle: await settler.complete() }
}
