import {
  MessageLockLostError,
  type Logger,
  type ReceivedMessage,
  type Subscription,
} from '@invoice-jobs/shared'
import type { Adapters } from '@invoice-jobs/shared/adapters'
import type { WorkerEnv } from './config.js'
import { defaultHandlers, type JobHandlers } from './handlers/index.js'
import { jobIdOf } from './message-body.js'
import type { ProcessResult } from './message-context.js'
import { createMessageSettler, type MessageSettler } from './message-settler.js'
import { processMessage } from './process-message.js'
import { settlesWithin, whenAborted } from './wait.js'
import { emptyStats, type WorkerStats } from './worker-stats.js'

export type WorkerConfig = Pick<
  WorkerEnv,
  | 'WORKER_CONCURRENCY'
  | 'SHUTDOWN_GRACE_MS'
  | 'RETRY_BASE_DELAY_MS'
  | 'RETRY_MAX_DELAY_MS'
  | 'LOCK_RENEWAL_MAX_MS'
>

export interface WorkerOptions {
  config: WorkerConfig
  adapters: Pick<Adapters, 'store' | 'queue' | 'blobs'>
  logger: Logger
  /** Handlers by job type. @defaultValue the invoice handler */
  handlers?: JobHandlers
  /** @defaultValue `() => new Date()` */
  clock?: () => Date
  /** Jitter source for retry delays. @defaultValue Math.random */
  random?: () => number
}

export interface Worker {
  /** Starts taking messages. */
  start(): void
  /** Drains within the grace period, then abandons what still runs. Safe
   * to call twice; leaves the adapters open (the caller owns them). */
  close(): Promise<void>
  /** True between start() and close(). */
  readonly running: boolean
  readonly stats: WorkerStats
}

interface Delivery {
  settler: MessageSettler
  controller: AbortController
  logger: Logger
  done: Promise<void>
}

/** The message loop: one processMessage per delivery, bounded in number. */
export function createWorker(options: WorkerOptions): Worker {
  const { adapters, config, logger } = options
  const handlers = options.handlers ?? defaultHandlers
  const now = options.clock ?? (() => new Date())
  const stats = emptyStats()
  const inFlight = new Set<Delivery>()
  let subscription: Subscription | undefined
  let closing: Promise<void> | undefined

  function record(delivery: Delivery, result: ProcessResult): void {
    // Shutdown counted its own abandonments already.
    if (result.outcome !== 'abandoned') stats[result.outcome] += 1
    if (result.settle === 'lock-lost') {
      stats.lockLost += 1
      delivery.logger.warn({ outcome: result.outcome }, 'message lock lost')
    }
  }

  async function onMessage(message: ReceivedMessage): Promise<void> {
    stats.received += 1
    const body = message.body as Partial<Record<string, unknown>>
    const delivery: Delivery = {
      settler: createMessageSettler(adapters.queue, message),
      controller: new AbortController(),
      logger: logger.child({
        jobId: jobIdOf(body),
        messageId: message.messageId,
        deliveryCount: message.deliveryCount,
        requestId:
          typeof body?.requestId === 'string' ? body.requestId : undefined,
      }),
      done: Promise.resolve(),
    }

    delivery.done = processMessage({
      store: adapters.store,
      queue: adapters.queue,
      blobs: adapters.blobs,
      message,
      settler: delivery.settler,
      signal: delivery.controller.signal,
      handlers,
      logger: delivery.logger,
      now,
      retry: {
        baseDelayMs: config.RETRY_BASE_DELAY_MS,
        maxDelayMs: config.RETRY_MAX_DELAY_MS,
        ...(options.random ? { random: options.random } : {}),
      },
      maxLockRenewalMs: config.LOCK_RENEWAL_MAX_MS,
    }).then(
      (result) => record(delivery, result),
      (err: unknown) => {
        stats.errors += 1
        delivery.logger.error({ err }, 'message processing crashed')
      },
    )

    inFlight.add(delivery)
    stats.inFlight = inFlight.size
    try {
      // Once shutdown abandons the message, hand the slot back at once;
      // the processing left running can no longer settle anything.
      await Promise.race([
        delivery.done,
        whenAborted(delivery.controller.signal),
      ])
    } finally {
      inFlight.delete(delivery)
      stats.inFlight = inFlight.size
    }
  }

  function onError(err: Error): void {
    if (err instanceof MessageLockLostError) {
      stats.lockLost += 1
      logger.warn({ err }, 'message lock lost')
      return
    }
    logger.error({ err }, 'queue subscription error')
  }

  async function shutdown(): Promise<void> {
    const graceEnds = Date.now() + config.SHUTDOWN_GRACE_MS
    const left = () => Math.max(0, graceEnds - Date.now())
    logger.info({ inFlight: inFlight.size }, 'worker closing')

    try {
      if (subscription) await settlesWithin(subscription.close(), left())
    } catch (err) {
      logger.error({ err }, 'closing the subscription failed')
    }

    try {
      const running = [...inFlight].map((d) => d.done)
      await settlesWithin(Promise.allSettled(running), left())
    } catch (err) {
      logger.error({ err }, 'waiting for running jobs failed')
    }

    for (const delivery of [...inFlight]) {
      try {
        delivery.controller.abort()
        const settle = await delivery.settler.abandon()
        if (settle === 'already-settled') continue
        stats.abandoned += 1
        delivery.logger.warn({ settle }, 'message abandoned at shutdown')
      } catch (err) {
        delivery.logger.error({ err }, 'abandoning a message failed')
      }
    }
    logger.info({ stats: { ...stats } }, 'worker closed')
  }

  return {
    start() {
      if (subscription || closing) throw new Error('the worker has started')
      subscription = adapters.queue.subscribe(onMessage, {
        concurrency: config.WORKER_CONCURRENCY,
        onError,
      })
      logger.info({ concurrency: config.WORKER_CONCURRENCY }, 'worker started')
    },
    close() {
      closing ??= shutdown()
      return closing
    },
    get running() {
      return subscription !== undefined && closing === undefined
    },
    get stats() {
      return { ...stats }
    },
  }
}
