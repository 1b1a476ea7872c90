import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { ServiceBusClient } from '@azure/service-bus'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  createServiceBusJobQueue,
  type ServiceBusJobQueueOptions,
} from '../../../src/adapters/azure/service-bus-job-queue.js'
import { createLogger } from '../../../src/logging/create-logger.js'
import type { JobQueue, ReceivedMessage } from '../../../src/ports/job-queue.js'
import type { QueueMessage } from '../../../src/schemas/message.js'
import {
  startServiceBusBroker,
  type ServiceBusBroker,
} from '../../support/service-bus-broker/index.js'

const logger = createLogger({ level: 'silent', pretty: false, name: 'test' })

describe('createServiceBusJobQueue', () => {
  let broker: ServiceBusBroker
  const opened: JobQueue[] = []

  beforeAll(async () => {
    broker = await startServiceBusBroker({ lockDurationMs: 5_000 })
  })

  afterEach(async () => {
    for (const queue of opened.splice(0)) await queue.close()
  })

  afterAll(async () => {
    await broker?.close()
  })

  function open(overrides: Partial<ServiceBusJobQueueOptions> = {}) {
    const queueName = `sb-${randomUUID()}`
    const inspect = broker.createQueue(queueName)
    const queue = createServiceBusJobQueue({
      connectionString: broker.connectionString,
      queueName,
      maxDeliveries: 5,
      logger,
      retryOptions: { maxRetries: 2, retryDelayInMs: 100, timeoutInMs: 5_000 },
      ...overrides,
    })
    opened.push(queue)
    return { queue, inspect, queueName }
  }

  function firstDelivery(queue: JobQueue): Promise<ReceivedMessage> {
    return new Promise((resolve) => {
      const subscription = queue.subscribe(
        async (message) => {
          void subscription.close()
          resolve(message)
        },
        { concurrency: 1, onError: () => undefined },
      )
    })
  }

  const newMessage = (extra: Partial<QueueMessage> = {}): QueueMessage => ({
    jobId: randomUUID(),
    type: 'invoice',
    ...extra,
  })

  describe('send', () => {
    it('sets message id, correlation id, subject, type and trace context', async () => {
      const { queue, inspect } = open()
      const traceparent =
        '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'
      const message = newMessage({ traceparent })

      await queue.send(message, { correlationId: 'req-42' })

      const [stored] = inspect.activeMessages()
      expect(stored).toMatchObject({
        messageId: message.jobId,
        correlationId: 'req-42',
        subject: 'invoice',
        contentType: 'application/json',
        body: message,
        applicationProperties: { traceparent },
      })
    })

    it('refuses a body that is not a queue message', async () => {
      const { queue, inspect } = open()

      await expect(
        queue.send({ jobId: 'not-a-uuid', type: 'invoice' }),
      ).rejects.toThrow(/not a valid queue message/)
      expect(inspect.acceptedSends).toBe(0)
    })
  })

  describe('subscribe', () => {
    it('dead-letters a body that is not a queue message and reports it', async () => {
      const { queue, inspect, queueName } = open()
      const raw = new ServiceBusClient(broker.connectionString)
      await raw.createSender(queueName).sendMessages({ body: { foo: 1 } })
      await raw.close()
      const errors: Error[] = []
      const handled: ReceivedMessage[] = []

      const subscription = queue.subscribe(async (m) => void handled.push(m), {
        concurrency: 1,
        onError: (err) => errors.push(err),
      })
      await waitFor(() => inspect.deadLetterCount() === 1)
      await subscription.close()

      expect(handled).toHaveLength(0)
      expect(errors[0]?.message).toMatch(/invalid body/)
      expect(inspect.deadLetterMessages()[0]?.deadLetterReason).toBe(
        'InvalidMessage',
      )
    })
  })

  describe('abandon', () => {
    it('holds the message for delayMs before it comes back', async () => {
      const { queue } = open()
      await queue.send(newMessage())
      const first = await firstDelivery(queue)

      const started = Date.now()
      await queue.abandon(first, { delayMs: 800 })
      const again = await firstDelivery(queue)

      expect(Date.now() - started).toBeGreaterThanOrEqual(790)
      expect(again.deliveryCount).toBe(2)
      await queue.complete(again)
    })

    it('waits no longer than the lock allows, less a margin', async () => {
      const { queue } = open()
      await queue.send(newMessage())
      const first = await firstDelivery(queue)
      const lockLeft = first.lockedUntil.getTime() - Date.now()

      const started = Date.now()
      await queue.abandon(first, { delayMs: 60_000 })

      expect(Date.now() - started).toBeLessThan(lockLeft)
      const again = await firstDelivery(queue)
      expect(again.deliveryCount).toBe(2)
      await queue.complete(again)
    })
  })

  describe('renewLock', () => {
    it('moves lockedUntil forward', async () => {
      const { queue } = open()
      await queue.send(newMessage())
      const received = await firstDelivery(queue)
      const before = received.lockedUntil.getTime()
      await sleep(30)

      const until = await queue.renewLock(received)

      expect(until.getTime()).toBeGreaterThan(before)
      expect(received.lockedUntil).toEqual(until)
      await queue.complete(received)
    })
  })

  describe('settling a message from elsewhere', () => {
    it('throws a TypeError', async () => {
      const { queue } = open()
      const stranger: ReceivedMessage = {
        body: newMessage(),
        messageId: 'x',
        deliveryCount: 1,
        enqueuedAt: new Date(),
        lockedUntil: new Date(),
      }

      await expect(queue.complete(stranger)).rejects.toThrow(TypeError)
    })
  })

  describe('check', () => {
    it('fails for a queue that does not exist', async () => {
      const queue = createServiceBusJobQueue({
        connectionString: broker.connectionString,
        queueName: `missing-${randomUUID()}`,
        maxDeliveries: 5,
        logger,
        retryOptions: { maxRetries: 0, timeoutInMs: 5_000 },
      })
      opened.push(queue)

      await expect(queue.check()).rejects.toMatchObject({
        code: 'MessagingEntityNotFound',
      })
    })
  })

  describe('configuration', () => {
    it('refuses a connection string that is not for the emulator', () => {
      expect(() =>
        createServiceBusJobQueue({
          connectionString:
            'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=s',
          queueName: 'q',
          maxDeliveries: 5,
          logger,
        }),
      ).toThrow(/emulator only/)
    })

    it('asks for a namespace when given neither', () => {
      expect(() =>
        createServiceBusJobQueue({ queueName: 'q', maxDeliveries: 5, logger }),
      ).toThrow(/SERVICEBUS_NAMESPACE/)
    })

    it('refuses a maxDeliveries below 1', () => {
      expect(() =>
        createServiceBusJobQueue({
          namespace: 'ns.servicebus.windows.net',
          queueName: 'q',
          maxDeliveries: 0,
          logger,
        }),
      ).toThrow(RangeError)
    })
  })
})

async function waitFor(done: () => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await sleep(20)
  }
}
