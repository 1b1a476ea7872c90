import {
  type RetryOptions,
  type ServiceBusReceivedMessage,
  type ServiceBusReceiver,
} from '@azure/service-bus'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Logger } from '../../logging/create-logger.js'
import type {
  JobQueue,
  MessageHandler,
  ReceivedMessage,
  SendOptions,
  SubscribeOptions,
  Subscription,
} from '../../ports/job-queue.js'
import type { QueueMessage } from '../../schemas/message.js'
import { lastAttemptError, settling } from './service-bus/errors.js'
import {
  isQueueMessage,
  sdkDeliveryOf,
} from './service-bus/received-message.js'
import { closeStep, createClient } from './service-bus/client.js'
import { openSubscription } from './service-bus/subscription.js'

export interface ServiceBusJobQueueOptions {
  /** e.g. `my-ns.servicebus.windows.net`; used with the Azure identity. */
  namespace?: string
  /** Emulator only: must carry `UseDevelopmentEmulator=true`. */
  connectionString?: string
  queueName: string
  /** Client id of a user-assigned managed identity. */
  clientId?: string
  /** The queue's MaxDeliveryCount, as deployed. */
  maxDeliveries: number
  logger: Logger
  /**
   * How long the SDK renews a lock by itself while a message is
   * unsettled. The worker renews through `renewLock`, and an expired lock
   * must let the message come back, so this is off unless asked for.
   * @defaultValue 0
   */
  autoLockRenewalMs?: number
  /** Passed to the SDK (tests shorten the delays). */
  retryOptions?: RetryOptions
}

/** Left of a lock when a delayed abandon gives up waiting. */
const ABANDON_MARGIN_MS = 2_000
const MAX_AUTO_RENEWAL_MS = 5 * 60_000

/**
 * A JobQueue on an Azure Service Bus queue: one client and one sender
 * per process, a peek-lock receiver per subscription, settlement through
 * the SDK. Service Bus cannot delay an abandon, so `abandon({ delayMs })`
 * holds the message (within its lock) before giving it back.
 */
export function createServiceBusJobQueue(
  options: ServiceBusJobQueueOptions,
): JobQueue {
  const { queueName, maxDeliveries } = options
  if (!queueName) throw new Error('SERVICEBUS_QUEUE must name a queue')
  if (!Number.isInteger(maxDeliveries) || maxDeliveries < 1) {
    throw new RangeError('maxDeliveries must be a positive integer')
  }
  const autoLockRenewalMs = Math.min(
    Math.max(options.autoLockRenewalMs ?? 0, 0),
    MAX_AUTO_RENEWAL_MS,
  )
  const logger = options.logger.child({ queue: queueName })
  const client = createClient(options)
  const sender = client.createSender(queueName)
  const settlers = new Map<boolean, ServiceBusReceiver>()
  const subscriptions = new Set<Subscription>()
  const closed = new AbortController()
  let lockLost = 0
  let closing: Promise<void> | undefined

  /** A receiver that never opens a receive link; it settles and peeks. */
  const settler = (deadLetter: boolean): ServiceBusReceiver => {
    let receiver = settlers.get(deadLetter)
    if (!receiver) {
      receiver = client.createReceiver(queueName, {
        receiveMode: 'peekLock',
        ...(deadLetter && { subQueueType: 'deadLetter' as const }),
      })
      settlers.set(deadLetter, receiver)
    }
    return receiver
  }

  const settle = async <T>(
    message: ReceivedMessage,
    act: (r: ServiceBusReceiver, m: ServiceBusReceivedMessage) => Promise<T>,
  ): Promise<T> => {
    const { sdk, deadLetter } = sdkDeliveryOf(message)
    return settling(message.messageId, () => act(settler(deadLetter), sdk))
  }

  const rejectInvalid = async (
    sdk: ServiceBusReceivedMessage,
    deadLetter: boolean,
  ): Promise<void> => {
    const receiver = settler(deadLetter)
    // A dead-lettered message cannot be dead-lettered again: drop it.
    if (deadLetter) return receiver.completeMessage(sdk)
    await receiver.deadLetterMessage(sdk, {
      deadLetterReason: 'InvalidMessage',
      deadLetterErrorDescription: 'The body is not a valid queue message.',
    })
  }

  return {
    maxDeliveries,

    async send(message: QueueMessage, sendOptions: SendOptions = {}) {
      if (!isQueueMessage(message)) {
        throw new TypeError('the message is not a valid queue message')
      }
      const sending = sender.sendMessages(
        {
          body: message,
          messageId: message.jobId,
          subject: message.type,
          contentType: 'application/json',
          ...(sendOptions.correlationId !== undefined && {
            correlationId: sendOptions.correlationId,
          }),
          ...(message.traceparent !== undefined && {
            applicationProperties: { traceparent: message.traceparent },
          }),
        },
        { abortSignal: sendOptions.abortSignal },
      )
      try {
        await sending
      } catch (err) {
        throw lastAttemptError(err)
      }
    },

    subscribe(handler: MessageHandler, subscribeOptions: SubscribeOptions) {
      if (closed.signal.aborted) throw new Error('the queue is closed')
      const subscription = openSubscription(
        {
          client,
          queueName,
          logger,
          autoLockRenewalMs,
          rejectInvalid,
          countLockLost: () => void lockLost++,
        },
        handler,
        subscribeOptions,
      )
      subscriptions.add(subscription)
      return {
        close: async () => {
          subscriptions.delete(subscription)
          await subscription.close()
        },
      }
    },

    complete: (message) => settle(message, (r, m) => r.completeMessage(m)),

    async abandon(message, abandonOptions = {}) {
      const wait = Math.min(
        abandonOptions.delayMs ?? 0,
        message.lockedUntil.getTime() - Date.now() - ABANDON_MARGIN_MS,
      )
      if (wait > 0 && !closed.signal.aborted) {
        await sleep(wait, undefined, { signal: closed.signal }).catch(
          () => undefined,
        )
      }
      await settle(message, (r, m) => r.abandonMessage(m))
    },

    deadLetter: (message, details) =>
      settle(message, (r, m) =>
        r.deadLetterMessage(m, {
          deadLetterReason: details.reason,
          deadLetterErrorDescription: details.description,
        }),
      ),

    async renewLock(message) {
      const until = await settle(message, (r, m) => r.renewMessageLock(m))
      message.lockedUntil = until
      return until
    },

    async check() {
      await settler(false).peekMessages(1)
    },

    close() {
      closing ??= (async () => {
        closed.abort()
        for (const subscription of subscriptions) {
          await closeStep(logger, 'subscription', () => subscription.close())
        }
        subscriptions.clear()
        for (const receiver of settlers.values()) {
          await closeStep(logger, 'receiver', () => receiver.close())
        }
        await closeStep(logger, 'sender', () => sender.close())
        await closeStep(logger, 'client', () => client.close())
        logger.debug({ lockLost }, 'service bus queue closed')
      })()
      return closing
    },
  }
}
