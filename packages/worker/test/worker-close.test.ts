import { afterEach, describe, expect, it } from 'vitest'
import { createWorker, type Worker } from '../src/worker.js'
import { sleep, textHandler } from './support/test-handlers.js'
import { createHarness, type Harness } from './support/worker-harness.js'

describe('Worker.close()', () => {
  let harness: Harness
  const workers: Worker[] = []

  afterEach(async () => {
    for (const worker of workers.splice(0)) await worker.close()
    await harness.close()
  })

  function startWorker(handler: ReturnType<typeof textHandler>): Worker {
    const worker = createWorker({
      config: harness.config,
      adapters: harness.adapters,
      logger: harness.logger,
      handlers: { invoice: handler },
    })
    workers.push(worker)
    worker.start()
    return worker
  }

  it('lets an in-flight job finish within the grace period', async () => {
    harness = await createHarness({ SHUTDOWN_GRACE_MS: '3000' })
    const handler = textHandler(() => sleep(400))
    const worker = startWorker(handler)
    const job = await harness.createJob()
    await expect.poll(() => handler.calls.length).toBe(1)

    await worker.close()

    const done = await harness.adapters.store.get(job.id)
    expect(done?.status).toBe('completed')
    expect(harness.queuedMessages(job.id)).toBe(0)
    expect(worker.stats).toMatchObject({ completed: 1, abandoned: 0 })
    expect(worker.running).toBe(false)
  })

  it('abandons a job that outlasts the grace period, and drops its late result', async () => {
    harness = await createHarness({ SHUTDOWN_GRACE_MS: '300' })
    let release = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    const stuck = textHandler(() => gate)
    const first = startWorker(stuck)
    const job = await harness.createJob()
    await expect.poll(() => stuck.calls.length).toBe(1)

    const started = Date.now()
    await first.close()
    const closeMs = Date.now() - started

    expect(closeMs).toBeGreaterThanOrEqual(250)
    expect(closeMs).toBeLessThan(2000)
    expect(first.stats.abandoned).toBe(1)

    const second = startWorker(textHandler())
    const done = await harness.waitForJob(
      job.id,
      (j) => j.status === 'completed',
    )
    expect(done.attempts).toBe(2)
    await expect.poll(() => harness.queuedMessages(job.id)).toBe(0)

    release()
    await sleep(200)
    expect(await harness.adapters.store.get(job.id)).toEqual(done)
    const blob = await harness.adapters.blobs.get(done.result!.blobName)
    blob?.stream.destroy()
    expect(blob?.etag).toBe(done.result!.etag)
    expect(first.stats).toMatchObject({ completed: 0, errors: 0 })
    expect(second.stats.completed).toBe(1)
  })

  it('is safe to call twice', async () => {
    harness = await createHarness()
    const worker = startWorker(textHandler())

    await Promise.all([worker.close(), worker.close()])
    await worker.close()

    expect(worker.running).toBe(false)
  })
})
