import type {
  ProcessErrorArgs,
  ServiceBusClient,
  ServiceBusReceivedMessage,
  ServiceBusReceiver,
} from '@azure/service-bus'
import type { Logger } from '../../../logging/create-logger.js'
import type {
  MessageHandler,
  SubscribeOptions,
  Subscription,
} from '../../../ports/job-queue.js'
import { classify, fatalError } from './errors.js'
import { isQueueMessage, toReceivedMessage } from './received-message.js'

export interface SubscriptionContext {
  client: ServiceBusClient
  queueName: string
  logger: Logger
  /** Auto-renewal by the SDK; 0 leaves renewal to the caller. */
  autoLockRenewalMs: number
  /** Dead-letters a message whose body is not a QueueMessage. */
  rejectInvalid(
    sdk: ServiceBusReceivedMessage,
    deadLetter: boolean,
  ): Promise<void>
  /** Counts lock-lost errors reported by the SDK. */
  countLockLost(): void
}

/**
 * One peek-lock receiver fed to the handler through the SDK's streaming
 * `subscribe`, with settlement left to the handler.
 */
export function openSubscription(
  context: SubscriptionContext,
  handler: MessageHandler,
  options: SubscribeOptions,
): Subscription {
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
    throw new RangeError('concurrency must be a positive integer')
  }
  const deadLetter = options.deadLetter ?? false
  const log = context.logger.child({ deadLetter })
  const receiver: ServiceBusReceiver = context.client.createReceiver(
    context.queueName,
    {
      receiveMode: 'peekLock',
      maxAutoLockRenewalDurationInMs: context.autoLockRenewalMs,
      ...(deadLetter && { subQueueType: 'deadLetter' as const }),
    },
  )
  let closing: Promise<void> | undefined

  const processMessage = async (sdk: ServiceBusReceivedMessage) => {
    if (!isQueueMessage(sdk.body)) {
      log.warn({ messageId: sdk.messageId }, 'invalid queue message')
      options.onError(
        new Error(`message ${String(sdk.messageId)} has an invalid body`),
      )
      await context.rejectInvalid(sdk, deadLetter)
      return
    }
    await handler(toReceivedMessage(sdk, sdk.body, deadLetter))
  }

  const processError = async (args: ProcessErrorArgs) => {
    const kind = classify(args.error)
    const fields = { err: args.error, source: args.errorSource }
    if (kind === 'fatal') {
      log.error(fields, 'service bus subscription failed')
      options.onError(fatalError(context.queueName, args.error))
      void close()
      return
    }
    if (kind === 'busy') log.warn(fields, 'service bus busy; sdk retries')
    else if (kind === 'lock-lost') {
      context.countLockLost()
      log.warn(fields, 'service bus lock lost')
    } else log.warn(fields, 'service bus receive error')
    options.onError(args.error)
  }

  const sdkSubscription = receiver.subscribe(
    { processMessage, processError },
    {
      autoCompleteMessages: false,
      maxConcurrentCalls: options.concurrency,
    },
  )

  const close = (): Promise<void> => {
    closing ??= (async () => {
      try {
        await sdkSubscription.close()
      } catch (err) {
        log.warn({ err }, 'service bus subscription close failed')
      }
      try {
        await receiver.close()
      } catch (err) {
        log.warn({ err }, 'service bus receiver close failed')
      }
    })()
    return closing
  }

  return { close }
}
