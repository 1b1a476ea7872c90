import type { ReceivedMessage } from '@invoice-jobs/shared'
import { afterEach, describe, expect, it } from 'vitest'
import { startLockRenewal, type LockRenewal } from '../src/lock-renewal.js'
import { createWorker, type Worker } from '../src/worker.js'
import { sleep, textHandler } from './support/test-handlers.js'
import { createHarness, type Harness } from './support/worker-harness.js'

describe('startLockRenewal', () => {
  let harness: Harness
  let renewal: LockRenewal | undefined

  afterEach(async () => {
    renewal?.stop()
    await harness.close()
  })

  /** Receives every delivery of the queue's messages, settling none. */
  function receiveAll(deliveries: ReceivedMessage[]) {
    return harness.adapters.queue.subscribe(
      async (message) => {
        deliveries.push(message)
      },
      { concurrency: 4, onError: () => {} },
    )
  }

  it('keeps a message locked while its holder works', async () => {
    harness = await createHarness({ LOCK_DURATION_MS: '1000' })
    const job = await harness.createJob()
    const deliveries: ReceivedMessage[] = []
    const subscription = receiveAll(deliveries)
    await expect.poll(() => deliveries.length).toBe(1)

    renewal = startLockRenewal({
      queue: harness.adapters.queue,
      message: deliveries[0]!,
      logger: harness.logger,
      maxRenewalMs: 60_000,
    })
    await sleep(2500)

    expect(deliveries).toHaveLength(1)
    expect(renewal.renewals).toBeGreaterThanOrEqual(3)
    await harness.adapters.queue.complete(deliveries[0]!)
    await subscription.close()
    expect(job.id).toBe(deliveries[0]!.body.jobId)
  })

  it('stops renewing once the maximum renewal time has passed', async () => {
    harness = await createHarness({ LOCK_DURATION_MS: '1000' })
    await harness.createJob()
    const deliveries: ReceivedMessage[] = []
    const subscription = receiveAll(deliveries)
    await expect.poll(() => deliveries.length).toBe(1)

    renewal = startLockRenewal({
      queue: harness.adapters.queue,
      message: deliveries[0]!,
      logger: harness.logger,
      maxRenewalMs: 1200,
    })

    await expect
      .poll(() => deliveries.length, { timeout: 5000, interval: 50 })
      .toBe(2)
    expect(deliveries[1]!.deliveryCount).toBe(2)
    await subscription.close()
  })

  it('stops renewing when stopped', async () => {
    harness = await createHarness({ LOCK_DURATION_MS: '1000' })
    await harness.createJob()
    const deliveries: ReceivedMessage[] = []
    const subscription = receiveAll(deliveries)
    await expect.poll(() => deliveries.length).toBe(1)

    renewal = startLockRenewal({
      queue: harness.adapters.queue,
      message: deliveries[0]!,
      logger: harness.logger,
      maxRenewalMs: 60_000,
    })
    renewal.stop()

    await expect
      .poll(() => deliveries.length, { timeout: 5000, interval: 50 })
      .toBe(2)
    expect(renewal.renewals).toBe(0)
    await subscription.close()
  })
})

describe('createWorker with a handler slower than the lock', () => {
  let harness: Harness
  let worker: Worker

  afterEach(async () => {
    await worker.close()
    await harness.close()
  })

  it('renews the lock so the message is delivered only once', async () => {
    harness = await createHarness({ LOCK_DURATION_MS: '1000' })
    const handler = textHandler(() => sleep(2500))
    worker = createWorker({
      config: harness.config,
      adapters: harness.adapters,
      logger: harness.logger,
      handlers: { invoice: handler },
    })
    worker.start()
    const job = await harness.createJob()

    const done = await harness.waitForJob(
      job.id,
      (j) => j.status === 'completed',
    )

    expect(handler.calls).toHaveLength(1)
    expect(done.attempts).toBe(1)
    expect(worker.stats).toMatchObject({ completed: 1, lockLost: 0 })
  })
})
