import type { Message } from './rhea.js'
import type { MessageView, StoredMessage } from './stored-message.js'
import { SubQueue, type LockEnd } from './sub-queue.js'

export interface QueueSettings {
  lockDurationMs: number
  maxDeliveries: number
  /** How long a message id is remembered for duplicate detection. */
  duplicateWindowMs: number
}

/** What a test may inspect on a queue. */
export interface QueueInspection {
  readonly name: string
  activeCount(): number
  deadLetterCount(): number
  activeMessages(): MessageView[]
  deadLetterMessages(): MessageView[]
  /** Sends accepted, duplicates included. */
  readonly acceptedSends: number
  readonly duplicatesDropped: number
}

/**
 * A queue with its dead-letter subqueue. The queue decides a message's
 * fate when a lock ends: back to the queue, or to the dead-letter
 * subqueue once it has used its deliveries.
 */
export class BrokerQueue implements QueueInspection {
  readonly active: SubQueue
  readonly deadLetter: SubQueue
  acceptedSends = 0
  duplicatesDropped = 0
  private readonly seen = new Map<string, number>()

  constructor(
    readonly name: string,
    private readonly settings: QueueSettings,
    private readonly nextSequenceNumber: () => number,
  ) {
    this.active = new SubQueue({
      path: name,
      lockDurationMs: settings.lockDurationMs,
      onUnlocked: (m, end) => this.onActiveUnlocked(m, end),
    })
    this.deadLetter = new SubQueue({
      path: `${name}/$DeadLetterQueue`,
      lockDurationMs: settings.lockDurationMs,
      onUnlocked: () => this.deadLetter.pump(),
    })
  }

  /** Stores a message unless its id was seen within the window. */
  enqueue(message: Message): void {
    this.acceptedSends += 1
    const messageId = String(message.message_id ?? '')
    const now = Date.now()
    const seenAt = this.seen.get(messageId)
    if (messageId && seenAt && now - seenAt < this.settings.duplicateWindowMs) {
      this.duplicatesDropped += 1
      return
    }
    if (messageId) this.seen.set(messageId, now)

    this.active.add({
      sequenceNumber: this.nextSequenceNumber(),
      messageId,
      enqueuedAt: now,
      deliveryCount: 0,
      message,
    })
  }

  /** Moves a message to the dead-letter subqueue with a reason. */
  moveToDeadLetter(
    message: StoredMessage,
    reason: string,
    description: string,
  ): void {
    this.active.remove(message)
    message.deadLetterReason = reason
    message.deadLetterDescription = description
    message.message = {
      ...message.message,
      application_properties: {
        ...(message.message.application_properties ?? {}),
        DeadLetterReason: reason,
        DeadLetterErrorDescription: description,
      },
      message_annotations: {
        ...(message.message.message_annotations ?? {}),
        'x-opt-deadletter-source': this.name,
      },
    }
    this.deadLetter.add(message)
  }

  activeCount(): number {
    return this.active.messages.length
  }

  deadLetterCount(): number {
    return this.deadLetter.messages.length
  }

  activeMessages(): MessageView[] {
    return this.active.messages.map((m) => this.active.view(m))
  }

  deadLetterMessages(): MessageView[] {
    return this.deadLetter.messages.map((m) => this.deadLetter.view(m))
  }

  close(): void {
    this.active.close()
    this.deadLetter.close()
  }

  private onActiveUnlocked(message: StoredMessage, end: LockEnd): void {
    if (message.deliveryCount >= this.settings.maxDeliveries) {
      this.moveToDeadLetter(
        message,
        'MaxDeliveryCountExceeded',
        `Message could not be consumed after ${this.settings.maxDeliveries} delivery attempts (last lock ${end}).`,
      )
      return
    }
    this.active.pump()
  }
}
