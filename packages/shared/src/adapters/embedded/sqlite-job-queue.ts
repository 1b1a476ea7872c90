import { randomUUID } from 'node:crypto'
import type { QueueMessage } from '../../schemas/message.js'
import {
  MessageLockLostError,
  type JobQueue,
  type MessageHandler,
  type ReceivedMessage,
  type SendOptions,
  type SubscribeOptions,
  type Subscription,
} from '../../ports/job-queue.js'
import type { SqliteDatabase } from './sqlite-database.js'
import {
  DEFAULT_DUPLICATE_WINDOW_MS,
  forgetOldMessageIds,
  insertMessage,
  type MessageRow,
} from './sqlite-messages.js'
import {
  prepareQueueStatements,
  type QueueStatements,
} from './sqlite-queue-statements.js'
import { SqliteSubscription, type QueueCursor } from './sqlite-subscription.js'
import { ringSent } from './sqlite-wakeup.js'

export interface SqliteJobQueueOptions {
  db: SqliteDatabase
  /** Deliveries after which a message is dead-lettered. */
  maxDeliveries: number
  /** How long a received message stays locked to its receiver. */
  lockDurationMs: number
  /** Sends with a message id seen this recently are dropped.
   * @defaultValue 600000 */
  duplicateWindowMs?: number
  /** Safety-net poll when no wake-up arrives. @defaultValue 1000 */
  fallbackPollMs?: number
  /** Close `db` with the queue (when the queue opened it alone). */
  closeDatabase?: boolean
}

/** The reason Service Bus gives when deliveries run out. */
export const MAX_DELIVERY_REASON = 'MaxDeliveryCountExceeded'

interface Lock {
  key: { seq: number; token: string }
  deadLettered: boolean
}

/** Sends between sweeps of the duplicate-detection table. */
const SWEEP_EVERY = 500

/**
 * A peek-lock queue in the `messages` table of the shared SQLite file,
 * modelled on Service Bus: lock tokens, delivery counts, a dead-letter
 * subqueue, and duplicate detection by message id.
 */
export class SqliteJobQueue implements JobQueue {
  readonly maxDeliveries: number
  readonly #options: SqliteJobQueueOptions
  readonly #db: SqliteDatabase
  readonly #sql: QueueStatements
  readonly #locks = new WeakMap<ReceivedMessage, Lock>()
  readonly #subscriptions = new Set<SqliteSubscription>()
  #sends = 0
  #closed = false

  constructor(options: SqliteJobQueueOptions) {
    if (!Number.isInteger(options.maxDeliveries) || options.maxDeliveries < 1) {
      throw new RangeError('maxDeliveries must be a positive integer')
    }
    if (!(options.lockDurationMs > 0)) {
      throw new RangeError('lockDurationMs must be positive')
    }
    this.#options = options
    this.#db = options.db
    this.#sql = prepareQueueStatements(options.db)
    this.maxDeliveries = options.maxDeliveries
  }

  async send(message: QueueMessage, options: SendOptions = {}): Promise<void> {
    this.#assertOpen()
    const now = Date.now()
    const window =
      this.#options.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS

    const sent = this.#db
      .transaction(() => {
        if (++this.#sends % SWEEP_EVERY === 0) {
          forgetOldMessageIds(this.#db, now, window)
        }
        return insertMessage(this.#db, message, {
          messageId: message.jobId,
          correlationId: options.correlationId,
          now,
          duplicateWindowMs: window,
        })
      })
      .immediate()
    if (sent) ringSent(this.#db.name)
  }

  subscribe(handler: MessageHandler, options: SubscribeOptions): Subscription {
    this.#assertOpen()
    const cursor = this.#cursor(options.deadLetter ?? false)
    const subscription = new SqliteSubscription(cursor, handler, {
      ...options,
      fallbackPollMs: this.#options.fallbackPollMs ?? 1000,
      onClosed: () => this.#subscriptions.delete(subscription),
    })
    this.#subscriptions.add(subscription)
    subscription.start()
    return subscription
  }

  async complete(message: ReceivedMessage): Promise<void> {
    const lock = this.#lockOf(message)
    const done = this.#sql.complete.run({ ...lock.key, now: Date.now() })
    if (done.changes === 0) throw new MessageLockLostError(message.messageId)
  }

  async abandon(
    message: ReceivedMessage,
    options: { delayMs?: number } = {},
  ): Promise<void> {
    const lock = this.#lockOf(message)
    const now = Date.now()

    const released = this.#db
      .transaction(() => {
        const row = this.#sql.held.get({ ...lock.key, now }) as
          MessageRow | undefined
        if (!row) return false
        // As in Service Bus, the delivery that used up the count ends in
        // the dead letters rather than back in the queue.
        if (!lock.deadLettered && row.delivery_count >= this.maxDeliveries) {
          this.#sql.moveToDeadLetter.run({
            seq: lock.key.seq,
            now,
            reason: MAX_DELIVERY_REASON,
            description: `abandoned on delivery ${row.delivery_count}`,
          })
          return true
        }
        const delay = Math.max(0, options.delayMs ?? 0)
        this.#sql.release.run({ seq: lock.key.seq, visibleAt: now + delay })
        return true
      })
      .immediate()
    if (!released) throw new MessageLockLostError(message.messageId)
    ringSent(this.#db.name)
  }

