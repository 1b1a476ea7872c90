import { setTimeout as sleep } from 'node:timers/promises'
import type {
  JobQueue,
  ReceivedMessage,
  Subscription,
} from '../../src/ports/job-queue.js'

/**
 * Subscribes and keeps every delivery, unsettled, for the test to settle.
 * `next` waits for the next delivery; `expectNothing` fails if one comes.
 */
export class Inbox {
  readonly received: ReceivedMessage[] = []
  readonly errors: Error[] = []
  readonly #subscription: Subscription
  #taken = 0
  #notify: (() => void) | undefined

  constructor(queue: JobQueue, options: { deadLetter?: boolean } = {}) {
    this.#subscription = queue.subscribe(
      async (message) => {
        this.received.push(message)
        this.#notify?.()
      },
      {
        concurrency: 4,
        deadLetter: options.deadLetter ?? false,
        onError: (err) => this.errors.push(err),
      },
    )
  }

  async next(timeoutMs: number): Promise<ReceivedMessage> {
    const deadline = Date.now() + timeoutMs
    while (this.received.length <= this.#taken) {
      const left = deadline - Date.now()
      if (left <= 0) {
        throw new Error(`no message arrived within ${timeoutMs} ms`)
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.#notify = () => {
          clearTimeout(timer)
          resolve()
        }
      })
    }
    return this.received[this.#taken++]!
  }

  async expectNothing(forMs: number): Promise<void> {
    await sleep(forMs)
    if (this.received.length > this.#taken) {
      const extra = this.received[this.#taken]!
      throw new Error(
        `unexpected delivery of ${extra.messageId} ` +
          `(deliveryCount ${extra.deliveryCount})`,
      )
    }
  }

  close(): Promise<void> {
    return this.#subscription.close()
  }
}
