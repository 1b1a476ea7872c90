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
  seq: number
  token: string
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
    const subscription = new SqliteSubscription(this.#cursor(), handler, {
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
    const done = this.#db
      .prepare(
        `DELETE FROM messages
         WHERE seq = ? AND lock_token = ? AND locked_until > ?`,
      )
      .run(lock.seq, lock.token, Date.now())
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
        const row = this.#heldRow(lock, now)
        if (!row) return false
        if (!lock.deadLettered && row.delivery_count >= this.maxDeliveries) {
          this.#moveToDeadLetter(
            lock,
            now,
            MAX_DELIVERY_REASON,
            `abandoned after ${row.delivery_count} deliveries`,
          )
          return true
        }
        this.#db
          .prepare(
            `UPDATE messages
             SET lock_token = NULL, locked_until = NULL, visible_at = ?
             WHERE seq = ?`,
          )
          .run(now + Math.max(0, options.delayMs ?? 0), lock.seq)
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
        if (!this.#heldRow(lock, now)) return false
        this.#moveToDeadLetter(lock, now, details.reason, details.description)
        return true
      })
      .immediate()
    if (!moved) throw new MessageLockLostError(message.messageId)
    ringSent(this.#db.name)
  }

  async renewLock(message: ReceivedMessage): Promise<Date> {
    const lock = this.#lockOf(message)
    const now = Date.now()
    const until = now + this.#options.lockDurationMs

    const renewed = this.#db
      .prepare(
        `UPDATE messages SET locked_until = ?
         WHERE seq = ? AND lock_token = ? AND locked_until > ?`,
      )
      .run(until, lock.seq, lock.token, now)
    if (renewed.changes === 0) throw new MessageLockLostError(message.messageId)

    message.lockedUntil = new Date(until)
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
  #cursor(): QueueCursor {
    return {
      file: this.#db.name,
      claim: (deadLetter) => this.#claim(deadLetter),
      nextDueAt: () => this.#nextDueAt(),
      abandon: (message) => this.abandon(message),
    }
  }

  #claim(deadLetter: boolean): ReceivedMessage | undefined {
    if (this.#closed) return undefined
    const now = Date.now()
    const token = randomUUID()

    let parked = 0
    const row = this.#db
      .transaction(() => {
        parked = this.#deadLetterExhausted(now)
        return this.#db
          .prepare(
            `UPDATE messages
             SET lock_token = ?, locked_until = ?,
                 delivery_count = delivery_count + 1
             WHERE seq = (
               SELECT seq FROM messages
               WHERE dead_lettered = ? AND visible_at <= ?
                 AND (locked_until IS NULL OR locked_until <= ?)
               ORDER BY visible_at, seq LIMIT 1)
             RETURNING *`,
          )
          .get(
            token,
            now + this.#options.lockDurationMs,
            deadLetter ? 1 : 0,
            now,
            now,
          ) as MessageRow | undefined
      })
      .immediate()
    if (parked > 0) ringSent(this.#db.name)
    if (!row) return undefined

    const message = toReceived(row)
    this.#locks.set(message, { seq: row.seq, token, deadLettered: deadLetter })
    return message
  }

  /** Expired locks on messages out of deliveries go to the dead letters,
   * instead of back to the queue. */
  #deadLetterExhausted(now: number): number {
    return this.#db
      .prepare(
        `UPDATE messages
         SET dead_lettered = 1, dead_letter_reason = ?,
             dead_letter_description = 'lock expired on the last delivery',
             lock_token = NULL, locked_until = NULL, visible_at = ?
         WHERE dead_lettered = 0 AND locked_until <= ?
           AND delivery_count >= ?`,
      )
      .run(MAX_DELIVERY_REASON, now, now, this.maxDeliveries).changes
  }

  #nextDueAt(): number | undefined {
    const now = Date.now()
    const row = this.#db
      .prepare(
        `SELECT min(max(visible_at, coalesce(locked_until, 0))) AS due
         FROM messages
         WHERE max(visible_at, coalesce(locked_until, 0)) > ?`,
      )
      .get(now) as { due: number | null }
    return row.due ?? undefined
  }

  #heldRow(lock: Lock, now: number): MessageRow | undefined {
    return this.#db
      .prepare(
        `SELECT * FROM messages
         WHERE seq = ? AND lock_token = ? AND locked_until > ?`,
      )
      .get(lock.seq, lock.token, now) as MessageRow | undefined
  }

  #moveToDeadLetter(
    lock: Lock,
    now: number,
    reason: string,
    description: string,
  ): void {
    this.#db
      .prepare(
        `UPDATE messages
         SET dead_lettered = 1, dead_letter_reason = ?,
             dead_letter_description = ?, lock_token = NULL,
             locked_until = NULL, visible_at = ?
         WHERE seq = ?`,
      )
      .run(reason, description, now, lock.seq)
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
