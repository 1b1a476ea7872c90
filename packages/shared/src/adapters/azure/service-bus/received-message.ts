import type { ServiceBusReceivedMessage } from '@azure/service-bus'
import { FormatRegistry } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import type { ReceivedMessage } from '../../../ports/job-queue.js'
import { QueueMessage } from '../../../schemas/message.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

// TypeBox checks formats only once they are registered.
if (!FormatRegistry.Has('uuid')) {
  FormatRegistry.Set('uuid', (value) => UUID.test(value))
}

/** Which entity a message came from, to settle it there. */
export interface SdkDelivery {
  sdk: ServiceBusReceivedMessage
  deadLetter: boolean
}

const deliveries = new WeakMap<ReceivedMessage, SdkDelivery>()

/** The SDK message behind a port message, or an error for a stranger. */
export function sdkDeliveryOf(message: ReceivedMessage): SdkDelivery {
  const delivery = deliveries.get(message)
  if (!delivery) {
    throw new TypeError(
      'this message was not received from this Service Bus queue',
    )
  }
  return delivery
}

/** True when a body is a QueueMessage. */
export function isQueueMessage(body: unknown): body is QueueMessage {
  return Value.Check(QueueMessage, body)
}

/**
 * Maps an SDK message to the port's shape. The SDK counts earlier
 * deliveries; the port counts this one too, so the first delivery is 1.
 */
export function toReceivedMessage(
  sdk: ServiceBusReceivedMessage,
  body: QueueMessage,
  deadLetter: boolean,
): ReceivedMessage {
  const message: ReceivedMessage = {
    body,
    messageId: String(sdk.messageId ?? body.jobId),
    deliveryCount: (sdk.deliveryCount ?? 0) + 1,
    enqueuedAt: sdk.enqueuedTimeUtc ?? new Date(),
    lockedUntil: sdk.lockedUntilUtc ?? new Date(),
    ...(sdk.deadLetterReason !== undefined && {
      deadLetterReason: sdk.deadLetterReason,
    }),
    ...(sdk.deadLetterErrorDescription !== undefined && {
      deadLetterDescription: sdk.deadLetterErrorDescription,
    }),
  }
  deliveries.set(message, { sdk, deadLetter })
  return message
}
