import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openSqliteDatabase } from '../../../src/adapters/embedded/sqlite-database.js'
import { SqliteJobQueue } from '../../../src/adapters/embedded/sqlite-job-queue.js'
import { SqliteJobStore } from '../../../src/adapters/embedded/sqlite-job-store.js'
import { describeJobQueueContract } from '../../contracts/job-queue-contract.js'
import { Inbox } from '../../contracts/inbox.js'
import { makeJob, messageFor } from '../../contracts/job-fixtures.js'
import { tempDir } from './temp-dir.js'

describeJobQueueContract('SQLite', async (options) => {
  const dir = await tempDir()
  const queue = new SqliteJobQueue({
    db: openSqliteDatabase(join(dir.path, 'jobs.db')),
    maxDeliveries: options.maxDeliveries,
    lockDurationMs: options.lockDurationMs,
    closeDatabase: true,
  })
  return {
    queue,
    async cleanup() {
      await queue.close()
      await dir.remove()
    },
  }
})

describe('SqliteJobQueue', () => {
  let file: string
  let queue: SqliteJobQueue
  let cleanup: () => Promise<void>
  const inboxes: Inbox[] = []

  beforeEach(async () => {
    const dir = await tempDir()
    file = join(dir.path, 'jobs.db')
    queue = new SqliteJobQueue({
      db: openSqliteDatabase(file),
      maxDeliveries: 3,
      lockDurationMs: 1000,
      // Long, so that any quick delivery proves a wake-up happened.
      fallbackPollMs: 10_000,
      closeDatabase: true,
    })
    cleanup = async () => {
      for (const box of inboxes.splice(0)) await box.close()
      await queue.close()
      await dir.remove()
    }
  })
  afterEach(async () => {
    await cleanup()
  })

  it('delays an abandoned message by delayMs', async () => {
    const box = new Inbox(queue)
    inboxes.push(box)
    const job = makeJob()
    await queue.send(messageFor(job))
    const first = await box.next(2000)

    const abandonedAt = Date.now()
    await queue.abandon(first, { delayMs: 400 })
    const again = await box.next(3000)

    expect(Date.now() - abandonedAt).toBeGreaterThanOrEqual(390)
    expect(again.deliveryCount).toBe(2)
  })

  it('wakes at once for a job created by a store on the same file', async () => {
    const store = new SqliteJobStore({
      db: openSqliteDatabase(file),
      enqueue: true,
      closeDatabase: true,
    })
    const box = new Inbox(queue)
    inboxes.push(box)
    await sleep(50)
    const job = makeJob()

    const sentAt = Date.now()
    await store.create(job, messageFor(job))
    const received = await box.next(5000)
    await store.close()

    expect(received.messageId).toBe(job.id)
    expect(Date.now() - sentAt).toBeLessThan(5000)
  })

  it('gives a message back when its handler throws', async () => {
    const errors: Error[] = []
    const deliveries: number[] = []
    const subscription = queue.subscribe(
      async (message) => {
        deliveries.push(message.deliveryCount)
        if (message.deliveryCount === 1) throw new Error('handler broke')
        await queue.complete(message)
      },
      { concurrency: 1, onError: (err) => errors.push(err) },
    )
    await queue.send(messageFor(makeJob()))

    const deadline = Date.now() + 5000
    while (deliveries.length < 2 && Date.now() < deadline) await sleep(20)
    await subscription.close()

    expect(deliveries).toEqual([1, 2])
    expect(errors.map((e) => e.message)).toEqual(['handler broke'])
  })

  it('refuses to settle a message it did not deliver', async () => {
    const stranger = {
      body: messageFor(makeJob()),
      messageId: 'x',
      deliveryCount: 1,
      enqueuedAt: new Date(),
      lockedUntil: new Date(),
    }

    await expect(queue.complete(stranger)).rejects.toThrow(/not received/)
  })

  it('refuses an invalid concurrency', () => {
    expect(() =>
      queue.subscribe(async () => undefined, {
        concurrency: 0,
        onError: () => undefined,
      }),
    ).toThrow(RangeError)
  })
})
