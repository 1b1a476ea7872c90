import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createDeadLetterReconciler,
  type DeadLetterReconciler,
} from '../src/dead-letter-reconciler.js'
import { PermanentJobError } from '../src/errors.js'
import { createWorker } from '../src/worker.js'
import { textHandler } from './support/test-handlers.js'
import { createHarness, type Harness } from './support/worker-harness.js'

describe('createDeadLetterReconciler', () => {
  let harness: Harness
  let reconciler: DeadLetterReconciler | undefined

  afterEach(async () => {
    await reconciler?.close()
    reconciler = undefined
    await harness.close()
  })

  function startReconciler(): DeadLetterReconciler {
    reconciler = createDeadLetterReconciler({
      store: harness.adapters.store,
      queue: harness.adapters.queue,
      logger: harness.logger,
    })
    reconciler.start()
    return reconciler
  }

  /** A receiver that gives every message back untouched, as a worker
   * that crashes on each delivery would, until the queue dead-letters. */
  async function crashOnEveryDelivery(jobId: string): Promise<void> {
    const subscription = harness.adapters.queue.subscribe(
      (message) => harness.adapters.queue.abandon(message),
      { concurrency: 1, onError: () => {} },
    )
    await expect.poll(() => harness.deadLetters(jobId)).toBe(1)
    await subscription.close()
  }

  it('fails a job whose message the queue dead-lettered on its own', async () => {
    harness = await createHarness({ MAX_DELIVERIES: '2' })
    const job = await harness.createJob()
    await crashOnEveryDelivery(job.id)
    expect((await harness.adapters.store.get(job.id))?.status).toBe('queued')

    const reconciling = startReconciler()
    const failed = await harness.waitForJob(
      job.id,
      (j) => j.status === 'failed',
    )

    expect(failed.error?.code).toBe('dead_lettered')
    expect(failed.error?.message).toContain('MaxDeliveryCountExceeded')
    await expect.poll(() => harness.deadLetters(job.id)).toBe(0)
    expect(reconciling.failedJobs).toBe(1)
  })

  it('only removes the dead letter of a job that is final already', async () => {
    harness = await createHarness()
    const worker = createWorker({
      config: harness.config,
      adapters: harness.adapters,
      logger: harness.logger,
      handlers: {
        invoice: textHandler(() => {
          throw new PermanentJobError('invalid_invoice', 'bad items')
        }),
      },
    })
    worker.start()
    const job = await harness.createJob()
    await expect.poll(() => harness.deadLetters(job.id)).toBe(1)
    await worker.close()
    const failed = await harness.adapters.store.get(job.id)

    const reconciling = startReconciler()
    await expect.poll(() => harness.deadLetters(job.id)).toBe(0)

    expect(await harness.adapters.store.get(job.id)).toEqual(failed)
    expect(failed?.error?.code).toBe('invalid_invoice')
    expect(reconciling.failedJobs).toBe(0)
  })

  it('removes a dead letter whose job does not exist', async () => {
    harness = await createHarness({ MAX_DELIVERIES: '1' })
    const jobId = randomUUID()
    await harness.adapters.queue.send({ jobId, type: 'invoice' })
    await crashOnEveryDelivery(jobId)

    const reconciling = startReconciler()

    await expect.poll(() => harness.deadLetters(jobId)).toBe(0)
    expect(reconciling.failedJobs).toBe(0)
  })
})
