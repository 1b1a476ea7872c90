import { randomUUID } from 'node:crypto'
import { lockTokenToTag } from './lock-token.js'
import { rhea, type Sender } from './rhea.js'
import type { MessageView, StoredMessage } from './stored-message.js'

/** Why a lock ended without the message being completed. */
export type LockEnd = 'abandoned' | 'expired' | 'lost'

export interface SubQueueSettings {
  /** The entity path clients attach to. */
  path: string
  lockDurationMs: number
  /** Called when a lock ends and the message may come back. */
  onUnlocked: (message: StoredMessage, end: LockEnd) => void
}

/**
 * One entity that hands out messages under peek-lock: a queue or its
 * dead-letter subqueue. Deliveries follow the credit each consumer link
 * grants; a lock token is the delivery tag.
 */
export class SubQueue {
  readonly messages: StoredMessage[] = []
  private readonly consumers: Sender[] = []
  private readonly byToken = new Map<string, StoredMessage>()
  private next = 0

  constructor(private readonly settings: SubQueueSettings) {}

  get path(): string {
    return this.settings.path
  }

  add(message: StoredMessage): void {
    this.messages.push(message)
    this.messages.sort((a, b) => a.sequenceNumber - b.sequenceNumber)
    this.pump()
  }

  remove(message: StoredMessage): void {
    this.unlock(message)
    const index = this.messages.indexOf(message)
    if (index >= 0) this.messages.splice(index, 1)
  }

  addConsumer(link: Sender): void {
    this.consumers.push(link)
    link.on('sendable', () => this.pump())
    this.pump()
  }

  removeConsumer(link: Sender): void {
    const index = this.consumers.indexOf(link)
    if (index >= 0) this.consumers.splice(index, 1)
  }

  /** The locked message with this token, if the lock is still held. */
  locked(token: string): StoredMessage | undefined {
    const message = this.byToken.get(token)
    if (!message?.lock || message.lock.until <= Date.now()) return undefined
    return message
  }

  /** Ends a lock without completing; the owner decides what comes next. */
  release(message: StoredMessage, end: LockEnd): void {
    this.unlock(message)
    message.deliveryCount += 1
    this.settings.onUnlocked(message, end)
  }

  renew(message: StoredMessage): Date {
    const lock = message.lock
    if (!lock) throw new Error('message is not locked')
    clearTimeout(lock.timer)
    lock.until = Date.now() + this.settings.lockDurationMs
    lock.timer = this.expireLater(message)
    return new Date(lock.until)
  }

  view(message: StoredMessage): MessageView {
    return {
      messageId: message.messageId,
      sequenceNumber: message.sequenceNumber,
      deliveryCount: message.deliveryCount,
      locked: message.lock !== undefined,
      body: decodeBody(message.message.body),
      correlationId: message.message.correlation_id as string | undefined,
      subject: message.message.subject,
      contentType: message.message.content_type,
      applicationProperties: {
        ...(message.message.application_properties ?? {}),
      },
      deadLetterReason: message.deadLetterReason,
      deadLetterDescription: message.deadLetterDescription,
    }
  }

  /** Hands available messages to consumers that have credit. */
  pump(): void {
    for (;;) {
      const message = this.messages.find((m) => m.lock === undefined)
      const link = this.nextSendableConsumer()
      if (!message || !link) return
      this.deliver(message, link)
    }
  }

  close(): void {
    for (const message of this.messages) {
      if (message.lock) clearTimeout(message.lock.timer)
    }
  }

  private nextSendableConsumer(): Sender | undefined {
    for (let i = 0; i < this.consumers.length; i++) {
      const link = this.consumers[(this.next + i) % this.consumers.length]
      if (link?.is_open() && link.sendable()) {
        this.next = (this.next + i + 1) % this.consumers.length
        return link
      }
    }
    return undefined
  }

  private deliver(message: StoredMessage, link: Sender): void {
    const token = randomUUID()
    const until = Date.now() + this.settings.lockDurationMs
    message.lock = { token, until, timer: this.expireLater(message), link }
    this.byToken.set(token, message)

    const { types } = rhea
    const delivery = link.send(
      {
        ...message.message,
        message_id: message.messageId,
        delivery_count: message.deliveryCount,
        message_annotations: {
          ...(message.message.message_annotations ?? {}),
          'x-opt-sequence-number': types.wrap_long(message.sequenceNumber),
          'x-opt-enqueued-time': types.wrap_timestamp(message.enqueuedAt),
          'x-opt-locked-until': types.wrap_timestamp(until),
        },
      },
      lockTokenToTag(token),
    )
    message.lock.delivery = delivery
  }

  private expireLater(message: StoredMessage): NodeJS.Timeout {
    const lock = message.lock
    const ms = lock ? lock.until - Date.now() : this.settings.lockDurationMs
    const timer = setTimeout(
      () => {
        if (message.lock?.timer === timer) this.release(message, 'expired')
      },
      Math.max(0, ms),
    )
    timer.unref()
    return timer
  }

  private unlock(message: StoredMessage): void {
    if (!message.lock) return
    clearTimeout(message.lock.timer)
    this.byToken.delete(message.lock.token)
    message.lock = undefined
  }
}

/** The body as a test wants to read it: data sections hold JSON. */
function decodeBody(body: unknown): unknown {
  const content =
    body && typeof body === 'object' && 'content' in body
      ? (body as { content: unknown }).content
      : body
  if (!Buffer.isBuffer(content)) return content
  try {
    return JSON.parse(content.toString('utf8'))
  } catch {
    return content
  }
}
