import type { ReceivedMessage } from '@invoice-jobs/shared'
import { afterEach, describe, expect, it } from 'vitest'
import { createMessageSettler } from '../src/message-settler.js'
import { sleep } from './support/test-handlers.js'
import { createHarness, type Harness } from './support/worker-harness.js'

describe('createMessageSettler', () => {
  let harness: Harness

  afterEach(() => harness.close())

  /** Creates a job and receives its message under a peek-lock. */
  async function receiveOne(): Promise<ReceivedMessage> {
    const job = await harness.createJob()
    const message = await new Promise<ReceivedMessage>((resolve) => {
      const subscription = harness.adapters.queue.subscribe(
        async (received) => {
          void subscription.close()
          resolve(received)
        },
        { concurrency: 1, onError: () => {} },
      )
    })
    expect(message.body.jobId).toBe(job.id)
    return message
  }

  it('settles a message once and refuses a second settlement', async () => {
    harness = await createHarness()
    const message = await receiveOne()
    const settler = createMessageSettler(harness.adapters.queue, message)

    expect(await settler.complete()).toBe('settled')
    expect(await settler.abandon()).toBe('already-settled')
    expect(settler.settled).toBe(true)
    expect(harness.queuedMessages(message.messageId)).toBe(0)
  })

  it('reports a lock that expired instead of throwing', async () => {
    harness = await createHarness({ LOCK_DURATION_MS: '1000' })
    const message = await receiveOne()
    const settler = createMessageSettler(harness.adapters.queue, message)
    await sleep(1100)

    expect(await settler.complete()).toBe('lock-lost')
    expect(harness.queuedMessages(message.messageId)).toBe(1)
  })
})
