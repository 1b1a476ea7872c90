import { randomUUID } from 'node:crypto'
import {
  AppError,
  DEFAULT_OWNER,
  type InvoiceRequest,
  type Job,
  type JobQueue,
  type JobStore,
  type Logger,
  type QueueMessage,
} from '@invoice-jobs/shared'
import { requestHash } from './canonical-json.js'
import { queueMessageFor } from './queue-message.js'

export interface SubmitJobDeps {
  store: JobStore
  queue: JobQueue
  logger: Logger
  clock: () => Date
  /**
   * How long a submit waits for the queue before leaving the send to the
   * relay. @defaultValue 2000
   */
  sendTimeoutMs?: number
}

export interface SubmitJobInput {
  body: InvoiceRequest
  requestId: string
  idempotencyKey?: string
  /** W3C trace context, when the caller sent a well-formed one. */
  traceparent?: string
}

export interface SubmitJobOutcome {
  job: Job
  /** True when an earlier request with the same key made the job. */
  replayed: boolean
}

export type SubmitJob = (input: SubmitJobInput) => Promise<SubmitJobOutcome>

/**
 * Records a validated invoice as a queued job and gets its message on the
 * queue. Once the job is saved, the client may be told 202 even if the
 * send fails: the job waits with its dispatch pending and the relay sends
 * it later. A failed save answers 503 and nothing was promised.
 */
export function createSubmitJob(deps: SubmitJobDeps): SubmitJob {
  const { store, clock } = deps

  return async (input) => {
    const log = deps.logger.child({ requestId: input.requestId })
    const now = clock()
    const owner = DEFAULT_OWNER

    const chosen = input.body.invoiceNumber
    // A generated number is not reserved until the job is saved, so a
    // client may take it first; then the next one is tried.
    for (let attempt = 1; ; attempt += 1) {
      const invoiceNumber =
        chosen ?? (await guard(log, () => store.nextInvoiceNumber(owner, now)))
      const job = newJob(input, { owner, invoiceNumber, now })
      const message = queueMessageFor(job)

      const result = await guard(log, () => store.create(job, message))
      switch (result.outcome) {
        case 'replayed':
          log.info({ jobId: result.job.id }, 'job replayed')
          return { job: result.job, replayed: true }
        case 'key-conflict':
          throw new AppError('idempotency_key_reused')
        case 'number-taken':
          if (chosen === undefined && attempt < MAX_NUMBER_ATTEMPTS) continue
          throw new AppError(
            'invoice_number_taken',
            `Invoice number ${invoiceNumber} is taken.`,
          )
      }

      log.info({ jobId: job.id }, 'job created')
      if (!result.enqueued) {
        await dispatch(deps, result.job, message, input.requestId, log)
      }
      return { job: result.job, replayed: false }
    }
  }
}

const MAX_NUMBER_ATTEMPTS = 5

function newJob(
  input: SubmitJobInput,
  {
    owner,
    invoiceNumber,
    now,
  }: { owner: string; invoiceNumber: string; now: Date },
): Job {
  return {
    id: randomUUID(),
    owner,
    type: 'invoice',
    status: 'queued',
    version: 1,
    input: { ...input.body, invoiceNumber },
    invoiceNumber,
    attempts: 0,
    createdAt: now,
    updatedAt: now,
    // Hash the body as sent, so that a replay without a number matches.
    requestHash: requestHash(input.body),
    requestId: input.requestId,
    ...(input.idempotencyKey !== undefined && {
      idempotencyKey: input.idempotencyKey,
    }),
    ...(input.traceparent !== undefined && {
      traceparent: input.traceparent,
    }),
  }
}

/** Runs a store call; a failure becomes a 503, logged with its cause. */
async function guard<T>(log: Logger, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (err) {
    log.error({ err }, 'job store unavailable')
    throw new AppError('service_unavailable')
  }
}

/** Sends the message and records it; a failure leaves it to the relay. */
async function dispatch(
  deps: SubmitJobDeps,
  job: Job,
  message: QueueMessage,
  requestId: string,
  log: Logger,
): Promise<void> {
  try {
    await deps.queue.send(message, {
      correlationId: requestId,
      abortSignal: AbortSignal.timeout(deps.sendTimeoutMs ?? 2000),
    })
    await deps.store.markDispatched(job.id, deps.clock())
  } catch (err) {
    log.warn({ err, jobId: job.id }, 'dispatch deferred to the relay')
  }
}
