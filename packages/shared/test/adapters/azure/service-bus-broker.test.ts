import { randomUUID } from 'node:crypto'
import { ServiceBusClient } from '@azure/service-bus'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  startServiceBusBroker,
  type ServiceBusBroker,
} from '../../support/service-bus-broker/index.js'

// The broker is test code; these tests prove it speaks enough Service Bus
// for the real SDK before the adapter's tests rely on it.
describe('the Service Bus test broker, through @azure/service-bus', () => {
  let broker: ServiceBusBroker
  let client: ServiceBusClient

  beforeAll(async () => {
    broker = await startServiceBusBroker({
      lockDurationMs: 1_500,
      maxDeliveries: 2,
    })
    client = new ServiceBusClient(broker.connectionString, {
      retryOptions: { maxRetries: 1, retryDelayInMs: 100, timeoutInMs: 5_000 },
    })
  })

  afterAll(async () => {
    await client?.close()
    await broker?.close()
  })

  const newQueue = () => {
    const name = `broker-${randomUUID()}`
    return { name, inspect: broker.createQueue(name) }
  }

  it('delivers a sent message with its properties and a lock', async () => {
    const { name, inspect } = newQueue()
    const sender = client.createSender(name)
    const receiver = client.createReceiver(name)

    await sender.sendMessages({
      body: { hello: 'world' },
      messageId: 'm-1',
      correlationId: 'c-1',
      subject: 'invoice',
      contentType: 'application/json',
      applicationProperties: { traceparent: 't' },
    })
    const [message] = await receiver.receiveMessages(1, {
      maxWaitTimeInMs: 2_000,
    })

    expect(message?.body).toEqual({ hello: 'world' })
    expect(message?.messageId).toBe('m-1')
    expect(message?.correlationId).toBe('c-1')
    expect(message?.subject).toBe('invoice')
    expect(message?.applicationProperties).toEqual({ traceparent: 't' })
    expect(message?.deliveryCount).toBe(0)
    expect(message?.lockToken).toMatch(/^[0-9a-f-]{36}$/)
    expect(message?.lockedUntilUtc!.getTime()).toBeGreaterThan(Date.now())
    expect(message?.sequenceNumber?.toNumber()).toBeGreaterThan(0)

    await receiver.completeMessage(message!)
    expect(inspect.activeCount()).toBe(0)
    await receiver.close()
    await sender.close()
  })

  it('renews a lock and dead-letters with a reason', async () => {
    const { name, inspect } = newQueue()
    const sender = client.createSender(name)
    const receiver = client.createReceiver(name)
    await sender.sendMessages({ body: { n: 1 }, messageId: 'm-2' })
    const [message] = await receiver.receiveMessages(1)

    const before = message!.lockedUntilUtc!.getTime()
    await new Promise((r) => setTimeout(r, 50))
    const renewed = await receiver.renewMessageLock(message!)
    expect(renewed.getTime()).toBeGreaterThan(before)

    await receiver.deadLetterMessage(message!, {
      deadLetterReason: 'Bad',
      deadLetterErrorDescription: 'it was bad',
    })
    expect(inspect.deadLetterCount()).toBe(1)
    const dlq = client.createReceiver(name, { subQueueType: 'deadLetter' })
    const [dead] = await dlq.receiveMessages(1)
    expect(dead?.deadLetterReason).toBe('Bad')
    expect(dead?.deadLetterErrorDescription).toBe('it was bad')
    await dlq.completeMessage(dead!)
    expect(inspect.deadLetterCount()).toBe(0)
    await Promise.all([dlq.close(), receiver.close(), sender.close()])
  })

  it('peeks without locking and drops a duplicate message id', async () => {
    const { name, inspect } = newQueue()
    const sender = client.createSender(name)
    const receiver = client.createReceiver(name)
    await sender.sendMessages({ body: 1, messageId: 'same' })
    await sender.sendMessages({ body: 2, messageId: 'same' })

    const peeked = await receiver.peekMessages(5)
    expect(peeked.map((m) => m.body)).toEqual([1])
    expect(inspect.duplicatesDropped).toBe(1)
    expect(inspect.activeMessages()[0]?.locked).toBe(false)
    await Promise.all([receiver.close(), sender.close()])
  })

  it('redelivers after the lock expires, then dead-letters', async () => {
    const { name, inspect } = newQueue()
    const sender = client.createSender(name)
    // The SDK renews locks by itself unless told not to.
    const receiver = client.createReceiver(name, {
      maxAutoLockRenewalDurationInMs: 0,
    })
    await sender.sendMessages({ body: 'x', messageId: 'm-3' })

    const [first] = await receiver.receiveMessages(1)
    const [second] = await receiver.receiveMessages(1, {
      maxWaitTimeInMs: 4_000,
    })
    expect(second?.deliveryCount).toBe(1)
    await expect(receiver.completeMessage(first!)).rejects.toMatchObject({
      code: 'MessageLockLost',
    })
    await receiver.abandonMessage(second!)

    expect(inspect.deadLetterCount()).toBe(1)
    expect(inspect.deadLetterMessages()[0]?.deadLetterReason).toBe(
      'MaxDeliveryCountExceeded',
    )
    await Promise.all([receiver.close(), sender.close()])
  })

  it('creates a queue on first use when asked to', async () => {
    const lenient = await startServiceBusBroker({ autoCreateQueues: true })
    const other = new ServiceBusClient(lenient.connectionString)
    const name = `auto-${randomUUID()}`
    try {
      await other.createSender(name).sendMessages({ body: 1 })
      expect(lenient.queue(name).activeCount()).toBe(1)
    } finally {
      await other.close()
      await lenient.close()
    }
  })

  it('refuses an unknown entity as not found', async () => {
    const sender = client.createSender(`missing-${randomUUID()}`)
    await expect(sender.sendMessages({ body: 1 })).rejects.toMatchObject({
      code: 'MessagingEntityNotFound',
    })
    await sender.close()
  })
})
