import {
  isFinal,
  transition,
  type JobQueue,
  type JobStore,
  type Logger,
  type ReceivedMessage,
  type Subscription,
} from '@invoice-jobs/shared'
import { jobIdOf } from './message-body.js'
import { settlesWithin } from './wait.js'

/** How often a failing compare-and-set is retried before giving up. */
const MAX_RACES = 5

export interface DeadLetterReconcilerOptions {
  store: JobStore
  queue: JobQueue
  logger: Logger
  /** @defaultValue 1 */
  concurrency?: number
  /** How long close() waits for dead letters being handled.
   * @defaultValue 5000 */
  closeTimeoutMs?: number
  clock?: () => Date
}

export interface DeadLetterReconciler {
  start(): void
  /** Safe to call twice. */
  close(): Promise<void>
  /** Jobs this reconciler moved to `failed`. */
  readonly failedJobs: number
}

/**
 * Reads the dead-letter subqueue so that every accepted job reaches a final
 * state. The worker fails a job before dead-lettering its message; when the
 * queue dead-letters on its own (a worker that crashed on every delivery),
 * the job is still open and is failed here.
 */
export function createDeadLetterReconciler(
  options: DeadLetterReconcilerOptions,
): DeadLetterReconciler {
  const { logger, queue, store } = options
  const now = options.clock ?? (() => new Date())
  let subscription: Subscription | undefined
  let closing: Promise<void> | undefined
  let failedJobs = 0
  const running = new Set<Promise<void>>()

  async function failJob(jobId: string, reason: string): Promise<void> {
    let job = await store.get(jobId)
    for (let race = 0; race < MAX_RACES; race += 1) {
      if (job === undefined || isFinal(job.status)) return

      const failed = await transition(
        store,
        job,
        'failed',
        {
          attempts: job.attempts,
          error: {
            code: 'dead_lettered',
            message: `the queue gave the job up: ${reason}`,
          },
        },
        now(),
      )
      if (failed !== undefined) {
        failedJobs += 1
        logger.error({ jobId, reason }, 'dead-lettered job failed')
        return
      }
      job = await store.get(jobId)
    }
    throw new Error(`job ${jobId} kept changing while being failed`)
  }

  async function onMessage(message: ReceivedMessage): Promise<void> {
    const handling = reconcile(message)
    running.add(handling)
    try {
      await handling
    } finally {
      running.delete(handling)
    }
  }

  async function reconcile(message: ReceivedMessage): Promise<void> {
    const jobId = jobIdOf(message.body)
    const reason = message.deadLetterReason ?? 'unknown reason'
    try {
      if (jobId !== undefined) await failJob(jobId, reason)
      await queue.complete(message)
    } catch (err) {
      logger.warn(
        { err, jobId, messageId: message.messageId },
        'dead letter not reconciled',
      )
      try {
        await queue.abandon(message, { delayMs: 1000 })
      } catch (abandonErr) {
        logger.warn({ err: abandonErr }, 'dead letter not abandoned')
      }
    }
  }

  async function shutdown(): Promise<void> {
    try {
      await subscription?.close()
    } catch (err) {
      logger.error({ err }, 'closing the dead-letter subscription failed')
    }

    // Let a dead letter being handled finish before the adapters close.
    const timeoutMs = options.closeTimeoutMs ?? 5000
    if (!(await settlesWithin(Promise.allSettled(running), timeoutMs))) {
      logger.warn({ running: running.size }, 'dead letters left unfinished')
    }
  }

  return {
    start() {
      if (subscription || closing) throw new Error('already started')
      subscription = queue.subscribe(onMessage, {
        concurrency: options.concurrency ?? 1,
        deadLetter: true,
        onError: (err) =>
          logger.error({ err }, 'dead-letter subscription error'),
      })
    },
    close() {
      closing ??= shutdown()
      return closing
    },
    get failedJobs() {
      return failedJobs
    },
  }
}
