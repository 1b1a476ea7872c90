import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  DispatchRelay,
  RELAY_LEASE,
  type DispatchRelayOptions,
} from '../../src/services/dispatch-relay.js'
import { FaultyQueue } from '../helpers/faulty-queue.js'
import { newJob } from '../helpers/jobs.js'
import { drainQueue } from '../helpers/queue.js'
import { openNonEnqueuingStore } from '../helpers/split-store.js'
import { createTestApp, type TestApp } from '../helpers/test-app.js'

describe('DispatchRelay', () => {
  let t: TestApp
  let store: ReturnType<typeof openNonEnqueuingStore>
  let queue: FaultyQueue
  let relay: DispatchRelay | undefined

  beforeEach(async () => {
    t = await createTestApp()
    store = openNonEnqueuingStore(t.dir)
    queue = new FaultyQueue(t.adapters.queue)
  })

  afterEach(async () => {
    await relay?.stop()
    relay = undefined
    await store.close()
    await t.close()
  })

  function makeRelay(options: Partial<DispatchRelayOptions> = {}) {
    relay = new DispatchRelay({
      store,
      queue,
      logger: t.logger,
      intervalMs: 100,
      ageMs: 0,
      // A second ahead, so that jobs made a moment ago count as old.
      clock: () => new Date(Date.now() + 1000),
      ...options,
    })
    return relay
  }

  /** A job saved with its dispatch pending, as after a failed send. */
  async function pendingJob() {
    const job = newJob()
    const created = await store.create(job, { jobId: job.id, type: 'invoice' })
    expect(created).toMatchObject({ outcome: 'created', enqueued: false })
    return job
  }

  /** Jobs still waiting for dispatch, whatever their age. */
  const undispatched = () =>
    store.findUndispatched(new Date(Date.now() + 60_000), 100)

  it('sends pending jobs and marks them dispatched', async () => {
    queue.failing = false
    const jobs = [await pendingJob(), await pendingJob()]

    const summary = await makeRelay().runOnce()

    expect(summary).toEqual({ leader: true, sent: 2, failed: 0 })
    expect(await undispatched()).toEqual([])
    const sent = await drainQueue(t.adapters.queue)
    expect(sent.map((m) => m.jobId).sort()).toEqual(
      jobs.map((j) => j.id).sort(),
    )
  })

  it('leaves jobs younger than the age to their own request', async () => {
    queue.failing = false
    await pendingJob()

    const summary = await makeRelay({ ageMs: 60_000 }).runOnce()

    expect(summary.sent).toBe(0)
    expect(await undispatched()).toHaveLength(1)
  })

  it('keeps a job pending while the queue fails and sends it once it recovers', async () => {
    const job = await pendingJob()
    const relay = makeRelay()

    const failed = await relay.runOnce()
    expect(failed).toEqual({ leader: true, sent: 0, failed: 1 })
    expect((await undispatched()).map((j) => j.id)).toEqual([job.id])
    expect(
      t.logs.find((l) => l.msg === 'dispatch relay send failed'),
    ).toMatchObject({ jobId: job.id })

    queue.failing = false
    const recovered = await relay.runOnce()
    expect(recovered).toEqual({ leader: true, sent: 1, failed: 0 })
    expect(await undispatched()).toEqual([])
    expect(await drainQueue(t.adapters.queue)).toEqual([
      expect.objectContaining({ jobId: job.id }),
    ])
  })

  it('does nothing while another instance holds the lease', async () => {
    queue.failing = false
    await pendingJob()
    const until = new Date(Date.now() + 60_000)
    expect(await store.acquireLease(RELAY_LEASE, 'other-replica', until)).toBe(
      true,
    )

    const summary = await makeRelay().runOnce()

    expect(summary).toEqual({ leader: false, sent: 0, failed: 0 })
    expect(await undispatched()).toHaveLength(1)
  })

  it('shares a run in flight instead of starting a second one', async () => {
    queue.failing = false
    await pendingJob()
    const relay = makeRelay()

    const [first, second] = [relay.runOnce(), relay.runOnce()]

    expect(second).toBe(first)
    expect((await first).sent).toBe(1)
    expect(queue.attempts).toBe(1)
  })

  it('logs a failed run and resolves instead of throwing', async () => {
    await store.close()

    const summary = await makeRelay().runOnce()

    expect(summary.sent).toBe(0)
    expect(
      t.logs.find((l) => l.msg === 'dispatch relay run failed'),
    ).toMatchObject({ level: 50 })
  })

  it('runs on its interval once started and stops cleanly', async () => {
    const job = await pendingJob()
    const relay = makeRelay({ intervalMs: 100 })
    relay.start()

    // The queue fails for a few runs, then recovers.
    await waitFor(() => queue.attempts >= 2)
    queue.failing = false
    await waitFor(async () => (await undispatched()).length === 0)
    await relay.stop()
    await relay.stop()

    expect(await drainQueue(t.adapters.queue)).toEqual([
      expect.objectContaining({ jobId: job.id }),
    ])
    const attempts = queue.attempts
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(queue.attempts).toBe(attempts)
  })
})

async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition never held')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
