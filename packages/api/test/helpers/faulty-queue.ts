import type { JobQueue, QueueMessage, SendOptions } from '@invoice-jobs/shared'

/**
 * Fault injector around a real queue: `send` fails while `failing` is
 * true and otherwise passes through. Every other call goes straight to
 * the real queue.
 */
export class FaultyQueue implements JobQueue {
  failing = true
  attempts = 0

  constructor(private readonly inner: JobQueue) {}

  get maxDeliveries() {
    return this.inner.maxDeliveries
  }

  async send(message: QueueMessage, options?: SendOptions): Promise<void> {
    this.attempts++
    if (this.failing) throw new Error('queue unreachable')
    await this.inner.send(message, options)
  }

  subscribe: JobQueue['subscribe'] = (...args) => this.inner.subscribe(...args)
  complete: JobQueue['complete'] = (...args) => this.inner.complete(...args)
  abandon: JobQueue['abandon'] = (...args) => this.inner.abandon(...args)
  deadLetter: JobQueue['deadLetter'] = (...args) =>
    this.inner.deadLetter(...args)
  renewLock: JobQueue['renewLock'] = (...args) => this.inner.renewLock(...args)
  check: JobQueue['check'] = () => this.inner.check()
  close: JobQueue['close'] = () => this.inner.close()
}
