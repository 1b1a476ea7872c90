import type { Delivery, Message, Sender } from './rhea.js'

/** A peek-lock held by one delivery of a message. */
export interface MessageLock {
  /** The lock token, also the delivery tag (GUID bytes) on the wire. */
  token: string
  until: number
  timer: NodeJS.Timeout
  link?: Sender
  delivery?: Delivery
}

/** A message as the broker keeps it. */
export interface StoredMessage {
  sequenceNumber: number
  messageId: string
  enqueuedAt: number
  /** Earlier deliveries that ended without completion (AMQP header). */
  deliveryCount: number
  /** The message as the client sent it. */
  message: Message
  deadLetterReason?: string
  deadLetterDescription?: string
  lock?: MessageLock
}

/** What a test sees of a stored message. */
export interface MessageView {
  messageId: string
  sequenceNumber: number
  deliveryCount: number
  locked: boolean
  body: unknown
  correlationId?: string
  subject?: string
  contentType?: string
  applicationProperties: Record<string, unknown>
  deadLetterReason?: string
  deadLetterDescription?: string
}
