import {
  MessageLockLostError,
  type MessageHandler,
  type ReceivedMessage,
  type SubscribeOptions,
  type Subscription,
} from '../../ports/job-queue.js'
import { watchForSends } from './sqlite-wakeup.js'

/** The queue operations a subscription drives. */
export interface QueueCursor {
  /** The database file, to hear about sends from other processes. */
  file: string
  /** Locks and returns the next visible message, if any. */
  claim(): ReceivedMessage | undefined
  /** When the next locked or delayed message becomes visible (ms). */
  nextDueAt(): number | undefined
  abandon(message: ReceivedMessage): Promise<void>
}

export interface SqliteSubscriptionOptions extends SubscribeOptions {
  fallbackPollMs: number
  onClosed(): void
}

/**
 * Runs up to `concurrency` handlers. It claims messages when told a send
 * happened (same process or another one), when a handler finishes, when a
 * lock or delay is due to run out, and otherwise on a slow poll.
 */
export class SqliteSubscription implements Subscription {
  readonly #cursor: QueueCursor
  readonly #handler: MessageHandler
  readonly #options: SqliteSubscriptionOptions
  #running = 0
  #closed = false
  #wakePending = false
  #timer: NodeJS.Timeout | undefined
  #stopWatching: (() => void) | undefined

  constructor(
    cursor: QueueCursor,
    handler: MessageHandler,
    options: SqliteSubscriptionOptions,
  ) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
      throw new RangeError('concurrency must be a positive integer')
    }
    this.#cursor = cursor
    this.#handler = handler
    this.#options = options
  }

  start(): void {
    this.#stopWatching = watchForSends(
      this.#cursor.file,
      () => this.#wake(),
      this.#options.onError,
    )
    this.#wake()
  }

  /** Stops claiming at once; running handlers finish on their own. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    clearTimeout(this.#timer)
    this.#stopWatching?.()
    this.#options.onClosed()
  }

  /** Coalesces bursts of wake-ups into one pump on the next tick. */
  #wake(): void {
    if (this.#closed || this.#wakePending) return
    this.#wakePending = true
    setImmediate(() => {
      this.#wakePending = false
      this.#pump()
    })
  }

  #pump(): void {
    if (this.#closed) return
    clearTimeout(this.#timer)

    while (this.#running < this.#options.concurrency) {
      let message: ReceivedMessage | undefined
      try {
        message = this.#cursor.claim()
      } catch (err) {
        this.#options.onError(err as Error)
        break
      }
      if (!message) break
      this.#running++
      void this.#run(message)
    }

    this.#schedule()
  }

  #schedule(): void {
    if (this.#closed) return
    let delay = this.#options.fallbackPollMs
    if (this.#running < this.#options.concurrency) {
      try {
        const due = this.#cursor.nextDueAt()
        if (due !== undefined) delay = Math.min(delay, due - Date.now() + 5)
      } catch (err) {
        this.#options.onError(err as Error)
      }
    }
    this.#timer = setTimeout(() => this.#pump(), Math.max(0, delay))
  }

  async #run(message: ReceivedMessage): Promise<void> {
    try {
      await this.#handler(message)
    } catch (err) {
      this.#options.onError(err as Error)
      await this.#releaseAfterFailure(message)
    } finally {
      this.#running--
      this.#wake()
    }
  }

  /** A handler that threw may not have settled: give the message back. */
  async #releaseAfterFailure(message: ReceivedMessage): Promise<void> {
    try {
      await this.#cursor.abandon(message)
    } catch (err) {
      // Already settled by the handler, or the lock ran out: nothing to do.
      if (!(err instanceof MessageLockLostError)) {
        this.#options.onError(err as Error)
      }
    }
  }
}
