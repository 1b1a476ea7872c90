import { randomUUID } from 'node:crypto'
import type { JobQueue, QueueMessage } from '@invoice-jobs/shared'

/**
 * Every message waiting on the queue, taken off it. Sends a marker
 * message and reads (completing each) until the marker comes back, so a
 * queue that looks empty really is: nothing was just slow to arrive.
 */
export async function drainQueue(
  queue: JobQueue,
  timeoutMs = 5000,
): Promise<QueueMessage[]> {
  const marker = randomUUID()
  await queue.send({ jobId: marker, type: 'invoice' })

  const found: QueueMessage[] = []
  let subscriptionError: Error | undefined
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('the marker message never came back')),
      timeoutMs,
    )
    const subscription = queue.subscribe(
      async (message) => {
        await queue.complete(message)
        if (message.body.jobId !== marker) {
          found.push(message.body)
          return
        }
        clearTimeout(timer)
        void subscription.close().then(resolve, reject)
      },
      {
        concurrency: 1,
        onError: (err) => {
          subscriptionError = err
        },
      },
    )
  })

  if (subscriptionError) throw subscriptionError
  return found
}
