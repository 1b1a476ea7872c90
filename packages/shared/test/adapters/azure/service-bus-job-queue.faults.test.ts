import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createServiceBusJobQueue } from '../../../src/adapters/azure/service-bus-job-queue.js'
import { createLogger } from '../../../src/logging/create-logger.js'
import {
  MessageLockLostError,
  type JobQueue,
  type ReceivedMessage,
} from '../../../src/ports/job-queue.js'
import type { QueueMessage } from '../../../src/schemas/message.js'
import {
  startServiceBusBroker,
  type ServiceBusBroker,
} from '../../support/service-bus-broker/index.js'

const logger = createLogger({ level: 'silent', pretty: false, name: 'test' })

/** Set SB_FAULT_FIGURES=1 to print what the fault tests measured. */
function figure(name: string, value: unknown): void {
  if (process.env.SB_FAULT_FIGURES) console.info(`[figure] ${name}:`, value)
}

describe('the Service Bus adapter under broker faults', () => {
  let broker: ServiceBusBroker
  const opened: JobQueue[] = []

  beforeAll(async () => {
    broker = await startServiceBusBroker({ lockDurationMs: 5_000 })
  })

  afterEach(async () => {
    broker.clearFaults()
    for (const queue of opened.splice(0)) await queue.close()
  })

  afterAll(async () => {
    await broker?.close()
  })

  function open(queueName = `faults-${randomUUID()}`, maxRetries = 5) {
    const queue = createServiceBusJobQueue({
      connectionString: broker.connectionString,
      queueName,
      maxDeliveries: 5,
      logger,
      retryOptions: { maxRetries, retryDelayInMs: 300, timeoutInMs: 5_000 },
    })
    opened.push(queue)
    return queue
  }

  const newMessage = (): QueueMessage => ({
    jobId: randomUUID(),
    type: 'invoice',
  })

  describe('when the server is busy during a send', () => {
    it('retries and the send succeeds once the fault ends', async () => {
      const name = `faults-${randomUUID()}`
      const inspect = broker.createQueue(name)
      const queue = open(name)
      const refusedBefore = broker.stats.sendsRefused
      const attachRefusedBefore = broker.stats.attachesRefused
      broker.serverBusy(1_000)

      const started = Date.now()
      await queue.send(newMessage())
      const elapsed = Date.now() - started

      expect(inspect.activeCount()).toBe(1)
      expect(elapsed).toBeGreaterThanOrEqual(900)
      const refused =
        broker.stats.sendsRefused -
        refusedBefore +
        broker.stats.attachesRefused -
        attachRefusedBefore
      expect(refused).toBeGreaterThan(0)
      figure('busy 1000 ms: send took ms', elapsed)
      figure('busy 1000 ms: refusals (attach + send)', refused)
    })

    it('fails cleanly with ServiceBusy when the fault outlasts retries', async () => {
      const name = `faults-${randomUUID()}`
      const inspect = broker.createQueue(name)
      const queue = open(name, 1)
      await queue.send(newMessage())
      broker.refuseSends({ durationMs: 10_000 })

      const started = Date.now()
      const sent = queue.send(newMessage())

      await expect(sent).rejects.toMatchObject({ code: 'ServiceBusy' })
      figure('refused sends, 1 retry: failed after ms', Date.now() - started)
      expect(inspect.activeCount()).toBe(1)
    })
  })

  describe('when the server is busy as a subscription attaches', () => {
    it('reports ServiceBusy, keeps trying and then delivers', async () => {
      const name = `faults-${randomUUID()}`
      broker.createQueue(name)
      const queue = open(name)
      const message = newMessage()
      await queue.send(message)
      const errors: Error[] = []
      const received: ReceivedMessage[] = []
      broker.serverBusy(1_000)

      const started = Date.now()
      const subscription = queue.subscribe(
        async (m) => {
          received.push(m)
          await queue.complete(m)
        },
        { concurrency: 1, onError: (err) => errors.push(err) },
      )
      await waitFor(() => received.length === 1, 15_000)
      const deliveredMs = Date.now() - started
      await subscription.close()

      expect(received[0]?.messageId).toBe(message.jobId)
      expect(errors.length).toBeGreaterThan(0)
      expect(errors[0]).toMatchObject({ code: 'ServiceBusy' })
      figure('busy 1000 ms at attach: delivered after ms', deliveredMs)
      figure('busy 1000 ms at attach: errors reported', errors.length)
    })
  })

  describe('when the connection drops mid-subscription', () => {
    async function subscribed() {
      const name = `faults-${randomUUID()}`
      broker.createQueue(name)
      const queue = open(name)
      const completed: string[] = []
      const errors: Error[] = []
      const subscription = queue.subscribe(
        async (message) => {
          await queue.complete(message)
          completed.push(message.messageId)
        },
        { concurrency: 2, onError: (err) => errors.push(err) },
      )
      const first = newMessage()
      await queue.send(first)
      await waitFor(() => completed.includes(first.jobId), 5_000)
      return { queue, completed, errors, subscription }
    }

    it('reconnects and delivers the next message', async () => {
      const { queue, completed, errors, subscription } = await subscribed()
      const connectionsBefore = broker.stats.connections

      broker.dropConnections()
      const dropped = Date.now()
      await sleep(250)
      const next = newMessage()
      await queue.send(next)
      const sentMs = Date.now() - dropped
      await waitFor(() => completed.includes(next.jobId), 30_000)
      const recoveredMs = Date.now() - dropped
      await subscription.close()

      expect(broker.stats.connections).toBeGreaterThan(connectionsBefore)
      // Under the 5 s lock: the message went to the new link, not a dead one.
      expect(recoveredMs).toBeLessThan(4_000)
      figure('drop, send 250 ms later: send done after ms', sentMs)
      figure('drop, send 250 ms later: completed after ms', recoveredMs)
      figure('drop, send 250 ms later: errors reported', errors.length)
    })

    it('still delivers a message sent in the same instant', async () => {
      const { queue, completed, errors, subscription } = await subscribed()

      broker.dropConnections()
      const dropped = Date.now()
      const next = newMessage()
      await queue.send(next)
      const sentMs = Date.now() - dropped
      await waitFor(() => completed.includes(next.jobId), 30_000)
      const recoveredMs = Date.now() - dropped
      await subscription.close()

      // The send raced the drop: the SDK waits out its operation timeout
      // (5 s here) on the dead link before retrying on a new one.
      expect(sentMs).toBeLessThan(15_000)
      figure('drop, send at once: send done after ms', sentMs)
      figure('drop, send at once: completed after ms', recoveredMs)
      figure('drop, send at once: errors reported', errors.length)
    })
  })

  describe('when the broker takes a lock away', () => {
    it('rejects complete with MessageLockLostError', async () => {
      const name = `faults-${randomUUID()}`
      broker.createQueue(name)
      const queue = open(name)
      const received: ReceivedMessage[] = []
      const subscription = queue.subscribe(
        async (message) => void received.push(message),
        { concurrency: 1, onError: () => undefined },
      )
      await queue.send(newMessage())
      await waitFor(() => received.length === 1, 5_000)

      expect(broker.loseLock(received[0]!.messageId)).toBe(true)

      await expect(queue.complete(received[0]!)).rejects.toBeInstanceOf(
        MessageLockLostError,
      )
      await waitFor(() => received.length === 2, 5_000)
      expect(received[1]!.deliveryCount).toBe(2)
      await queue.complete(received[1]!)
      await subscription.close()
    })
  })

  describe('when the queue does not exist', () => {
    it('reports a fatal error and stops the subscription', async () => {
      const queue = open(`missing-${randomUUID()}`)
      const errors: Error[] = []

      const started = Date.now()
      const subscription = queue.subscribe(async () => undefined, {
        concurrency: 1,
        onError: (err) => errors.push(err),
      })
      await waitFor(() => errors.length > 0, 10_000)
      figure('entity not found: reported after ms', Date.now() - started)
      await sleep(1_500)

      expect(errors[0]?.message).toMatch(
        /cannot be used \(MessagingEntityNotFound\)/,
      )
      expect(errors).toHaveLength(1)
      await subscription.close()
    })
  })
})

async function waitFor(done: () => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await sleep(20)
  }
}