  async deadLetter(
    message: ReceivedMessage,
    details: { reason: string; description: string },
  ): Promise<void> {
    const lock = this.#lockOf(message)
    if (lock.deadLettered) {
      throw new Error(`message ${message.messageId} is already dead-lettered`)
    }
    const now = Date.now()

    const moved = this.#db
      .transaction(() => {
        if (!this.#sql.held.get({ ...lock.key, now })) return false
        this.#sql.moveToDeadLetter.run({ seq: lock.key.seq, now, ...details })
        return true
      })
      .immediate()
    if (!moved) throw new MessageLockLostError(message.messageId)
    ringSent(this.#db.name)
  }

  async renewLock(message: ReceivedMessage): Promise<Date> {
    const lock = this.#lockOf(message)
    const now = Date.now()
    const lockedUntil = now + this.#options.lockDurationMs

    const renewed = this.#sql.renew.run({ ...lock.key, now, lockedUntil })
    if (renewed.changes === 0) throw new MessageLockLostError(message.messageId)

    message.lockedUntil = new Date(lockedUntil)
    return message.lockedUntil
  }

  async check(): Promise<void> {
    this.#assertOpen()
    this.#db.prepare('SELECT count(*) FROM messages LIMIT 1').get()
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    for (const subscription of [...this.#subscriptions]) {
      await subscription.close()
    }
    if (this.#options.closeDatabase && this.#db.open) this.#db.close()
  }

  /** What a subscription needs: claim the next message, find when next. */
  #cursor(deadLetter: boolean): QueueCursor {
    return {
      file: this.#db.name,
      claim: () => this.#claim(deadLetter),
      nextDueAt: () => this.#nextDueAt(deadLetter),
      abandon: (message) => this.abandon(message),
    }
  }

  #claim(deadLetter: boolean): ReceivedMessage | undefined {
    if (this.#closed) return undefined
    const now = Date.now()
    const flags = {
      deadLetter: deadLetter ? 1 : 0,
      now,
      maxDeliveries: this.maxDeliveries,
    }
    // Most wake-ups find nothing: check with a read before taking the
    // write lock that the API and the other subscribers also need.
    const { work } = this.#sql.hasWork.get(flags) as { work: number }
    if (!work) return undefined

    const token = randomUUID()
    let parked = 0
    const row = this.#db
      .transaction(() => {
        parked = this.#sql.deadLetterExhausted.run({
          now,
          maxDeliveries: this.maxDeliveries,
          reason: MAX_DELIVERY_REASON,
        }).changes
        return this.#sql.claim.get({
          token,
          lockedUntil: now + this.#options.lockDurationMs,
          deadLetter: flags.deadLetter,
          now,
        }) as MessageRow | undefined
      })
      .immediate()
    if (parked > 0) ringSent(this.#db.name)
    if (!row) return undefined

    const message = toReceived(row)
    this.#locks.set(message, {
      key: { seq: row.seq, token },
      deadLettered: deadLetter,
    })
    return message
  }

  /** When a delayed message shows or a lock runs out, whichever is first. */
  #nextDueAt(deadLetter: boolean): number | undefined {
    const now = Date.now()
    const visible = this.#sql.nextVisible.get({
      deadLetter: deadLetter ? 1 : 0,
      now,
    }) as { due: number | null }
    const unlock = this.#sql.nextUnlock.get({ now }) as { due: number | null }
    const dues = [visible.due, unlock.due].filter((d) => d !== null)
    return dues.length > 0 ? Math.min(...dues) : undefined
  }

  #lockOf(message: ReceivedMessage): Lock {
    this.#assertOpen()
    const lock = this.#locks.get(message)
    if (!lock) {
      throw new Error(`message ${message.messageId} was not received here`)
    }
    return lock
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('the SQLite job queue is closed')
  }
}

function toReceived(row: MessageRow): ReceivedMessage {
  return {
    body: JSON.parse(row.body) as QueueMessage,
    messageId: row.message_id,
    deliveryCount: row.delivery_count,
    enqueuedAt: new Date(row.enqueued_at),
    lockedUntil: new Date(row.locked_until!),
    ...(row.dead_letter_reason !== null && {
      deadLetterReason: row.dead_letter_reason,
      deadLetterDescription: row.dead_letter_description ?? '',
    }),
  }
}
