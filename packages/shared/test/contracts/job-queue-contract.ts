import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import {
  MessageLockLostError,
  type JobQueue,
  type ReceivedMessage,
} from '../../src/ports/job-queue.js'
import type { QueueMessage } from '../../src/schemas/message.js'
import { Inbox } from './inbox.js'

export interface JobQueueSetupOptions {
  /** Lock duration the test wants; the fixture reports what it got. */
  lockDurationMs: number
  maxDeliveries: number
  /** Unique per test, for adapters on a shared broker. */
  queueName: string
}

export interface JobQueueFixture {
  queue: JobQueue
  /** The lock duration in force, when it differs from the one asked. */
  lockDurationMs?: number
  cleanup(): Promise<void>
}

export interface JobQueueContractOptions {
  /** @defaultValue 1000 */
  lockDurationMs?: number
  /** How long to wait for a delivery that should come. @defaultValue 5000 */
  deliveryTimeoutMs?: number
}

/**
 * Declares the peek-lock behaviour every JobQueue adapter must show,
 * through the port only. Each test asks for its own queue.
 */
export function describeJobQueueContract(
  name: string,
  setup: (options: JobQueueSetupOptions) => Promise<JobQueueFixture>,
  contract: JobQueueContractOptions = {},
): void {
  describe(`JobQueue contract: ${name}`, () => {
    const wanted = contract.lockDurationMs ?? 1000
    const patience = contract.deliveryTimeoutMs ?? 5000
    const fixtures: JobQueueFixture[] = []
    const inboxes: Inbox[] = []
    let lockMs = wanted

    async function open(maxDeliveries = 5): Promise<JobQueue> {
      const queueName = `test-${randomUUID()}`
      const fixture = await setup({
        lockDurationMs: wanted,
        maxDeliveries,
        queueName,
      })
      fixtures.push(fixture)
      lockMs = fixture.lockDurationMs ?? wanted
      return fixture.queue
    }

    function inbox(queue: JobQueue, deadLetter = false): Inbox {
      const box = new Inbox(queue, { deadLetter })
      inboxes.push(box)
      return box
    }

    afterEach(async () => {
      for (const box of inboxes.splice(0)) await box.close()
      for (const fixture of fixtures.splice(0)) await fixture.cleanup()
    })

    it('delivers a sent message once, locked, with its body', async () => {
      const queue = await open()
      const box = inbox(queue)
      const message = newMessage()

      await queue.send(message, { correlationId: 'req-1' })
      const received = await box.next(patience)

      expect(received.body).toEqual(message)
      expect(received.messageId).toBe(message.jobId)
      expect(received.deliveryCount).toBe(1)
      expect(received.enqueuedAt).toBeInstanceOf(Date)
      expect(received.lockedUntil.getTime()).toBeGreaterThan(Date.now())
      await queue.complete(received)
      await box.expectNothing(lockMs * 1.5 + 300)
    })

    it('redelivers an abandoned message with deliveryCount + 1', async () => {
      const queue = await open()
      const box = inbox(queue)
      const message = newMessage()
      await queue.send(message)

      await queue.abandon(await box.next(patience))
      const again = await box.next(patience)

      expect(again.messageId).toBe(message.jobId)
      expect(again.deliveryCount).toBe(2)
      await queue.complete(again)
    })

    it('moves a dead-lettered message to the dead-letter subqueue', async () => {
      const queue = await open()
      const box = inbox(queue)
      const dead = inbox(queue, true)
      const message = newMessage()
      await queue.send(message)

      await queue.deadLetter(await box.next(patience), {
        reason: 'InvalidInvoice',
        description: 'the total is negative',
      })
      const parked = await dead.next(patience)

      expect(parked.messageId).toBe(message.jobId)
      expect(parked.body).toEqual(message)
      expect(parked.deadLetterReason).toBe('InvalidInvoice')
      expect(parked.deadLetterDescription).toBe('the total is negative')
      await queue.complete(parked)
      await box.expectNothing(lockMs + 300)
    })

    it('redelivers a message whose lock expired', async () => {
      const queue = await open()
      const box = inbox(queue)
      await queue.send(newMessage())

      const first = await box.next(patience)
      const second = await box.next(lockMs * 3 + patience)

      expect(second.messageId).toBe(first.messageId)
      expect(second.deliveryCount).toBe(2)
      await expect(queue.complete(first)).rejects.toBeInstanceOf(
        MessageLockLostError,
      )
      await queue.complete(second)
    })

    it('throws MessageLockLostError when settling after the lock expired', async () => {
      const queue = await open()
      const box = inbox(queue)
      await queue.send(newMessage())
      const received = await box.next(patience)
      await box.close()

      await sleep(lockMs + 300)

      await expectLockLost(queue.complete(received))
      await expectLockLost(queue.abandon(received))
      await expectLockLost(
        queue.deadLetter(received, { reason: 'r', description: 'd' }),
      )
      await expectLockLost(queue.renewLock(received))
    })

    it('throws MessageLockLostError when completing twice', async () => {
      const queue = await open()
      const box = inbox(queue)
      await queue.send(newMessage())
      const received = await box.next(patience)

      await queue.complete(received)

      await expectLockLost(queue.complete(received))
    })

    it('dead-letters a message abandoned maxDeliveries times', async () => {
      const queue = await open(2)
      const box = inbox(queue)
      const dead = inbox(queue, true)
      const message = newMessage()
      await queue.send(message)

      await queue.abandon(await box.next(patience))
      await queue.abandon(await box.next(patience))
      const parked = await dead.next(patience)

      expect(queue.maxDeliveries).toBe(2)
      expect(parked.messageId).toBe(message.jobId)
      expect(parked.deadLetterReason).toBe('MaxDeliveryCountExceeded')
      await queue.complete(parked)
      await box.expectNothing(lockMs + 300)
    })

    it('dead-letters a message whose last delivery lock expires', async () => {
      const queue = await open(2)
      const box = inbox(queue)
      const dead = inbox(queue, true)
      await queue.send(newMessage())

      const first = await box.next(patience)
      const second = await box.next(lockMs * 3 + patience)
      const parked = await dead.next(lockMs * 3 + patience)

      expect(second.deliveryCount).toBe(2)
      expect(parked.messageId).toBe(first.messageId)
      expect(parked.deadLetterReason).toBe('MaxDeliveryCountExceeded')
      await queue.complete(parked)
    })

    it('keeps a message whose lock is renewed from redelivery', async () => {
      const queue = await open()
      const box = inbox(queue)
      await queue.send(newMessage())
      const received = await box.next(patience)

      const ends: number[] = [received.lockedUntil.getTime()]
      const stopAt = Date.now() + lockMs * 2.5
      while (Date.now() < stopAt) {
        await sleep(lockMs / 3)
        const until = await queue.renewLock(received)
        expect(received.lockedUntil).toEqual(until)
        ends.push(until.getTime())
      }

      expect(ends.at(-1)!).toBeGreaterThan(ends[0]!)
      expect(box.received).toHaveLength(1)
      await queue.complete(received)
      await box.expectNothing(lockMs + 300)
    })

    it('ignores a second send with the same message id', async () => {
      const queue = await open()
      const box = inbox(queue)
      const message = newMessage()

      await queue.send(message)
      await queue.send(message)
      await queue.complete(await box.next(patience))

      await box.expectNothing(lockMs + 500)
    })

    it('runs at most `concurrency` handlers at once', async () => {
      const queue = await open()
      for (let i = 0; i < 6; i++) await queue.send(newMessage())
      let active = 0
      let peak = 0
      const done: string[] = []

      const subscription = queue.subscribe(
        async (message) => {
          active++
          peak = Math.max(peak, active)
          await sleep(150)
          await queue.complete(message)
          done.push(message.messageId)
          active--
        },
        { concurrency: 2, onError: () => undefined },
      )
      try {
        await waitFor(() => done.length === 6, patience + 2000)
      } finally {
        await subscription.close()
      }

      expect(peak).toBe(2)
      expect(new Set(done).size).toBe(6)
    })

    it('stops delivering once the subscription is closed', async () => {
      const queue = await open()
      const calls: ReceivedMessage[] = []
      const subscription = queue.subscribe(async (m) => void calls.push(m), {
        concurrency: 1,
        onError: () => undefined,
      })
      await subscription.close()
      const message = newMessage()

      await queue.send(message)
      await sleep(lockMs + 300)

      expect(calls).toHaveLength(0)
      const later = await inbox(queue).next(patience)
      expect(later.messageId).toBe(message.jobId)
      expect(later.deliveryCount).toBe(1)
      await queue.complete(later)
    })

    it('passes its readiness check and can be closed twice', async () => {
      const queue = await open()

      await expect(queue.check()).resolves.toBeUndefined()
      await queue.close()
      await expect(queue.close()).resolves.toBeUndefined()
    })
  })
}

function newMessage(): QueueMessage {
  return { jobId: randomUUID(), type: 'invoice' }
}

async function expectLockLost(settle: Promise<unknown>): Promise<void> {
  await expect(settle).rejects.toBeInstanceOf(MessageLockLostError)
}

async function waitFor(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await sleep(20)
  }
}
