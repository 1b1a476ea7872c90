import {
  MessageLockLostError,
  type JobQueue,
  type ReceivedMessage,
} from '@invoice-jobs/shared'

/** What came of one attempt to settle a message. */
export type SettleResult =
  /** The queue accepted it. */
  | 'settled'
  /** Someone settled this delivery before (e.g. shutdown abandoned it). */
  | 'already-settled'
  /** The lock expired; the message will come back to some receiver. */
  | 'lock-lost'

/**
 * Settles one delivery at most once. Both the message's own processing and
 * the worker's shutdown may want to settle it; whoever comes second gets
 * `already-settled` instead of a second call to the queue.
 */
export interface MessageSettler {
  readonly settled: boolean
  complete(): Promise<SettleResult>
  abandon(delayMs?: number): Promise<SettleResult>
  deadLetter(reason: string, description: string): Promise<SettleResult>
}

export function createMessageSettler(
  queue: JobQueue,
  message: ReceivedMessage,
): MessageSettler {
  let settled = false

  async function once(act: () => Promise<void>): Promise<SettleResult> {
    if (settled) return 'already-settled'
    settled = true

    try {
      await act()
      return 'settled'
    } catch (err) {
      if (err instanceof MessageLockLostError) return 'lock-lost'
      // The queue did not take it (e.g. a network error): another attempt,
      // such as an abandon after a failed complete, may still succeed.
      settled = false
      throw err
    }
  }

  return {
    get settled() {
      return settled
    },
    complete: () => once(() => queue.complete(message)),
    abandon: (delayMs) =>
      once(() =>
        queue.abandon(message, delayMs === undefined ? {} : { delayMs }),
      ),
    deadLetter: (reason, description) =>
      once(() => queue.deadLetter(message, { reason, description })),
  }
}
