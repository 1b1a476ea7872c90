import type { QueueMessage } from '../schemas/message.js'

/** A message delivered under a peek-lock, not yet settled. */
export interface ReceivedMessage {
  readonly body: QueueMessage
  readonly messageId: string
  /** 1 on the first delivery. */
  readonly deliveryCount: number
  readonly enqueuedAt: Date
  lockedUntil: Date
  /** Present on dead-lettered messages. */
  readonly deadLetterReason?: string
  readonly deadLetterDescription?: string
}

export interface SendOptions {
  /** Becomes the message's correlation id (the HTTP request id). */
  correlationId?: string
  /**
   * Gives up (rejects) when aborted, retries included. The API bounds a
   * send this way so that a queue outage does not hold up the client:
   * the job is saved and the relay sends it later.
   */
  abortSignal?: AbortSignal
}

export interface SubscribeOptions {
  /** How many handlers may run at once. */
  concurrency: number
  /** Errors outside a handler (connection, lock lost, bad message). */
  onError: (err: Error) => void
  /** Read the dead-letter subqueue instead of the queue. */
  deadLetter?: boolean
}

/**
 * Settles nothing by itself: the handler must complete, abandon or
 * dead-letter each message it receives.
 */
export type MessageHandler = (message: ReceivedMessage) => Promise<void>

export interface Subscription {
  /** Stops taking messages; handlers already running carry on. */
  close(): Promise<void>
}

/** A queue with peek-lock semantics. */
export interface JobQueue {
  /** Deliveries after which the queue dead-letters a message. */
  readonly maxDeliveries: number

  /** Sends with `messageId` = job id, so duplicates can be detected. */
  send(message: QueueMessage, options?: SendOptions): Promise<void>

  subscribe(handler: MessageHandler, options: SubscribeOptions): Subscription

  complete(message: ReceivedMessage): Promise<void>

  /** Releases the lock; the message comes back (after `delayMs`, if the
   * adapter supports delays, else at once). */
  abandon(
    message: ReceivedMessage,
    options?: { delayMs?: number },
  ): Promise<void>

  deadLetter(
    message: ReceivedMessage,
    details: { reason: string; description: string },
  ): Promise<void>

  /** Extends the lock; returns the new expiry and updates the message. */
  renewLock(message: ReceivedMessage): Promise<Date>

  check(): Promise<void>

  /** Safe to call twice. */
  close(): Promise<void>
}

/** The message's lock expired or was taken by another receiver. */
export class MessageLockLostError extends Error {
  constructor(messageId: string) {
    super(`the lock on message ${messageId} was lost`)
    this.name = 'MessageLockLostError'
  }
}
